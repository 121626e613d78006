package io.sampan.spec;

import java.util.Arrays;
import java.util.List;

/** Runtime presets: defaults a platform engineer would set for each kind of process. */
public enum Runtime {
    JAVA, PYTHON, NODE, GO, STATIC;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Runtime::id).toList();
    }

    public static Runtime fromId(String id) {
        for (Runtime r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
