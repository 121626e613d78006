package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import io.sampan.sandbox.sim.Meta;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A watch-fed cache of the Gateway API objects in the store — HTTPRoutes, Gateways and
 * GatewayClasses — whether or not their CRDs are installed yet: it follows every change to objects
 * of those plurals in {@code gateway.networking.k8s.io}, under whichever version a CRD stores them,
 * from the moment the gateway starts (an {@code Informer} needs the resource type up front, which
 * a CRD installed later does not give), and whether the Gateway CRD itself is installed. Handlers
 * run inside the store's lock: they must only mark or enqueue.
 */
final class GatewayApiWatch {
    static final String HTTP_ROUTES = HttpRouteRouter.PLURAL;
    static final String GATEWAYS = "gateways";
    static final String GATEWAY_CLASSES = "gatewayclasses";
    static final String GATEWAY_CRD = GATEWAYS + "." + HttpRouteRouter.GROUP;
    private static final List<String> VERSIONS = List.of("v1", "v1beta1");

    /** Called with the plural and the object before and after a change (null on add / delete); a CRD change has plural {@code customresourcedefinitions}. */
    interface Handler {
        void onChange(String plural, ObjectNode before, ObjectNode after);
    }

    private final Map<String, Map<String, ObjectNode>> byPlural = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> typeOf = new ConcurrentHashMap<>();
    private final List<Handler> handlers = new CopyOnWriteArrayList<>();
    private final ResourceType crds = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
            List.of(), true, false);
    private volatile boolean gatewayCrd;
    private final Runnable stop;

    GatewayApiWatch(Store store) {
        for (String plural : List.of(HTTP_ROUTES, GATEWAYS, GATEWAY_CLASSES)) {
            byPlural.put(plural, new ConcurrentHashMap<>());
        }
        synchronized (store) {
            for (String plural : byPlural.keySet()) {
                for (String version : VERSIONS) {
                    ResourceType t = new ResourceType(HttpRouteRouter.GROUP, version, plural, plural, !plural.equals(GATEWAY_CLASSES), List.of(), true,
                            false);
                    for (ObjectNode o : store.list(t, null, x -> true).items()) {
                        byPlural.get(plural).putIfAbsent(Meta.key(o), o);
                        typeOf.putIfAbsent(plural + ":" + Meta.key(o), t);
                    }
                }
            }
            gatewayCrd = store.exists(crds, null, GATEWAY_CRD);
            stop = store.watch(store.revision(), this::onChange);
        }
    }

    private void onChange(Store.Change change) {
        ResourceType t = change.resource();
        ObjectNode o = change.object();
        if (t.plural().equals(crds.plural()) && t.group().equals(crds.group())) {
            if (GATEWAY_CRD.equals(Meta.name(o))) {
                gatewayCrd = !change.type().equals("DELETED");
                for (Handler h : handlers) {
                    h.onChange(t.plural(), null, o);
                }
            }
            return;
        }
        Map<String, ObjectNode> objects = byPlural.get(t.plural());
        if (objects == null || !t.group().equals(HttpRouteRouter.GROUP)) {
            return;
        }
        String key = Meta.key(o);
        ObjectNode before;
        if (change.type().equals("DELETED")) {
            before = objects.remove(key);
            typeOf.remove(t.plural() + ":" + key);
            o = null;
        } else {
            before = objects.put(key, o);
            typeOf.put(t.plural() + ":" + key, t);
        }
        for (Handler h : handlers) {
            h.onChange(t.plural(), before, o);
        }
    }

    /** Calls {@code h} on every change from now on. */
    void addHandler(Handler h) {
        handlers.add(h);
    }

    /** Whether the Gateway CRD is installed: then HTTPRoutes attach only to Gateways of the sandbox's classes. */
    boolean gatewayCrdInstalled() {
        return gatewayCrd;
    }

    /** The cached object of a plural by key (shared: copy before changing), or null. */
    ObjectNode get(String plural, String key) {
        return byPlural.get(plural).get(key);
    }

    /** The type the object is stored under (for writing its status), or null. */
    ResourceType type(String plural, String key) {
        return typeOf.get(plural + ":" + key);
    }

    Collection<ObjectNode> all(String plural) {
        return Collections.unmodifiableCollection(byPlural.get(plural).values());
    }

    void stop() {
        stop.run();
    }
}
