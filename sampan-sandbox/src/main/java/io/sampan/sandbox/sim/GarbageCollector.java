package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.DeleteOptions;
import io.sampan.sandbox.Finalizers;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner-reference garbage collector, with the three propagation policies:
 * <ul>
 * <li>Background: when an owner is deleted, every object that names it in
 * {@code metadata.ownerReferences} and has no other owner left is deleted too, and so on down the
 * chain (Deployment → ReplicaSets → Pods);</li>
 * <li>Foreground: an owner waiting with the {@code foregroundDeletion} finalizer has its dependents
 * deleted (those with dependents of their own in foreground too), and loses the finalizer — and so
 * goes — once no dependent with {@code blockOwnerDeletion} is left;</li>
 * <li>Orphan: an owner waiting with the {@code orphan} finalizer has its reference removed from
 * every dependent, then loses the finalizer.</li>
 * </ul>
 */
public final class GarbageCollector implements Controller {
    private record Ref(ResourceType type, String namespace, String name, String uid, List<String> owners) {
    }

    private final Api api;
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();
    private final Map<String, Ref> byKey = new ConcurrentHashMap<>();
    /** Owners waiting for the collector (foregroundDeletion or orphan finalizer), by uid. */
    private final Map<String, Ref> waiting = new ConcurrentHashMap<>();
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
                    waiting.remove(uid);
                    Ref old = byKey.get(change.resource().plural() + "/" + Meta.key(o));
                    forget(change.resource(), o);
                    if (dependents.containsKey(uid)) {
                        manager.enqueue(this, uid);
                    }
                    if (old != null) {
                        old.owners().stream().filter(waiting::containsKey).forEach(owner -> manager.enqueue(this, owner));
                    }
                } else {
                    live.add(uid);
                    track(change.resource(), o);
                    List<String> finalizers = Finalizers.of(o);
                    if (Finalizers.deleting(o) && (finalizers.contains(Finalizers.FOREGROUND) || finalizers.contains(Finalizers.ORPHAN))) {
                        waiting.put(uid, new Ref(change.resource(), Meta.namespace(o), Meta.name(o), uid, List.of()));
                        manager.enqueue(this, uid);
                    }
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
        byKey.put(key, new Ref(t, Meta.namespace(o), Meta.name(o), Meta.uid(o), owners));
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
        Ref owner = waiting.get(ownerUid);
        if (owner != null) {
            finalize(owner);
            return;
        }
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

    /** Works on an owner held by the foregroundDeletion or orphan finalizer. */
    private void finalize(Ref ref) {
        Optional<ObjectNode> found = api.get(ref.type(), ref.namespace(), ref.name());
        if (found.isEmpty() || !Meta.uid(found.get()).equals(ref.uid())) {
            waiting.remove(ref.uid());
            return;
        }
        ObjectNode owner = found.get();
        List<Ref> deps = new ArrayList<>();
        for (String key : List.copyOf(dependents.getOrDefault(ref.uid(), Set.of()))) {
            Ref dep = byKey.get(key);
            if (dep != null) {
                deps.add(dep);
            }
        }
        List<String> finalizers = Finalizers.of(owner);
        if (finalizers.contains(Finalizers.ORPHAN)) {
            for (Ref dep : deps) {
                api.get(dep.type(), dep.namespace(), dep.name()).ifPresent(d -> {
                    ArrayNode refs = (ArrayNode) d.path("metadata").path("ownerReferences");
                    for (int i = refs.size() - 1; i >= 0; i--) {
                        if (refs.get(i).path("uid").asText().equals(ref.uid())) {
                            refs.remove(i);
                        }
                    }
                    if (refs.isEmpty()) {
                        d.with("metadata").remove("ownerReferences");
                    }
                    d.with("metadata").remove("resourceVersion");
                    api.update(dep.type(), d);
                });
            }
            removeFinalizer(ref, Finalizers.ORPHAN);
            return;
        }
        if (!finalizers.contains(Finalizers.FOREGROUND)) {
            waiting.remove(ref.uid());
            return;
        }
        boolean blocked = false;
        for (Ref dep : deps) {
            Optional<ObjectNode> d = api.get(dep.type(), dep.namespace(), dep.name());
            if (d.isEmpty()) {
                continue;
            }
            if (!Finalizers.deleting(d.get())) {
                String policy = dependents.containsKey(dep.uid()) ? DeleteOptions.FOREGROUND : DeleteOptions.BACKGROUND;
                try {
                    api.store().delete(dep.type(), dep.namespace(), dep.name(), DeleteOptions.propagation(policy));
                } catch (ApiError e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                }
                d = api.get(dep.type(), dep.namespace(), dep.name());
            }
            blocked |= d.isPresent() && blocks(d.get(), ref.uid());
        }
        if (!blocked) {
            removeFinalizer(ref, Finalizers.FOREGROUND);
        }
    }

    private static boolean blocks(ObjectNode dependent, String ownerUid) {
        for (JsonNode r : dependent.path("metadata").path("ownerReferences")) {
            if (r.path("uid").asText().equals(ownerUid) && r.path("blockOwnerDeletion").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private void removeFinalizer(Ref ref, String finalizer) {
        api.get(ref.type(), ref.namespace(), ref.name()).ifPresent(o -> {
            if (Finalizers.remove(o, finalizer)) {
                o.with("metadata").remove("resourceVersion");
                api.update(ref.type(), o);
            }
        });
        waiting.remove(ref.uid());
    }

    public void stop() {
        stop.run();
    }
}
