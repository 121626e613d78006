package io.sampan.server.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver one release uses for one cluster during one tick of the release runner. Observing is
 * the driver's (for a cluster registered by kubeconfig, a lookup in its watch-fed mirror, however
 * many releases wait in a namespace). A release that wrote to a cluster in its tick observes its own
 * workloads from the cluster for the rest of that tick (without events and logs: nothing is there to
 * diagnose yet), so it never judges its objects from a view taken before its write.
 */
final class SharedObservations {

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
                return wrote ? driver.observeWorkloads(namespace, labels) : driver.observe(namespace, labels);
            }

            @Override
            public boolean serves(String apiVersion, String kind) {
                return driver.serves(apiVersion, kind);
            }
        };
    }
}
