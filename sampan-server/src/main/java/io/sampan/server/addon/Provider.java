package io.sampan.server.addon;

import io.sampan.server.registry.RegistryException;
import java.util.Arrays;
import java.util.Locale;

/** How an addon instance comes to exist. */
public enum Provider {
    /** A StatefulSet from the template Sampan ships (service, headless service, volumes, generated credentials): dev and test. */
    TEMPLATE,
    /** A custom resource of a well-known operator whose CRD is installed in the cluster; Sampan waits on its ready condition. */
    OPERATOR,
    /** An existing instance (a managed cloud database) registered once for the environment. */
    EXTERNAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Provider of(String field, String value) {
        return Arrays.stream(values()).filter(p -> p.id().equals(value)).findFirst()
                .orElseThrow(() -> new RegistryException.Invalid(field, "provider must be template, operator or external, not \"" + value + "\""));
    }
}
