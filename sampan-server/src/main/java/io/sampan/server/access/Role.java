package io.sampan.server.access;

import io.sampan.server.registry.RegistryException;
import java.util.Locale;

/** Roles in an organisation or project, each allowing what the ones before it allow. */
public enum Role {
    VIEWER, DEVELOPER, MAINTAINER, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String field, String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.id().equals(text)) {
                    return r;
                }
            }
        }
        throw new RegistryException.Invalid(field, "\"" + text + "\" is not a role: one of viewer, developer, maintainer, owner");
    }
}
