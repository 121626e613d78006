package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every object of the sandbox, with one resourceVersion counter for all of them and a window of
 * recent changes that watches replay from. Writes are serialised (one lock), reads see a consistent
 * snapshot; objects are copied in and out so callers never share state with the store.
 */
public final class Store {
    /** How many changes a watch can replay; older resourceVersions get 410 Gone. */
    static final int WINDOW = 20_000;
    private static final Logger LOG = Logger.getLogger(Store.class.getName());
    private final ConcurrentSkipListMap<String, ObjectNode> objects = new ConcurrentSkipListMap<>();
    private final Deque<Change> window = new ArrayDeque<>();
    private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();
    private final List<Admission> admissions = new CopyOnWriteArrayList<>();
    private final List<Consumer<Change>> reactions = new CopyOnWriteArrayList<>();
    private final Deque<Change> pending = new ArrayDeque<>();
    private final Map<String, ResourceType> typesSeen = new ConcurrentHashMap<>();
    private final NamespaceLifecycle namespaces = new NamespaceLifecycle(this);
    private final Clock clock;
    private boolean reacting;
    private long revision;
    /** The durable copy (null for a store kept in memory only), and the type of every stored key for its snapshots. */
    private StoreLog log;
    private final Map<String, ResourceType> typeOfKey = new ConcurrentHashMap<>();
    /** The compact form stored objects are kept in (about half the heap of parsed trees). */
    private final CompactTrees compact = new CompactTrees();
    /** The revision a durable store was restored at: watches from before it are 410 Gone. */
    private long restoredRevision;

    public Store(Clock clock) {
        this.clock = clock;
        admissions.add(new BuiltinValidation()); // the API server's validation of built-in kinds, before any other admission
        admissions.add(new BuiltinDefaults());
        reactions.add(namespaces::react);
    }

    /**
     * A store kept in {@code dataDir} (see {@link StoreLog}): what it held is restored, with the same
     * resourceVersions and uids, and new revisions continue after the last one.
     */
    public Store(Clock clock, java.nio.file.Path dataDir) {
        this(clock);
        Map<String, StoreLog.Entry> restored = new java.util.LinkedHashMap<>();
        long[] rv = new long[1];
        this.log = StoreLog.open(dataDir, restored, rv);
        restored.forEach((k, e) -> {
            objects.put(k, compact.copy(e.object()));
            typeOfKey.put(k, e.type());
            typesSeen.put(e.type().groupVersion() + "/" + e.type().plural(), e.type());
        });
        this.revision = rv[0];
        this.restoredRevision = rv[0];
    }

    /** Whether this store is kept in a data directory. */
    public boolean durable() {
        return log != null;
    }

    /** Writes a durable store's snapshot and closes its log (a store kept in memory has nothing to do). */
    public synchronized void close() {
        if (log == null) {
            return;
        }
        Map<String, StoreLog.Entry> all = new java.util.LinkedHashMap<>();
        objects.forEach((k, o) -> all.put(k, new StoreLog.Entry(typeOfKey.get(k), o)));
        log.compact(all, revision);
        log.close();
        log = null;
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
        return shared(t, namespace, name).deepCopy();
    }

    /**
     * The stored instance itself, for a reader that does not change it (serialising it, comparing
     * with it): stored objects are replaced, never changed in place.
     */
    ObjectNode shared(ResourceType t, String namespace, String name) {
        ObjectNode o = objects.get(key(t, namespace, name));
        if (o == null) {
            throw ApiError.notFound(t, name);
        }
        return o;
    }

    public boolean exists(ResourceType t, String namespace, String name) {
        return objects.containsKey(key(t, namespace, name));
    }

    /** The objects of a type (in a namespace, or all when null) that match, and the revision they were read at. */
    public synchronized Listing list(ResourceType t, String namespace, Predicate<JsonNode> filter) {
        return list(t, namespace, filter, false);
    }

    /**
     * As {@link #list(ResourceType, String, Predicate)}; with {@code shared} the items are the stored
     * instances themselves, for a reader that only serialises them (the HTTP list): no copy of ten
     * thousand pods under the lock. Stored objects are replaced, never changed in place.
     */
    public synchronized Listing list(ResourceType t, String namespace, Predicate<JsonNode> filter, boolean shared) {
        List<ObjectNode> items = new ArrayList<>();
        String p = prefix(t, t.namespaced() ? namespace : null);
        for (Map.Entry<String, ObjectNode> e : objects.tailMap(p).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            if (filter.test(e.getValue())) {
                items.add(shared ? e.getValue() : e.getValue().deepCopy());
            }
        }
        return new Listing(items, revision);
    }

    /** Whether any object of the type is stored in the namespace (all namespaces when null). */
    synchronized boolean any(ResourceType t, String namespace) {
        String p = prefix(t, t.namespaced() ? namespace : null);
        String first = objects.ceilingKey(p);
        return first != null && first.startsWith(p);
    }

    public record Listing(List<ObjectNode> items, long revision) {
    }

    public synchronized ObjectNode create(ResourceType t, String namespace, ObjectNode object) {
        return create(t, namespace, object, false);
    }

