package io.sampan.server.deploy;

import io.sampan.release.Release;
import io.sampan.release.ReleaseProgress;
import java.time.Instant;

/** A stored release: who asked for what and when, its exact content, and its progress. */
public record ReleaseRecord(String id, String appId, String environmentId, int number, int revision, Integer rollbackOf, String requestedBy,
        String message, Release content, ReleaseProgress progress, Instant createdAt, long version) {
}
