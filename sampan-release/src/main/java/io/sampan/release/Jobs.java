package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Pre- and post-release jobs on one cluster: applied, then waited for until complete or failed. */
record Jobs(Release release, Release.ClusterTarget target, ClusterDriver driver) {

    /** Applies the jobs and looks at them: {@code null} when all finished, else the progress to record. */
    ClusterProgress run(List<HasMetadata> jobs, ClusterProgress cp, Instant now, Instant deadline, String what) {
        if (jobs.isEmpty()) {
            return null;
        }
        driver.apply(jobs);
        ObservedState observed = driver.observe(target.namespace(), release.ownerLabels());
        List<String> waiting = new ArrayList<>();
        for (HasMetadata job : jobs) {
            HasMetadata seen = observed.find(ObjectRef.of(job)).orElse(null);
            RolloutStatus status = seen == null ? new RolloutStatus.InProgress("job not created yet") : RolloutStatus.of(seen);
            if (status instanceof RolloutStatus.Failed f) {
                Diagnosis.Reason reason = Diagnosis.explain(job, observed);
                return cp.fail(now, what + " " + job.getMetadata().getName() + " failed: " + f.message()
                        + (reason == null ? "" : "; " + reason.message()), reason == null ? "JOB_FAILED" : reason.kind().name());
            }
            if (!(status instanceof RolloutStatus.Done)) {
                waiting.add(job.getMetadata().getName() + ": " + status.message());
            }
        }
        if (waiting.isEmpty()) {
            return null;
        }
        if (!now.isBefore(deadline)) {
            return Readiness.timedOut(jobs.get(0), observed, cp, now, what + "s not finished: " + String.join("; ", waiting));
        }
        return cp.note("waiting for " + what + "s: " + String.join("; ", waiting));
    }
}