    /**
     * Creates an object after admission. With {@code dryRun} everything is checked and defaulted and
     * the object that would be stored is returned, but nothing is stored and no revision is used.
     */
    public synchronized ObjectNode create(ResourceType t, String namespace, ObjectNode object, boolean dryRun) {
        try {
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
            namespaces.admitCreate(t, namespace, name);
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
            meta.remove("deletionTimestamp");
            meta.remove("deletionGracePeriodSeconds");
            if (object.has("spec")) {
                meta.put("generation", 1);
            }
            object.put("apiVersion", t.groupVersion());
            object.put("kind", t.kind());
            NamespaceLifecycle.defaults(t, object);
            if (dryRun) {
                return object.deepCopy();
            }
            return commit("ADDED", t, k, object);
        } finally {
            react();
        }
    }

    public synchronized ObjectNode update(ResourceType t, String namespace, String name, ObjectNode object, boolean statusOnly) {
        return update(t, namespace, name, object, statusOnly, false);
    }

    /**
     * Replaces an object. A stale resourceVersion is a conflict; a write to the main resource keeps
     * the status, a write to the status keeps everything else; generation counts spec changes. The
     * deletion fields are the server's: an object being deleted takes no new finalizers, and the
     * update that removes its last finalizer deletes it. With {@code dryRun} nothing is stored.
     */
    public synchronized ObjectNode update(ResourceType t, String namespace, String name, ObjectNode object, boolean statusOnly, boolean dryRun) {
        try {
            return replace(t, namespace, name, object, statusOnly, dryRun, false);
        } finally {
            react();
        }
    }

    /**
     * The {@code finalize} subresource of a namespace: sets {@code spec.finalizers} (which other
     * writes keep); a namespace being deleted that is left without any goes.
     */
    public synchronized ObjectNode finalizeNamespace(ResourceType t, String name, JsonNode finalizers, boolean dryRun) {
        try {
            ObjectNode current = get(t, null, name);
            current.with("spec").set("finalizers", finalizers == null || finalizers.isMissingNode() ? ApiServer.JSON.createArrayNode()
                    : finalizers.deepCopy());
            current.with("metadata").remove("resourceVersion");
            return replace(t, null, name, current, false, dryRun, true);
        } finally {
            react();
        }
    }

