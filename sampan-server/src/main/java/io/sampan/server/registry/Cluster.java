package io.sampan.server.registry;

import java.time.Instant;

/** A registered Kubernetes cluster. Its credentials are kept apart and never leave the server. */
public record Cluster(String id, String name, String server, String kubernetesVersion, ClusterHealth health, String healthReason,
        Instant checkedAt, Instant createdAt, long version) {
}
