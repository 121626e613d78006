package io.sampan.server.registry;

import java.util.regex.Pattern;

/** The naming rule of organisations, projects, environments, clusters and apps: a DNS label. */
final class Names {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private Names() {
    }

    static String check(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new RegistryException.Invalid(field, "\"" + field + "\" is required");
        }
        if (value.length() > max || !DNS_LABEL.matcher(value).matches()) {
            throw new RegistryException.Invalid(field, "\"" + value + "\" is not a valid " + field + ": use at most " + max
                    + " lower-case letters, digits and '-', starting with a letter");
        }
        return value;
    }
}
