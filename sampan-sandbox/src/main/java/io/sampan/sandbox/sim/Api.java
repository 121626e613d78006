package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The Kubernetes API as the simulation's controllers use it: the same create, update, status
 * update and delete with the same resourceVersion checks an HTTP client gets, without the HTTP.
 * Controllers read from their {@link Informer}s and write through here, never into the store.
 */
public final class Api {
    private final Store store;

    public Api(Store store) {
        this.store = store;
    }

    public Store store() {
        return store;
    }

    public Optional<ObjectNode> get(ResourceType t, String namespace, String name) {
        try {
            return Optional.of(store.get(t, namespace, name));
        } catch (ApiError e) {
            if (e.code() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<ObjectNode> list(ResourceType t, String namespace, Predicate<JsonNode> filter) {
        return store.list(t, namespace, filter).items();
    }

    public ObjectNode create(ResourceType t, ObjectNode object) {
        return store.create(t, Meta.namespace(object), object);
    }

    /** Replaces the object; its resourceVersion, if set, must still be current (409 otherwise). */
    public ObjectNode update(ResourceType t, ObjectNode object) {
        return store.update(t, Meta.namespace(object), Meta.name(object), object, false);
    }

    /** Replaces the status only, with the same resourceVersion check. */
    public ObjectNode updateStatus(ResourceType t, ObjectNode object) {
        return store.update(t, Meta.namespace(object), Meta.name(object), object, true);
    }

    /** Deletes the object; false when it was already gone. */
    public boolean delete(ResourceType t, String namespace, String name) {
        try {
            store.delete(t, namespace, name);
            return true;
        } catch (ApiError e) {
            if (e.code() == 404) {
                return false;
            }
            throw e;
        }
    }
}
