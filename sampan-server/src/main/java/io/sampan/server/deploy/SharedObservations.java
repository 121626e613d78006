package io.sampan.server.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One pass of the release runner observes each namespace once, however many releases in it are
 * waiting: a thousand apps deploying into one namespace cost one look at it per pass, not a thousand.
 * A release that wrote to a cluster in its tick observes its own workloads afresh for the rest of
 * that tick (without events and logs: nothing is there to diagnose yet), so it never judges its
 * objects from a view taken before its write.
 */
final class SharedObservations {
    static final Map<String, String> MANAGED = Map.of("app.kubernetes.io/managed-by", "sampan");
    private final ConcurrentMap<String, CompletableFuture<ObservedState>> namespaces = new ConcurrentHashMap<>();

    /** The driver one release uses for one cluster during one tick. */
    ClusterDriver forTick(String cluster, ClusterDriver driver) {
        return new ClusterDriver() {
            private boolean wrote;

            @Override
            public void apply(List<HasMetadata> objects) {
                wrote = true;
                driver.apply(objects);
            }

            @Override
            public List<ObjectRef> list(String namespace, Map<String, String> labels) {
                return driver.list(namespace, labels);
            }

            @Override
            public Optional<HasMetadata> get(ObjectRef ref) {
                return driver.get(ref);
            }

            @Override
            public void delete(ObjectRef ref) {
                wrote = true;
                driver.delete(ref);
            }

            @Override
            public ObservedState observe(String namespace, Map<String, String> labels) {
                if (wrote) {
                    return driver.observeWorkloads(namespace, labels);
                }
                return ObservationCache.forApp(namespace(cluster, namespace, driver), labels);
            }
        };
    }

    private ObservedState namespace(String cluster, String namespace, ClusterDriver driver) {
        String key = cluster + "/" + namespace;
        CompletableFuture<ObservedState> mine = new CompletableFuture<>();
        CompletableFuture<ObservedState> existing = namespaces.putIfAbsent(key, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            ObservedState all = driver.observe(namespace, MANAGED);
            mine.complete(all);
            return all;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
