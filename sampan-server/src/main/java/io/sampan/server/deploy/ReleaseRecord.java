package io.sampan.server.deploy;

import io.sampan.release.Release;
import io.sampan.release.ReleaseProgress;
import java.time.Instant;

/**
 * A stored release: who asked for what and when, the environment's inputs it was compiled with,
 * its exact content, and its progress.
 */
public record ReleaseRecord(String id, String appId, String environmentId, int number, int revision, Integer rollbackOf, String requestedBy,
        String message, Inputs inputs, Release content, ReleaseProgress progress, Instant createdAt, long version, Approval approval) {

    /** Whether the release waits for, or got, approval; {@code NONE} when its environment asks for none. */
    public enum ApprovalState { NONE, PENDING, APPROVED, REJECTED }

    public record Approval(ApprovalState state, String by) {
        public static final Approval NONE = new Approval(ApprovalState.NONE, null);
    }

    public boolean awaitingApproval() {
        return approval.state() == ApprovalState.PENDING;
    }

    /** The environment as it was when the release was made. */
    public record Inputs(io.sampan.server.registry.EnvironmentProfile profile, java.util.List<io.sampan.server.registry.ClusterBinding> clusters) {
    }
}
