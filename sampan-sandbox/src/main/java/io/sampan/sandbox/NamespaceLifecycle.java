package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server and the namespace controller do for namespaces: a new namespace is
 * {@code Active} with the {@code kubernetes} finalizer; deleting it makes it {@code Terminating}
 * (nothing new may be created in it: 403), deletes everything in it, and removes the namespace
 * once the last object is gone (objects with finalizers keep it Terminating until they go).
 */
final class NamespaceLifecycle {
    static final String CONTENT_FINALIZER = "kubernetes";
    private final Store store;
    private final Set<String> sweeping = new HashSet<>();

    NamespaceLifecycle(Store store) {
        this.store = store;
    }

    static boolean isNamespace(ResourceType t) {
        return t.group().isEmpty() && t.kind().equals("Namespace");
    }

    /** A new namespace: {@code spec.finalizers: [kubernetes]}, phase Active. */
    static void defaults(ResourceType t, ObjectNode object) {
        if (!isNamespace(t)) {
            return;
        }
        if (!object.path("spec").has("finalizers")) {
            object.with("spec").putArray("finalizers").add(CONTENT_FINALIZER);
        }
        object.with("status").put("phase", "Active");
    }

    /** The namespace still waits for its content to be removed. */
    static boolean holdsContent(ResourceType t, JsonNode object) {
        return isNamespace(t) && !object.path("spec").path("finalizers").isEmpty();
    }

    /** {@code spec.finalizers} changes through the finalize subresource only, as Kubernetes' namespace strategy has it. */
    static void keepFinalizers(ResourceType t, JsonNode current, ObjectNode next) {
        if (!isNamespace(t)) {
            return;
        }
        JsonNode kept = current.path("spec").path("finalizers");
        if (kept.isMissingNode()) {
            next.with("spec").remove("finalizers");
        } else {
            next.with("spec").set("finalizers", kept.deepCopy());
        }
        if (next.path("spec").isEmpty() && !current.has("spec")) {
            next.remove("spec");
        }
    }

    static void terminating(ResourceType t, ObjectNode object) {
        if (isNamespace(t)) {
            object.with("status").put("phase", "Terminating");
        }
    }

    /** The NamespaceLifecycle admission: no new content in a namespace being deleted. */
    void admitCreate(ResourceType t, String namespace, String name) {
        if (!t.namespaced() || namespace == null) {
            return;
        }
        ObjectNode ns = namespace(namespace);
        if (ns != null && Finalizers.deleting(ns)) {
            throw new ApiError(403, "Forbidden", t.plural() + (t.group().isEmpty() ? "" : "." + t.group()) + " \"" + name + "\" is forbidden: "
                    + "unable to create new content in namespace " + namespace + " because it is being terminated");
        }
    }

    /** The stored namespace (read only), or null; called inside the store's lock. */
    private ObjectNode namespace(String name) {
        for (ResourceType t : store.typesSeen()) {
            if (isNamespace(t)) {
                return store.exists(t, null, name) ? store.shared(t, null, name) : null;
            }
        }
        return null;
    }

    void react(Store.Change change) {
        ObjectNode o = change.object();
        if (isNamespace(change.resource())) {
            if (!change.type().equals("DELETED") && Finalizers.deleting(o)) {
                sweep(change.resource(), o.path("metadata").path("name").asText());
            }
        } else if (change.type().equals("DELETED") && change.resource().namespaced()) {
            String ns = o.path("metadata").path("namespace").asText();
            if (!sweeping.contains(ns)) {
                ObjectNode namespace = namespace(ns);
                if (namespace != null && Finalizers.deleting(namespace)) {
                    finishIfEmpty(ns);
                }
            }
        }
    }

    private void sweep(ResourceType namespaceType, String ns) {
        if (!sweeping.add(ns)) {
            return;
        }
        try {
            for (ResourceType t : List.copyOf(store.typesSeen())) {
                if (!t.namespaced()) {
                    continue;
                }
                for (ObjectNode o : store.list(t, ns, x -> true).items()) {
                    try {
                        store.delete(t, ns, o.path("metadata").path("name").asText(), DeleteOptions.propagation(DeleteOptions.BACKGROUND));
                    } catch (ApiError gone) {
                        // deleted meanwhile (by the garbage collector's answer to another deletion)
                    }
                }
            }
        } finally {
            sweeping.remove(ns);
        }
        finishIfEmpty(ns);
    }

    private void finishIfEmpty(String ns) {
        for (ResourceType t : List.copyOf(store.typesSeen())) {
            if (t.namespaced() && store.any(t, ns)) {
                return;
            }
        }
        ObjectNode namespace = namespace(ns);
        if (namespace == null || !holdsContent(nsType(), namespace)) {
            return;
        }
        store.finalizeNamespace(nsType(), ns, null, false);
    }

    private ResourceType nsType() {
        return store.typesSeen().stream().filter(NamespaceLifecycle::isNamespace).findFirst().orElseThrow();
    }
}
