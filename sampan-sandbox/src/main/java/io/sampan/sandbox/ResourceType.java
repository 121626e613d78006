package io.sampan.sandbox;

import java.util.List;

/**
 * A kind the sandbox serves: where it lives in the API, whether it is namespaced, and which
 * subresources it has. {@code group} is empty for the core API.
 */
public record ResourceType(String group, String version, String kind, String plural, boolean namespaced, List<String> shortNames,
        boolean hasStatus, boolean hasScale) {

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }
}
