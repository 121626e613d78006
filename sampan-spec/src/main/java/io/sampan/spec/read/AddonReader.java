package io.sampan.spec.read;

import io.sampan.spec.AddonSpec;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code spec.addons.<alias>}. */
final class AddonReader {
    static final List<String> TYPES = List.of("mysql", "postgresql", "redis", "rabbitmq", "kafka", "elasticsearch", "mongodb");
    static final Set<String> FIELDS = Set.of("type", "version", "plan", "external", "shared");
    static final Set<String> EXTERNAL_FIELDS = Set.of("secret");
    static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,31}");

    private AddonReader() {
    }

    static AddonSpec read(Fields.Named named, Diagnostics d) {
        Fields f = Fields.of(named.node(), named.path(), d, "an addon", FIELDS);
        if (f == null) {
            return null;
        }
        String type = f.requiredString("type", "mysql");
        if (type != null && !TYPES.contains(type)) {
            String close = Diagnostics.closest(type, TYPES);
            d.error(f.path("type"), f.at("type"), "unknown addon type \"" + type + "\"",
                    (close != null ? "did you mean \"" + close + "\"? " : "") + "known types: " + String.join(", ", TYPES));
            type = null;
        }
        String version = f.matching("version", VERSION, "a version such as \"8.0\"", "\"8.0\"");
        String plan = f.matching("plan", Fields.DNS_LABEL, "a plan name such as \"small\" or \"ha\"", "small");
        String secret = null;
        if (f.has("external")) {
            Fields ext = Fields.of(f.raw("external"), f.path("external"), d, "an external addon binding", EXTERNAL_FIELDS);
            if (ext != null) {
                secret = ext.matching("secret", SECRET_NAME, "a Secret name", "legacy-db");
                if (secret == null && !ext.has("secret")) {
                    d.error(f.path("external.secret"), f.raw("external"), "\"secret\" is required for an external addon",
                            "name the Secret that holds host, port, username, password and database");
                }
            }
        }
        boolean shared = f.bool("shared", false);
        return type == null ? null : new AddonSpec(named.name(), type, version, plan == null ? "small" : plan, secret, shared);
    }
}
