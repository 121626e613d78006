package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner-reference garbage collector (background propagation): when an object is deleted, every
 * object that names it in {@code metadata.ownerReferences} and has no other owner left is deleted
 * too, and so on down the chain (Deployment → ReplicaSets → Pods).
 */
public final class GarbageCollector implements Controller {
    private record Ref(ResourceType type, String namespace, String name, List<String> owners) {
    }

    private final Api api;
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();
    private final Map<String, Ref> byKey = new ConcurrentHashMap<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Runnable stop;

    public GarbageCollector(Api api, ControllerManager manager) {
        this.api = api;
        Store store = api.store();
        synchronized (store) {
            stop = store.watch(store.revision(), change -> {
                ObjectNode o = change.object();
                String uid = Meta.uid(o);
                if (change.type().equals("DELETED")) {
                    live.remove(uid);
                    forget(change.resource(), o);
                    if (dependents.containsKey(uid)) {
                        manager.enqueue(this, uid);
                    }
                } else {
                    live.add(uid);
                    track(change.resource(), o);
                }
            });
        }
    }

    private void track(ResourceType t, ObjectNode o) {
        JsonNode refs = o.path("metadata").path("ownerReferences");
        String key = t.plural() + "/" + Meta.key(o);
        if (refs.isEmpty() && !byKey.containsKey(key)) {
            return;
        }
        forget(t, o);
        List<String> owners = new ArrayList<>();
        refs.forEach(r -> owners.add(r.path("uid").asText()));
        if (owners.isEmpty()) {
            return;
        }
        byKey.put(key, new Ref(t, Meta.namespace(o), Meta.name(o), owners));
        for (String owner : owners) {
            dependents.computeIfAbsent(owner, x -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    private void forget(ResourceType t, ObjectNode o) {
        String key = t.plural() + "/" + Meta.key(o);
        Ref old = byKey.remove(key);
        if (old != null) {
            for (String owner : old.owners()) {
                Set<String> deps = dependents.get(owner);
                if (deps != null) {
                    deps.remove(key);
                }
            }
        }
    }

    @Override
    public String name() {
        return "garbage-collector";
    }

    @Override
    public void reconcile(String ownerUid) {
        if (live.contains(ownerUid)) {
            return;
        }
        Set<String> deps = dependents.remove(ownerUid);
        if (deps == null) {
            return;
        }
        for (String key : List.copyOf(deps)) {
            Ref ref = byKey.get(key);
            if (ref != null && ref.owners().stream().noneMatch(live::contains)) {
                api.delete(ref.type(), ref.namespace(), ref.name());
            }
        }
    }

    public void stop() {
        stop.run();
    }
}
