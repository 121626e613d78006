package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one release puts on each cluster: the exact rendered objects (immutable once recorded, so a
 * rollback re-applies precisely what ran before), and how long it may take to become ready.
 *
 * @param ownerLabels labels that mark every object Sampan owns of this app in this environment;
 *     objects with them that the release does not contain are pruned
 */
public record Release(String app, String environment, int number, Map<String, ClusterTarget> clusters, Map<String, String> ownerLabels,
        Duration progressDeadline) {

    public Release {
        clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        ownerLabels = Map.copyOf(ownerLabels);
    }

    /** One cluster's share of a release: its namespace and objects. */
    public record ClusterTarget(String namespace, List<HasMetadata> objects) {
        public ClusterTarget {
            objects = List.copyOf(objects);
        }
    }
}
