package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code metadata.finalizers} and graceful deletion as the API server's registry handles them: the
 * finalizers a propagation policy implies, whether an object is being deleted and may go, and the
 * rule that an object being deleted takes no new finalizers.
 */
public final class Finalizers {
    /** Set by a {@code Foreground} delete: the garbage collector deletes the dependents first. */
    public static final String FOREGROUND = "foregroundDeletion";
    /** Set by an {@code Orphan} delete: the garbage collector frees the dependents first. */
    public static final String ORPHAN = "orphan";

    private Finalizers() {
    }

    public static List<String> of(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> names.add(f.asText()));
        return names;
    }

    public static boolean deleting(JsonNode object) {
        return object.path("metadata").hasNonNull("deletionTimestamp");
    }

    /** Writes the finalizer list (removing the field when empty). */
    public static void set(ObjectNode object, List<String> names) {
        if (names.isEmpty()) {
            object.with("metadata").remove("finalizers");
        } else {
            ArrayNode arr = object.with("metadata").putArray("finalizers");
            names.forEach(arr::add);
        }
    }

    /** Removes one finalizer; true when it was there. */
    public static boolean remove(ObjectNode object, String name) {
        List<String> names = of(object);
        boolean had = names.remove(name);
        if (had) {
            set(object, names);
        }
        return had;
    }

    /** Nothing holds the object: no finalizers (and, for a namespace, no content finalizer left). */
    static boolean done(ResourceType t, JsonNode object) {
        return of(object).isEmpty() && !NamespaceLifecycle.holdsContent(t, object);
    }

    /** The GC finalizers a propagation policy asks for; no policy leaves them as they are. */
    static void applyPolicy(ObjectNode object, String policy) {
        if (policy == null) {
            return;
        }
        Set<String> names = new LinkedHashSet<>(of(object));
        names.remove(ORPHAN);
        names.remove(FOREGROUND);
        if (policy.equals(DeleteOptions.ORPHAN)) {
            names.add(ORPHAN);
        } else if (policy.equals(DeleteOptions.FOREGROUND)) {
            names.add(FOREGROUND);
        }
        set(object, new ArrayList<>(names));
    }

    static void checkPreconditions(ResourceType t, JsonNode current, DeleteOptions options) {
        String uid = current.path("metadata").path("uid").asText();
        String rv = current.path("metadata").path("resourceVersion").asText();
        if (options.uid() != null && !options.uid().equals(uid)) {
            throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + t.plural() + " \"" + current.path("metadata").path("name")
                    .asText() + "\": Precondition failed: UID in precondition: " + options.uid() + ", UID in object meta: " + uid);
        }
        if (options.resourceVersion() != null && !options.resourceVersion().equals(rv)) {
            throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + t.plural() + " \"" + current.path("metadata").path("name")
                    .asText() + "\": Precondition failed: ResourceVersion in precondition: " + options.resourceVersion()
                    + ", ResourceVersion in object meta: " + rv);
        }
    }

    /** An object being deleted may lose finalizers, never gain one (422 Forbidden, as Kubernetes). */
    static void checkNoneAdded(ResourceType t, JsonNode current, JsonNode next) {
        if (!deleting(current)) {
            return;
        }
        List<String> added = new ArrayList<>(of(next));
        added.removeAll(of(current));
        if (!added.isEmpty()) {
            throw ApiError.invalid(t, current.path("metadata").path("name").asText(), "metadata.finalizers: Forbidden: no new finalizers can be "
                    + "added if the object is being deleted, found new finalizers []string{\"" + String.join("\", \"", added) + "\"}");
        }
    }
}
