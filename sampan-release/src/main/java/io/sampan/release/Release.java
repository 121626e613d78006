package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one release puts on each cluster: the exact rendered objects (immutable once recorded, so a
 * rollback re-applies precisely what ran before), how long each step may take, the plan it follows,
 * and the objects of the release it replaces (what a batch keeps as the stable side and what an
 * automatic rollback returns to; empty for an app's first release).
 *
 * @param ownerLabels labels that mark every object Sampan owns of this app in this environment;
 *     objects with them that the release does not contain are pruned
 */
public record Release(String app, String environment, int number, Map<String, ClusterTarget> clusters, Map<String, String> ownerLabels,
        Duration progressDeadline, ReleasePlan plan, Map<String, ClusterTarget> previous) {

    public Release {
        clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        ownerLabels = Map.copyOf(ownerLabels);
        plan = plan == null ? ReleasePlan.rolling(List.copyOf(clusters.keySet())) : plan;
        previous = previous == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(previous));
    }

    /** A plain rolling update on every cluster at once, replacing nothing known. */
    public Release(String app, String environment, int number, Map<String, ClusterTarget> clusters, Map<String, String> ownerLabels,
            Duration progressDeadline) {
        this(app, environment, number, clusters, ownerLabels, progressDeadline, null, null);
    }

    /** The same release following another plan and replacing {@code previous}. */
    public Release with(ReleasePlan plan, Map<String, ClusterTarget> previous) {
        return new Release(app, environment, number, clusters, ownerLabels, plan.policy().progressDeadline(), plan, previous);
    }

    /** One cluster's share of a release: its namespace and objects. */
    public record ClusterTarget(String namespace, List<HasMetadata> objects) {
        public ClusterTarget {
            objects = List.copyOf(objects);
        }
    }
}
