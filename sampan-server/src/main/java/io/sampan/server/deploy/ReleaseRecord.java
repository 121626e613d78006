package io.sampan.server.deploy;

import io.sampan.release.Release;
import io.sampan.release.ReleaseProgress;
import java.time.Instant;

/**
 * A stored release: who asked for what and when, the environment's inputs it was compiled with,
 * its exact content, and its progress.
 */
public record ReleaseRecord(String id, String appId, String environmentId, int number, int revision, Integer rollbackOf, String requestedBy,
        String message, Inputs inputs, Release content, ReleaseProgress progress, Instant createdAt, long version) {

    /** The environment as it was when the release was made. */
    public record Inputs(io.sampan.server.registry.EnvironmentProfile profile, java.util.List<io.sampan.server.registry.ClusterBinding> clusters) {
    }
}
