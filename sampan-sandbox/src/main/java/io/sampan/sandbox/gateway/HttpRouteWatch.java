package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import io.sampan.sandbox.sim.Informer;
import io.sampan.sandbox.sim.Meta;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A watch-fed cache of the HTTPRoutes in the store, whether or not their CRD is installed yet: it
 * follows every change to {@code httproutes.gateway.networking.k8s.io} objects, under whichever
 * version the CRD stores them, from the moment the gateway starts (an {@link Informer} needs the
 * resource type up front, which a CRD installed later does not give). Handlers run inside the
 * store's lock: they must only mark or enqueue.
 */
final class HttpRouteWatch {
    private static final List<String> VERSIONS = List.of("v1", "v1beta1");

    private final Map<String, ObjectNode> byKey = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> typeOf = new ConcurrentHashMap<>();
    private final List<Informer.Handler> handlers = new CopyOnWriteArrayList<>();
    private final Runnable stop;

    HttpRouteWatch(Store store) {
        synchronized (store) {
            for (String version : VERSIONS) {
                ResourceType t = new ResourceType(HttpRouteRouter.GROUP, version, "HTTPRoute", HttpRouteRouter.PLURAL, true, List.of(), true, false);
                for (ObjectNode o : store.list(t, null, x -> true).items()) {
                    byKey.putIfAbsent(Meta.key(o), o);
                    typeOf.putIfAbsent(Meta.key(o), t);
                }
            }
            stop = store.watch(store.revision(), this::onChange);
        }
    }

    private void onChange(Store.Change change) {
        ResourceType t = change.resource();
        if (!t.group().equals(HttpRouteRouter.GROUP) || !t.plural().equals(HttpRouteRouter.PLURAL)) {
            return;
        }
        ObjectNode o = change.object();
        String key = Meta.key(o);
        ObjectNode before;
        if (change.type().equals("DELETED")) {
            before = byKey.remove(key);
            typeOf.remove(key);
            o = null;
        } else {
            before = byKey.put(key, o);
            typeOf.put(key, t);
        }
        for (Informer.Handler h : handlers) {
            h.onChange(before, o);
        }
    }

    /** Calls {@code h} on every change from now on. */
    void addHandler(Informer.Handler h) {
        handlers.add(h);
    }

    /** The cached HTTPRoute (shared: copy before changing), or null. */
    ObjectNode get(String key) {
        return byKey.get(key);
    }

    /** The type the HTTPRoute is stored under (for writing its status), or null. */
    ResourceType type(String key) {
        return typeOf.get(key);
    }

    Collection<ObjectNode> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    void stop() {
        stop.run();
    }
}