    private ObjectNode replace(ResourceType t, String namespace, String name, ObjectNode object, boolean statusOnly, boolean dryRun,
            boolean finalizing) {
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
            if (object.path("metadata").has("managedFields")) {
                next.with("metadata").set("managedFields", object.get("metadata").get("managedFields").deepCopy());
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
            for (String kept : List.of("uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "deletionGracePeriodSeconds")) {
                if (current.path("metadata").has(kept)) {
                    meta.set(kept, current.get("metadata").get(kept));
                } else if (kept.startsWith("deletion")) {
                    meta.remove(kept);
                }
            }
            long generation = current.path("metadata").path("generation").asLong(0);
            if (next.has("spec") || generation > 0) {
                boolean specChanged = !Objects.equals(current.get("spec"), next.get("spec"));
                meta.put("generation", specChanged ? generation + 1 : Math.max(1, generation));
            }
            Finalizers.checkNoneAdded(t, current, next);
            if (!finalizing) {
                NamespaceLifecycle.keepFinalizers(t, current, next);
            }
        }
        next.put("apiVersion", t.groupVersion());
        next.put("kind", t.kind());
        for (Admission a : admissions) {
            a.admitUpdate(this, t, next, current);
        }
        if (sameButRevision(current, next)) {
            return current.deepCopy(); // nothing changed: no new revision, no event
        }
        if (dryRun) {
            next.with("metadata").set("resourceVersion", current.path("metadata").path("resourceVersion"));
            return next;
        }
        if (Finalizers.deleting(next) && Finalizers.done(t, next)) {
            return erase(t, k, next); // the last finalizer is gone
        }
        return commit("MODIFIED", t, k, next);
    }

    /** Whether {@code next} is {@code current} but for its {@code metadata.resourceVersion} (set or not). */
    private static boolean sameButRevision(ObjectNode current, ObjectNode next) {
        if (current.size() != next.size()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : current.properties()) {
            JsonNode other = next.get(e.getKey());
            if (other == null) {
                return false;
            }
            if (!e.getKey().equals("metadata") ? !e.getValue().equals(other) : !sameMetadata(e.getValue(), other)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameMetadata(JsonNode current, JsonNode next) {
        if (!current.isObject() || !next.isObject()) {
            return current.equals(next);
        }
        int sizes = current.size() - (current.has("resourceVersion") ? 1 : 0) - next.size() + (next.has("resourceVersion") ? 1 : 0);
        if (sizes != 0) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : current.properties()) {
            if (!e.getKey().equals("resourceVersion") && !e.getValue().equals(next.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Deletes an object as a DELETE without options does (its finalizers, if any, hold it). */
    public synchronized ObjectNode delete(ResourceType t, String namespace, String name) {
        return delete(t, namespace, name, DeleteOptions.DEFAULT).object();
    }

    /**
     * The outcome of a delete: the object as deleted, or as it now waits for its finalizers
     * ({@code gone} false: it has a deletionTimestamp and the API answers 202 Accepted).
     */
    public record Deletion(ObjectNode object, boolean gone) {
    }

    /**
     * Deletes an object as Kubernetes does: the propagation policy sets the {@code orphan} or
     * {@code foregroundDeletion} finalizer; an object with finalizers (or a namespace with content
     * to remove) is only marked, with {@code deletionTimestamp}, and goes when the last finalizer is
     * removed; others go at once. Preconditions are checked; {@code dryRun} changes nothing.
     */
    public synchronized Deletion delete(ResourceType t, String namespace, String name, DeleteOptions options) {
        try {
            String k = key(t, namespace, name);
            ObjectNode current = objects.get(k);
            if (current == null) {
                throw ApiError.notFound(t, name);
            }
            Finalizers.checkPreconditions(t, current, options);
            ObjectNode next = current.deepCopy();
            Finalizers.applyPolicy(next, options.propagationPolicy());
            if (Finalizers.done(t, next)) {
                if (options.dryRun()) {
                    return new Deletion(next, true);
                }
                return new Deletion(erase(t, k, next), true);
            }
            ObjectNode meta = next.with("metadata");
            if (!meta.has("deletionTimestamp")) {
                meta.put("deletionTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
                meta.put("deletionGracePeriodSeconds", 0);
            }
            NamespaceLifecycle.terminating(t, next);
            if (options.dryRun() || next.equals(current)) {
                return new Deletion(next, false);
            }
            return new Deletion(commit("MODIFIED", t, k, next), false);
        } finally {
            react();
        }
    }

    /** Removes an object; {@code last} (the caller's own copy) is returned with the deletion's resourceVersion. */
    private ObjectNode erase(ResourceType t, String key, ObjectNode last) {
        objects.remove(key);
        revision++;
        last.with("metadata").put("resourceVersion", Long.toString(revision));
        Change change = new Change("DELETED", t, revision, compact.copy(last));
        if (log != null) {
            typeOfKey.remove(key);
            log.append(change, key);
        }
        record(change);
        return last;
    }

    /**
     * Stores a compact copy of {@code object} (the caller's, which it may keep: it is returned with
     * its new resourceVersion). The stored instance is shared by the watch window, watchers and the
     * simulation's informers, and is replaced, never changed in place.
     */
    private ObjectNode commit(String type, ResourceType t, String key, ObjectNode object) {
        typesSeen.put(t.groupVersion() + "/" + t.plural(), t);
        revision++;
        object.with("metadata").put("resourceVersion", Long.toString(revision));
        ObjectNode stored = compact.copy(object);
        objects.put(key, stored);
        Change change = new Change(type, t, revision, stored);
        if (log != null) {
            typeOfKey.put(key, t);
            log.append(change, key);
        }
        record(change);
        return object;
    }

    private void record(Change change) {
        window.addLast(change);
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
        for (Consumer<Change> w : watchers) {
            w.accept(change);
        }
        pending.addLast(change);
    }

    /**
     * Runs the reactions to the changes made so far, after every watcher has seen them: a reaction
     * may write (those writes' own reactions run after it, in order), so a write and what the
     * server does in answer to it (a namespace emptied, a CRD established) happen in one call.
     */
    private void react() {
        if (reacting) {
            return;
        }
        reacting = true;
        try {
            Change c;
            while ((c = pending.pollFirst()) != null) {
                for (Consumer<Change> r : reactions) {
                    try {
                        r.accept(c);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "reaction to " + c.type() + " " + c.resource().plural() + " failed", e);
                    }
                }
            }
        } finally {
            reacting = false;
        }
    }

    /**
     * Adds something the server does in answer to a change, inside the store's lock, after the
     * change is recorded and watched (as the namespace and CRD controllers of an API server do).
     */
    public void addReaction(Consumer<Change> reaction) {
        reactions.add(reaction);
    }

    /** Every kind that has had an object stored. */
    Collection<ResourceType> typesSeen() {
        return typesSeen.values();
    }

    /**
     * Registers a watcher that first receives every change after {@code fromRevision} still in the
     * window, then every new one, in order. {@code fromRevision} older than the window is 410 Gone.
     */
    public synchronized Runnable watch(long fromRevision, Consumer<Change> watcher) {
        if (!window.isEmpty() && fromRevision < window.peekFirst().revision() - 1) {
            throw new ApiError(410, "Expired", "too old resource version: " + fromRevision + " (" + (window.peekFirst().revision() - 1) + ")");
        }
        if (fromRevision < restoredRevision) {
            throw new ApiError(410, "Expired", "too old resource version: " + fromRevision + " (" + restoredRevision + ")");
        }
        for (Change c : window) {
            if (c.revision() > fromRevision) {
                watcher.accept(c);
            }
        }
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** How many watchers are registered (HTTP watches and informers). */
    int watcherCount() {
        return watchers.size();
    }

    public Instant now() {
        return clock.instant();
    }
}
