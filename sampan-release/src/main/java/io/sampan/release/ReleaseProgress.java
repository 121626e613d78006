package io.sampan.release;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persisted state of a running release: where each cluster stands. The release's phase is
 * derived from it, never stored twice.
 */
public record ReleaseProgress(Instant startedAt, Map<String, ClusterProgress> clusters, Instant finishedAt) {

    public ReleaseProgress {
        clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    }

    public static ReleaseProgress start(Release release, Instant now) {
        Map<String, ClusterProgress> clusters = new LinkedHashMap<>();
        release.clusters().keySet().forEach(c -> clusters.put(c, new ClusterProgress(Step.PRE_RELEASE_JOBS, now, "starting", 0, null, null)));
        return new ReleaseProgress(now, clusters, null);
    }

    public Phase phase() {
        if (clusters.values().stream().anyMatch(c -> c.step() == Step.FAILED)) {
            return Phase.FAILED;
        }
        if (clusters.values().stream().allMatch(c -> c.step() == Step.DONE)) {
            return Phase.SUCCEEDED;
        }
        return Phase.RUNNING;
    }

    /** The reason of the first failed cluster, prefixed with its name when there are several. */
    public String failureReason() {
        return clusters.entrySet().stream().filter(e -> e.getValue().step() == Step.FAILED)
                .map(e -> (clusters.size() > 1 ? e.getKey() + ": " : "") + e.getValue().message()).findFirst().orElse(null);
    }

    public enum Phase { RUNNING, SUCCEEDED, FAILED }

    /** The steps of a release on one cluster, in order; DONE and FAILED are final. */
    public enum Step { PRE_RELEASE_JOBS, APPLY, WAIT_READY, POST_RELEASE_JOBS, PRUNE, DONE, FAILED }

    /**
     * @param attempts consecutive failed attempts to talk to the cluster in this step
     * @param retryAt when to try again after a failed attempt, or null
     * @param reasonKind the diagnosis kind of a failure, or null
     */
    public record ClusterProgress(Step step, Instant since, String message, int attempts, Instant retryAt, String reasonKind) {
        ClusterProgress moveTo(Step next, Instant now, String message) {
            return new ClusterProgress(next, now, message, 0, null, null);
        }

        ClusterProgress note(String message) {
            return new ClusterProgress(step, since, message, 0, null, reasonKind);
        }

        ClusterProgress fail(Instant now, String message, String kind) {
            return new ClusterProgress(Step.FAILED, now, message, attempts, null, kind);
        }

        public boolean terminal() {
            return step == Step.DONE || step == Step.FAILED;
        }
    }
}
