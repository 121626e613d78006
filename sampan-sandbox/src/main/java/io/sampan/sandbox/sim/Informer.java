package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A watch-maintained cache of one kind, as client-go's shared informers keep one: a list, then
 * every change, with secondary indexes (by namespace, owner, node...). It is updated inside the
 * store's write, so a controller that wrote an object reads its own write at once. Cached objects
 * are shared: controllers must copy before changing them. Handlers must be cheap (enqueue a key).
 */
public final class Informer {
    /** Called with the object before and after a change; {@code before} is null on add, {@code after} on delete. */
    public interface Handler {
        void onChange(ObjectNode before, ObjectNode after);
    }

    private final ResourceType type;
    private final Map<String, ObjectNode> byKey = new ConcurrentHashMap<>();
    private final Map<String, Function<ObjectNode, Collection<String>>> indexers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new ConcurrentHashMap<>();
    private final List<Handler> handlers = new CopyOnWriteArrayList<>();
    private Runnable stop = () -> { };

    private Informer(ResourceType type) {
        this.type = type;
    }

    /** An informer of {@code type} that has listed the store and watches it from then on. */
    public static Informer start(Store store, ResourceType type) {
        Informer informer = new Informer(type);
        synchronized (store) {
            for (ObjectNode o : store.list(type, null, x -> true).items()) {
                informer.apply(null, o);
            }
            informer.stop = store.watch(store.revision(), change -> {
                if (change.resource().equals(type)) {
                    ObjectNode o = change.object();
                    ObjectNode before = informer.byKey.get(Meta.key(o));
                    informer.apply(before, change.type().equals("DELETED") ? null : o);
                    if (change.type().equals("DELETED")) {
                        informer.notify(before == null ? o : before, null);
                    } else {
                        informer.notify(before, o);
                    }
                }
            });
        }
        return informer;
    }

    public ResourceType type() {
        return type;
    }

    /** Adds a secondary index; must be called before objects arrive or it indexes them now. */
    public synchronized Informer index(String name, Function<ObjectNode, Collection<String>> indexer) {
        indexers.put(name, indexer);
        Map<String, Set<String>> index = new ConcurrentHashMap<>();
        indexes.put(name, index);
        for (Map.Entry<String, ObjectNode> e : byKey.entrySet()) {
            for (String v : indexer.apply(e.getValue())) {
                index.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(e.getKey());
            }
        }
        return this;
    }

    public void addHandler(Handler h) {
        handlers.add(h);
        for (ObjectNode o : byKey.values()) {
            h.onChange(null, o);
        }
    }

    private synchronized void apply(ObjectNode before, ObjectNode after) {
        String key = Meta.key(after != null ? after : before);
        if (before != null) {
            for (Map.Entry<String, Function<ObjectNode, Collection<String>>> ix : indexers.entrySet()) {
                Map<String, Set<String>> index = indexes.get(ix.getKey());
                for (String v : ix.getValue().apply(before)) {
                    Set<String> keys = index.get(v);
                    if (keys != null) {
                        keys.remove(key);
                        if (keys.isEmpty()) {
                            index.remove(v);
                        }
                    }
                }
            }
        }
        if (after == null) {
            byKey.remove(key);
            return;
        }
        byKey.put(key, after);
        for (Map.Entry<String, Function<ObjectNode, Collection<String>>> ix : indexers.entrySet()) {
            Map<String, Set<String>> index = indexes.get(ix.getKey());
            for (String v : ix.getValue().apply(after)) {
                index.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(key);
            }
        }
    }

    private void notify(ObjectNode before, ObjectNode after) {
        for (Handler h : handlers) {
            h.onChange(before, after);
        }
    }

    /** The cached object (shared: copy before changing), or null. */
    public ObjectNode get(String key) {
        return byKey.get(key);
    }

    public ObjectNode get(String namespace, String name) {
        return byKey.get(Meta.key(namespace, name));
    }

    public Collection<ObjectNode> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }

    public int size() {
        return byKey.size();
    }

    /** How many cached objects index {@code name} holds under {@code value}. */
    public int indexSize(String name, String value) {
        Map<String, Set<String>> index = indexes.get(name);
        return index == null ? 0 : index.getOrDefault(value, Set.of()).size();
    }

    /** The cached objects whose index {@code name} holds {@code value}. */
    public List<ObjectNode> byIndex(String name, String value) {
        Map<String, Set<String>> index = indexes.get(name);
        if (index == null) {
            throw new IllegalArgumentException("no index " + name + " on " + type.plural());
        }
        Set<String> keys = index.getOrDefault(value, Set.of());
        List<ObjectNode> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            ObjectNode o = byKey.get(k);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    public void stop() {
        stop.run();
    }
}
