package io.sampan.server.registry;

import java.time.Instant;
import java.util.List;

/**
 * A stage of a project ({@code dev}, {@code prod}...) bound to one or more clusters.
 *
 * @param deployRole the least role that may deploy here ({@code null}: developer)
 * @param approval whether releases wait for approval, and by whom ({@code null}: they do not)
 */
public record Environment(String id, String projectId, String name, EnvironmentProfile profile, List<ClusterBinding> clusters,
        io.sampan.server.access.Role deployRole, Approval approval, Instant createdAt, long version) {
    public Environment {
        clusters = List.copyOf(clusters);
    }
}
