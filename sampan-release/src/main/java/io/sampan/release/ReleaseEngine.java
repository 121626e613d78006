package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Moves a release forward, one tick at a time, on every cluster it targets. Level-triggered: each
 * tick looks at the persisted progress and at what the cluster shows now, and does the next thing
 * (applying is idempotent), so a crash between ticks loses nothing and repeats nothing harmful.
 *
 * <p>Per cluster: pre-release jobs (run and wait) → apply everything else (server-side apply) →
 * wait until every workload is ready → post-release jobs → prune objects of earlier releases → done.
 * A cluster that cannot be reached is retried with backoff until the release's deadline; a release
 * that is not ready by its deadline fails with the reason the cluster shows.
 */
public final class ReleaseEngine {
    static final String TRIGGER = "sampan.io/trigger";
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Function<String, ClusterDriver> drivers;

    /** @param drivers the driver of each cluster, by cluster name */
    public ReleaseEngine(Function<String, ClusterDriver> drivers) {
        this.drivers = drivers;
    }

    public ReleaseProgress tick(Release release, ReleaseProgress progress, Instant now) {
        if (progress.phase() != ReleaseProgress.Phase.RUNNING) {
            return progress;
        }
        Map<String, ClusterProgress> next = new LinkedHashMap<>();
        Instant deadline = progress.startedAt().plus(release.progressDeadline());
        for (var e : progress.clusters().entrySet()) {
            ClusterProgress cp = e.getValue();
            if (cp.terminal() || cp.retryAt() != null && now.isBefore(cp.retryAt())) {
                next.put(e.getKey(), cp);
                continue;
            }
            Release.ClusterTarget target = release.clusters().get(e.getKey());
            try {
                next.put(e.getKey(), advance(release, target, drivers.apply(e.getKey()), cp, now, deadline));
            } catch (ClusterDriver.Unreachable u) {
                next.put(e.getKey(), unreachable(e.getKey(), cp, u.getMessage(), now, deadline));
            }
        }
        ReleaseProgress result = new ReleaseProgress(progress.startedAt(), next, null);
        return result.phase() == ReleaseProgress.Phase.RUNNING ? result : new ReleaseProgress(progress.startedAt(), next, now);
    }

    private ClusterProgress advance(Release release, Release.ClusterTarget target, ClusterDriver driver, ClusterProgress cp, Instant now,
            Instant deadline) {
        List<HasMetadata> pre = jobs(target, "pre-release");
        List<HasMetadata> post = jobs(target, "post-release");
        return switch (cp.step()) {
            case PRE_RELEASE_JOBS -> {
                // addons first (see Prerequisites): nothing of the app runs before its addons are ready
                ClusterProgress addons = Prerequisites.await(Prerequisites.of(target), driver, cp, now, deadline);
                if (addons != null) {
                    yield addons;
                }
                ClusterProgress unfinished = runJobs(release, target, driver, pre, cp, now, deadline, "pre-release job");
                yield unfinished != null ? unfinished : advance(release, target, driver, cp.moveTo(Step.APPLY, now, "applying"), now, deadline);
            }
            case APPLY -> {
                List<HasMetadata> rest = target.objects().stream().filter(o -> !pre.contains(o) && !post.contains(o)).toList();
                driver.apply(rest);
                yield advance(release, target, driver, cp.moveTo(Step.WAIT_READY, now, "waiting for instances to be ready"), now, deadline);
            }
            case WAIT_READY -> waitReady(release, target, driver, cp, now, deadline);
            case POST_RELEASE_JOBS -> {
                ClusterProgress unfinished = runJobs(release, target, driver, post, cp, now, deadline, "post-release job");
                yield unfinished != null ? unfinished : advance(release, target, driver, cp.moveTo(Step.PRUNE, now, "pruning"), now, deadline);
            }
            case PRUNE -> {
                prune(release, target, driver);
                yield cp.moveTo(Step.DONE, now, "ready");
            }
            case DONE, FAILED -> cp;
        };
    }

    /** Applies the jobs and looks at them: {@code null} when all finished, else the progress to record. */
    private ClusterProgress runJobs(Release release, Release.ClusterTarget target, ClusterDriver driver, List<HasMetadata> jobs,
            ClusterProgress cp, Instant now, Instant deadline, String what) {
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
            return timedOut(jobs.get(0), observed, cp, now, what + "s not finished: " + String.join("; ", waiting));
        }
        return cp.note("waiting for " + what + "s: " + String.join("; ", waiting));
    }

    private ClusterProgress waitReady(Release release, Release.ClusterTarget target, ClusterDriver driver, ClusterProgress cp, Instant now,
            Instant deadline) {
        ObservedState observed = driver.observe(target.namespace(), release.ownerLabels());
        List<String> waiting = new ArrayList<>();
        HasMetadata firstWaiting = null;
        for (HasMetadata desired : target.objects()) {
            if (!isWorkload(desired) || desired instanceof Job || Prerequisites.is(desired)) { // addons: waited for before
                continue;
            }
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
            return advance(release, target, driver, cp.moveTo(Step.POST_RELEASE_JOBS, now, "running post-release jobs"), now, deadline);
        }
        if (!now.isBefore(deadline)) {
            return timedOut(firstWaiting, observed, cp, now, "not ready within " + human(release.progressDeadline()) + ": "
                    + String.join("; ", waiting));
        }
        Diagnosis.Reason why = Diagnosis.explain(firstWaiting, observed);
        // what keeps it from being ready is shown while waiting, not only when the deadline fails it
        return cp.note(String.join("; ", waiting) + (why == null ? "" : " (" + firstWaiting.getMetadata().getName() + ": " + why.message() + ")"));
    }

    private static ClusterProgress timedOut(HasMetadata workload, ObservedState observed, ClusterProgress cp, Instant now, String fallback) {
        Diagnosis.Reason reason = Diagnosis.explain(workload, observed);
        if (reason == null) {
            return cp.fail(now, fallback, "DEADLINE_EXCEEDED");
        }
        return cp.fail(now, workload.getMetadata().getName() + ": " + reason.message(), reason.kind().name());
    }

    private void prune(Release release, Release.ClusterTarget target, ClusterDriver driver) {
        Set<String> keep = new HashSet<>();
        target.objects().forEach(o -> keep.add(o.getKind() + "/" + o.getMetadata().getName()));
        for (ObjectRef owned : driver.list(target.namespace(), release.ownerLabels())) {
            if (!keep.contains(owned.kind() + "/" + owned.name())) {
                driver.delete(owned);
            }
        }
    }

    private static ClusterProgress unreachable(String cluster, ClusterProgress cp, String reason, Instant now, Instant deadline) {
        if (!now.isBefore(deadline)) {
            return cp.fail(now, "cluster " + cluster + " unreachable: " + reason, "CLUSTER_UNREACHABLE");
        }
        int attempts = cp.attempts() + 1;
        long backoff = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempts - 1, 10));
        return new ClusterProgress(cp.step(), cp.since(), "cluster " + cluster + " unreachable (" + reason + "), retrying", attempts,
                now.plusMillis(backoff), cp.reasonKind());
    }

    private static List<HasMetadata> jobs(Release.ClusterTarget target, String trigger) {
        return target.objects().stream().filter(o -> o instanceof Job && o.getMetadata().getAnnotations() != null
                && trigger.equals(o.getMetadata().getAnnotations().get(TRIGGER))).toList();
    }

    private static boolean isWorkload(HasMetadata o) {
        return switch (o.getKind()) {
            case "Deployment", "StatefulSet", "Job" -> true;
            default -> false;
        };
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
