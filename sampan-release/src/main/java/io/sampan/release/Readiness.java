package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Whether a set of workloads is ready on a cluster, and if not, what it waits on or why it failed. */
record Readiness(Release release, Release.ClusterTarget target, ClusterDriver driver) {

    /** {@code null} when every workload is ready; else the progress to record (waiting, or failed). */
    ClusterProgress check(List<HasMetadata> workloads, ClusterProgress cp, Instant now, Instant deadline) {
        if (workloads.isEmpty()) {
            return null;
        }
        ObservedState observed = driver.observe(target.namespace(), release.ownerLabels());
        List<String> waiting = new ArrayList<>();
        HasMetadata firstWaiting = null;
        for (HasMetadata desired : workloads) {
            HasMetadata seen = observed.find(ObjectRef.of(desired)).orElse(null);
            RolloutStatus status = seen == null ? new RolloutStatus.InProgress("not created yet") : RolloutStatus.of(seen);
            if (status instanceof RolloutStatus.Failed f) {
                Diagnosis.Reason reason = Diagnosis.explain(desired, observed);
                return cp.fail(now, desired.getMetadata().getName() + ": " + (reason != null ? reason.message() : f.message()),
                        reason == null ? "PROGRESS_DEADLINE" : reason.kind().name());
            }
            if (!(status instanceof RolloutStatus.Done)) {
                waiting.add(desired.getMetadata().getName() + ": " + status.message());
                firstWaiting = firstWaiting == null ? desired : firstWaiting;
            }
        }
        if (waiting.isEmpty()) {
            return null;
        }
        if (!now.isBefore(deadline)) {
            return timedOut(firstWaiting, observed, cp, now, "not ready within " + ReleaseEngine.human(release.progressDeadline()) + ": "
                    + String.join("; ", waiting));
        }
        Diagnosis.Reason why = Diagnosis.explain(firstWaiting, observed);
        // what keeps it from being ready is shown while waiting, not only when the deadline fails it
        return cp.note(String.join("; ", waiting) + (why == null ? "" : " (" + firstWaiting.getMetadata().getName() + ": " + why.message() + ")"));
    }

    static ClusterProgress timedOut(HasMetadata workload, ObservedState observed, ClusterProgress cp, Instant now, String fallback) {
        Diagnosis.Reason reason = Diagnosis.explain(workload, observed);
        if (reason == null) {
            return cp.fail(now, fallback, "DEADLINE_EXCEEDED");
        }
        return cp.fail(now, workload.getMetadata().getName() + ": " + reason.message(), reason.kind().name());
    }
}
