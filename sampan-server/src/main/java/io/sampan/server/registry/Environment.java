package io.sampan.server.registry;

import java.time.Instant;
import java.util.List;

/** A stage of a project ({@code dev}, {@code prod}...) bound to one or more clusters. */
public record Environment(String id, String projectId, String name, EnvironmentProfile profile, List<ClusterBinding> clusters,
        Instant createdAt, long version) {
    public Environment {
        clusters = List.copyOf(clusters);
    }
}
