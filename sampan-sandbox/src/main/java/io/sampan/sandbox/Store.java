package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every object of the sandbox, with one resourceVersion counter for all of them and a window of
 * recent changes that watches replay from. Writes are serialised (one lock), reads see a consistent
 * snapshot; objects are copied in and out so callers never share state with the store.
 */
public final class Store {
    /** How many changes a watch can replay; older resourceVersions get 410 Gone. */
    static final int WINDOW = 20_000;
    private final ConcurrentSkipListMap<String, ObjectNode> objects = new ConcurrentSkipListMap<>();
    private final Deque<Change> window = new ArrayDeque<>();
    private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();
    private final List<Admission> admissions = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private long revision;

    public Store(Clock clock) {
        this.clock = clock;
    }

    /** A change: ADDED, MODIFIED or DELETED, with the object as it is after (or was before deletion). */
    public record Change(String type, ResourceType resource, long revision, ObjectNode object) {
    }

    static String key(ResourceType t, String namespace, String name) {
        return t.groupVersion() + "/" + t.plural() + "/" + (t.namespaced() ? namespace : "") + "/" + name;
    }

    private static String prefix(ResourceType t, String namespace) {
        return t.groupVersion() + "/" + t.plural() + "/" + (namespace == null ? "" : namespace + "/");
    }

    /** Adds an admission step for creates (defaulting or refusing). */
    public void addAdmission(Admission a) {
        admissions.add(a);
    }

    public synchronized long revision() {
        return revision;
    }

    public ObjectNode get(ResourceType t, String namespace, String name) {
        ObjectNode o = objects.get(key(t, namespace, name));
        if (o == null) {
            throw ApiError.notFound(t, name);
        }
        return o.deepCopy();
    }

    public boolean exists(ResourceType t, String namespace, String name) {
        return objects.containsKey(key(t, namespace, name));
    }

    /** The objects of a type (in a namespace, or all when null) that match, and the revision they were read at. */
    public synchronized Listing list(ResourceType t, String namespace, Predicate<JsonNode> filter) {
        List<ObjectNode> items = new ArrayList<>();
        String p = prefix(t, t.namespaced() ? namespace : null);
        for (Map.Entry<String, ObjectNode> e : objects.tailMap(p).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            if (filter.test(e.getValue())) {
                items.add(e.getValue().deepCopy());
            }
        }
        return new Listing(items, revision);
    }

    public record Listing(List<ObjectNode> items, long revision) {
    }

    public synchronized ObjectNode create(ResourceType t, String namespace, ObjectNode object) {
        ObjectNode meta = object.with("metadata");
        String name = meta.path("name").asText("");
        if (name.isEmpty() && meta.has("generateName")) {
            name = meta.get("generateName").asText() + UUID.randomUUID().toString().substring(0, 5);
            meta.put("name", name);
        }
        if (name.isEmpty()) {
            throw ApiError.invalid(t, "", "metadata.name: Required value: name or generateName is required");
        }
        if (t.namespaced()) {
            meta.put("namespace", namespace);
        } else {
            meta.remove("namespace");
        }
        String k = key(t, namespace, name);
        if (objects.containsKey(k)) {
            throw ApiError.alreadyExists(t, name);
        }
        meta.put("uid", UUID.randomUUID().toString()); // before admission: defaulting may use it (a Job's selector)
        for (Admission a : admissions) {
            a.admitCreate(this, t, namespace, object);
        }
        meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.remove("resourceVersion");
        if (object.has("spec")) {
            meta.put("generation", 1);
        }
        object.put("apiVersion", t.groupVersion());
        object.put("kind", t.kind());
        return commit("ADDED", t, k, object);
    }

    /**
     * Replaces an object. A stale resourceVersion is a conflict; a write to the main resource keeps
     * the status, a write to the status keeps everything else; generation counts spec changes.
     */
    public synchronized ObjectNode update(ResourceType t, String namespace, String name, ObjectNode object, boolean statusOnly) {
        String k = key(t, namespace, name);
        ObjectNode current = objects.get(k);
        if (current == null) {
            throw ApiError.notFound(t, name);
        }
        String expected = object.path("metadata").path("resourceVersion").asText("");
        if (!expected.isEmpty() && !expected.equals(current.path("metadata").path("resourceVersion").asText())) {
            throw ApiError.conflict(t, name);
        }
        ObjectNode next;
        if (statusOnly) {
            next = current.deepCopy();
            if (object.has("status")) {
                next.set("status", object.get("status").deepCopy());
            }
        } else {
            next = object.deepCopy();
            if (t.hasStatus()) {
                if (current.has("status")) {
                    next.set("status", current.get("status").deepCopy());
                } else {
                    next.remove("status");
                }
            }
            ObjectNode meta = next.with("metadata");
            for (String kept : List.of("uid", "creationTimestamp", "namespace", "name")) {
                if (current.path("metadata").has(kept)) {
                    meta.set(kept, current.get("metadata").get(kept));
                }
            }
            long generation = current.path("metadata").path("generation").asLong(0);
            if (next.has("spec") || generation > 0) {
                boolean specChanged = !Objects.equals(current.get("spec"), next.get("spec"));
                meta.put("generation", specChanged ? generation + 1 : Math.max(1, generation));
            }
        }
        next.put("apiVersion", t.groupVersion());
        next.put("kind", t.kind());
        if (next.equals(withRevisionOf(current, next))) {
            return current.deepCopy(); // nothing changed: no new revision, no event
        }
        return commit("MODIFIED", t, k, next);
    }

    private static ObjectNode withRevisionOf(ObjectNode current, ObjectNode next) {
        ObjectNode c = current.deepCopy();
        c.with("metadata").set("resourceVersion", next.path("metadata").path("resourceVersion"));
        if (next.path("metadata").path("resourceVersion").isMissingNode()) {
            c.with("metadata").remove("resourceVersion");
        }
        return c;
    }

    public synchronized ObjectNode delete(ResourceType t, String namespace, String name) {
        String k = key(t, namespace, name);
        ObjectNode current = objects.remove(k);
        if (current == null) {
            throw ApiError.notFound(t, name);
        }
        revision++;
        current.with("metadata").put("resourceVersion", Long.toString(revision));
        record(new Change("DELETED", t, revision, current));
        return current.deepCopy();
    }

    private ObjectNode commit(String type, ResourceType t, String key, ObjectNode object) {
        revision++;
        object.with("metadata").put("resourceVersion", Long.toString(revision));
        objects.put(key, object);
        record(new Change(type, t, revision, object.deepCopy()));
        return object.deepCopy();
    }

    private void record(Change change) {
        window.addLast(change);
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
        for (Consumer<Change> w : watchers) {
            w.accept(change);
        }
    }

    /**
     * Registers a watcher that first receives every change after {@code fromRevision} still in the
     * window, then every new one, in order. {@code fromRevision} older than the window is 410 Gone.
     */
    public synchronized Runnable watch(long fromRevision, Consumer<Change> watcher) {
        if (!window.isEmpty() && fromRevision < window.peekFirst().revision() - 1) {
            throw new ApiError(410, "Expired", "too old resource version: " + fromRevision + " (" + (window.peekFirst().revision() - 1) + ")");
        }
        for (Change c : window) {
            if (c.revision() > fromRevision) {
                watcher.accept(c);
            }
        }
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    public Instant now() {
        return clock.instant();
    }
}
