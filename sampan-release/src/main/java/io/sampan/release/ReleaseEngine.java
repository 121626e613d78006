package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import io.sampan.release.ReleaseProgress.Control;
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
 * Moves a release forward, one tick at a time, on every cluster it targets, following its plan.
 * Level-triggered: each tick looks at the persisted progress and at what the cluster shows now, and
 * does the next thing (every write is idempotent), so a crash between ticks loses nothing and
 * repeats nothing harmful.
 *
 * <p>Per cluster, once the waves before its own have succeeded: prerequisites (addons the app waits
 * for) → pre-release jobs → for each stage of services (dependencies first) and each of its batches:
 * apply → wait until ready → pause (for a person, for a while, or not) → post-release jobs → prune
 * objects of earlier releases → done. A failure anywhere stops the whole plan; with autoRollback every
 * cluster the release touched returns to the previous release's objects. A cluster that cannot be
 * reached is retried with backoff until the step's deadline; a step not done by its deadline fails
 * with the reason the cluster shows.
 */
public final class ReleaseEngine {
    static final String TRIGGER = "sampan.io/trigger";
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** How long a canary's Services and pods stay after the routing to them is gone, unless set otherwise. */
    public static final Duration DEFAULT_CANARY_DRAIN = Duration.ofSeconds(10);

    private final Function<String, ClusterDriver> drivers;
    private final GateProbe gates;
    private final Duration canaryDrain;

    /** @param drivers the driver of each cluster, by cluster name */
    public ReleaseEngine(Function<String, ClusterDriver> drivers) {
        this(drivers, GateProbe.NONE);
    }

    /** @param gates reads the plan's gates (Prometheus queries, webhooks) */
    public ReleaseEngine(Function<String, ClusterDriver> drivers, GateProbe gates) {
        this(drivers, gates, DEFAULT_CANARY_DRAIN);
    }

    /**
     * @param canaryDrain at the end of a canary stage, how long the canary's Services and pods stay
     *        after the routing to them is gone (zero: they go with it)
     */
    public ReleaseEngine(Function<String, ClusterDriver> drivers, GateProbe gates, Duration canaryDrain) {
        this.drivers = drivers;
        this.gates = gates;
        this.canaryDrain = canaryDrain;
    }

    public ReleaseProgress tick(Release release, ReleaseProgress progress, Instant now) {
        return step(release, progress, now).progress();
    }

    /** A tick's result: the new progress and every step each cluster went through in it, in order. */
    public record Tick(ReleaseProgress progress, List<ReleaseProgress.Transition> transitions) {
    }

    /** As {@link #tick}, also saying which steps each cluster went through (a tick may pass several). */
    public Tick step(Release release, ReleaseProgress progress, Instant now) {
        if (progress.phase() != ReleaseProgress.Phase.RUNNING) {
            return new Tick(progress, List.of());
        }
        Trail trail = new Trail(progress);
        Control control = progress.control();
        Map<String, ClusterProgress> next = new LinkedHashMap<>(progress.clusters());
        if (control.abortedBy() != null) {
            returnToPrevious(next, "aborted by " + control.abortedBy(), now);
        }
        for (String cluster : release.clusters().keySet()) {
            ClusterProgress cp = next.get(cluster);
            if (cp.terminal() || cp.retryAt() != null && now.isBefore(cp.retryAt())
                    || control.paused() && !(cp.step() instanceof Step.RollingBack)) {
                continue;
            }
            if (cp.step() instanceof Step.AwaitWave w) {
                String before = earlierWaveNotDone(release, next, w.wave());
                if (before != null) {
                    next.put(cluster, cp.note("waiting for wave " + w.wave() + " (" + before + ") to succeed"));
                    continue;
                }
                cp = cp.moveTo(new Step.Prerequisites(), now, "starting");
            }
            Batches batches = new Batches(release, cluster, drivers.apply(cluster), control, trail, gates);
            try {
                next.put(cluster, batches.advance(cp, now));
            } catch (ClusterDriver.Unreachable u) {
                next.put(cluster, unreachable(cluster, cp, u.getMessage(), now, cp.since().plus(release.progressDeadline())));
            }
            trail.end(cluster, next.get(cluster));
        }
        stopOnFailure(release, next, now);
        ReleaseProgress result = new ReleaseProgress(progress.startedAt(), next, null, control);
        result = result.phase() == ReleaseProgress.Phase.RUNNING ? result : new ReleaseProgress(progress.startedAt(), next, now, control);
        return new Tick(result, trail.close(next));
    }

    /** The steps clusters pass through in one tick. */
    private static final class Trail {
        private final Map<String, Step> last = new LinkedHashMap<>();
        private final List<ReleaseProgress.Transition> passed = new ArrayList<>();

        Trail(ReleaseProgress start) {
            start.clusters().forEach((c, cp) -> last.put(c, cp.step()));
        }

        void at(String cluster, ClusterProgress cp) {
            if (!cp.step().equals(last.get(cluster))) {
                last.put(cluster, cp.step());
                passed.add(new ReleaseProgress.Transition(cluster, cp.step().label(), cp.message()));
            }
        }

        /** Where a cluster ended its part of the tick: its last step, with the message it ended with. */
        void end(String cluster, ClusterProgress cp) {
            if (!cp.step().equals(last.get(cluster))) {
                at(cluster, cp);
                return;
            }
            for (int i = passed.size() - 1; i >= 0; i--) {
                if (passed.get(i).cluster().equals(cluster)) {
                    passed.set(i, new ReleaseProgress.Transition(cluster, cp.step().label(), cp.message()));
                    return;
                }
            }
        }

        /** The passed steps, in order, with the steps a failure moved clusters to. */
        List<ReleaseProgress.Transition> close(Map<String, ClusterProgress> end) {
            end.forEach((cluster, cp) -> {
                if (!cp.step().equals(last.get(cluster))) {
                    at(cluster, cp);
                }
            });
            return List.copyOf(passed);
        }
    }

    /** Names a cluster of an earlier wave that has not succeeded yet, or null. */
    private static String earlierWaveNotDone(Release release, Map<String, ClusterProgress> clusters, int wave) {
        for (int w = 0; w < wave; w++) {
            for (String c : release.plan().waves().get(w)) {
                ClusterProgress cp = clusters.get(c);
                if (cp != null && !(cp.step() instanceof Step.Done)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** A failure anywhere stops the plan: the other clusters stop, or with autoRollback everything touched returns. */
    private static void stopOnFailure(Release release, Map<String, ClusterProgress> clusters, Instant now) {
        var failed = clusters.entrySet().stream().filter(e -> e.getValue().step() instanceof Step.Failed f
                && !(f.at() instanceof Step.RollingBack)).findFirst().orElse(null);
        if (failed == null) {
            return;
        }
        String why = (clusters.size() > 1 ? failed.getKey() + ": " : "") + failed.getValue().message();
        if (release.plan().policy().autoRollback()) {
            ClusterProgress f = failed.getValue();
            returnToPrevious(clusters, why, now);
            // the failure's own diagnosis kind stays visible while and after rolling back
            clusters.put(failed.getKey(), new ClusterProgress(new Step.RollingBack(why), now, "returning to the previous release: " + why, 0,
                    null, f.reasonKind()));
            return;
        }
        clusters.replaceAll((c, cp) -> cp.terminal() ? cp
                : new ClusterProgress(new Step.Stopped(cp.step()), now, "stopped: " + why, 0, null, null));
    }

    /** Every cluster the release touched returns to the previous release; clusters it never reached stop. */
    private static void returnToPrevious(Map<String, ClusterProgress> clusters, String why, Instant now) {
        clusters.replaceAll((c, cp) -> switch (cp.step()) {
            case Step.AwaitWave w -> new ClusterProgress(new Step.Stopped(w), now, "not released: " + why, 0, null, null);
            case Step.RollingBack rb -> cp;
            case Step.RolledBack rb -> cp;
            case Step.Stopped s -> cp;
            default -> new ClusterProgress(new Step.RollingBack(why), now, "returning to the previous release: " + why, 0, null, cp.reasonKind());
        });
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

    static List<HasMetadata> triggered(List<HasMetadata> objects, String trigger) {
        return objects.stream().filter(o -> o.getMetadata().getAnnotations() != null
                && trigger.equals(o.getMetadata().getAnnotations().get(TRIGGER))).toList();
    }

    static boolean isRolledOut(HasMetadata o) {
        return o instanceof Deployment || o instanceof StatefulSet;
    }

    static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    /** One tick's work on one cluster. */
    private final class Batches {
        private final Release release;
        private final String cluster;
        private final Release.ClusterTarget target;
        private final ClusterDriver driver;
        private final Control control;
        private final StageWrites writes;
        private final Trail trail;
        private final GateProbe gates;

        Batches(Release release, String cluster, ClusterDriver driver, Control control, Trail trail, GateProbe gates) {
            this.trail = trail;
            this.gates = gates;
            this.release = release;
            this.cluster = cluster;
            this.target = release.clusters().get(cluster);
            this.driver = driver;
            this.control = control;
            this.writes = StageWrites.of(release, target, release.previous().get(cluster));
        }

        ClusterProgress advance(ClusterProgress cp, Instant now) {
            trail.at(cluster, cp);
            Instant deadline = cp.since().plus(release.progressDeadline());
            return switch (cp.step()) {
                case Step.Prerequisites p -> {
                    String missing = CanaryRouting.missingApi(cluster, target.objects(), driver);
                    if (missing != null) {
                        yield cp.fail(now, missing, "API_MISSING");
                    }
                    ClusterProgress waiting = prerequisites(cp, now, deadline);
                    yield waiting != null ? waiting : advance(cp.moveTo(new Step.PreReleaseJobs(), now, "running pre-release jobs"), now);
                }
                case Step.PreReleaseJobs p -> {
                    ClusterProgress waiting = new Jobs(release, target, driver).run(triggered(target.objects(), "pre-release"), cp, now, deadline,
                            "pre-release job");
                    yield waiting != null ? waiting : advance(cp.moveTo(new Step.Apply(0, 0), now, "applying"), now);
                }
                case Step.Apply a -> {
                    int batch = control.full() ? writes.underFull(a.stage(), a.batch())
                            : writes.batching(a.stage(), a.batch()) ? a.batch() : writes.lastBatch();
                    driver.apply(writes.objects(a.stage(), batch, writes.canarying(a.stage(), batch) ? stableHashes() : Map.of()));
                    yield advance(cp.moveTo(new Step.WaitReady(a.stage(), batch), now, "waiting for " + writes.describe(a.stage(), batch)), now);
                }
                case Step.WaitReady w -> waitReady(cp, w, now, deadline);
                case Step.Paused p -> paused(cp, p, now);
                case Step.Gating g -> gate(cp, g, now);
                case Step.Draining d -> drained(cp, d.stage(), d.until(), now);
                case Step.PostReleaseJobs p -> {
                    ClusterProgress waiting = new Jobs(release, target, driver).run(triggered(target.objects(), "post-release"), cp, now, deadline,
                            "post-release job");
                    yield waiting != null ? waiting : advance(cp.moveTo(new Step.Prune(), now, "pruning"), now);
                }
                case Step.Prune p -> {
                    prune(target.objects());
                    yield cp.moveTo(new Step.Done(), now, "ready");
                }
                case Step.RollingBack rb -> rollBack(cp, rb, now, deadline);
                case Step.AwaitWave w -> cp;
                case Step.Done d -> cp;
                case Step.Failed f -> cp;
                case Step.Stopped s -> cp;
                case Step.RolledBack rb -> cp;
            };
        }

        /**
         * The pod-template-hash of each Deployment's largest ReplicaSet: what the stable Service
         * selects during a canary so that only the canary Ingress reaches the canary's pods.
         */
        private Map<String, String> stableHashes() {
            Map<String, String> hashes = new LinkedHashMap<>();
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (var rs : driver.observeWorkloads(target.namespace(), release.ownerLabels()).replicaSets()) {
                String hash = rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get(BatchWrites.POD_TEMPLATE_HASH);
                int size = rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
                for (var owner : rs.getMetadata().getOwnerReferences() == null ? List.<io.fabric8.kubernetes.api.model.OwnerReference>of()
                        : rs.getMetadata().getOwnerReferences()) {
                    if ("Deployment".equals(owner.getKind()) && hash != null && size >= sizes.getOrDefault(owner.getName(), 0)) {
                        hashes.put(owner.getName(), hash);
                        sizes.put(owner.getName(), size);
                    }
                }
            }
            return hashes;
        }

        /** Objects the app waits for before anything of its own (addons): applied, then waited for. */
        private ClusterProgress prerequisites(ClusterProgress cp, Instant now, Instant deadline) {
            List<HasMetadata> wanted = triggered(target.objects(), "prerequisite");
            if (wanted.isEmpty()) {
                return null;
            }
            driver.apply(wanted);
            List<String> waiting = new ArrayList<>();
            for (HasMetadata o : wanted) {
                if (!(o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) && !isRolledOut(o)) {
                    continue; // Services, Secrets, claims: nothing to wait for
                }
                HasMetadata live = driver.get(ObjectRef.of(o)).orElse(null);
                RolloutStatus status = live == null ? new RolloutStatus.InProgress("not created yet") : RolloutStatus.of(live);
                String name = prerequisiteName(o);
                if (status instanceof RolloutStatus.Failed f) {
                    return cp.fail(now, name + " failed: " + f.message(), name.startsWith("addon ") ? "ADDON_FAILED" : "PREREQUISITE_FAILED");
                }
                if (!(status instanceof RolloutStatus.Done)) {
                    waiting.add(name + ": " + status.message());
                }
            }
            if (waiting.isEmpty()) {
                return null;
            }
            if (!now.isBefore(deadline)) {
                return cp.fail(now, String.join("; ", waiting) + " (not ready within " + human(release.progressDeadline()) + ")",
                        "DEADLINE_EXCEEDED");
            }
            return cp.note("waiting for " + String.join("; ", waiting));
        }

        private static String prerequisiteName(HasMetadata o) {
            Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
            String ref = o.getKind() + " " + o.getMetadata().getName();
            String addon = labels.get("sampan.io/addon");
            return addon != null ? "addon " + addon + " (" + ref + ")" : "prerequisite " + ref;
        }

        private ClusterProgress waitReady(ClusterProgress cp, Step.WaitReady w, Instant now, Instant deadline) {
            List<HasMetadata> watched = writes.objects(w.stage(), w.batch()).stream().filter(ReleaseEngine::isRolledOut).toList();
            ClusterProgress waiting = new Readiness(release, target, driver).check(watched, cp, now, deadline);
            if (waiting != null) {
                return waiting;
            }
            if (w.batch() >= writes.lastBatch()) {
                return lastBatchReady(cp, w, now);
            }
            if (!release.plan().policy().gates().isEmpty() && !control.full() && writes.gatesAfter(w.stage(), w.batch())) {
                return advance(cp.moveTo(new Step.Gating(w.stage(), w.batch(), null, 0), now, "checking gates"), now);
            }
            return afterBatch(cp, w.stage(), w.batch(), now);
        }

        /**
         * Checks every gate after a batch: all passing for their {@code for} lets the batch go on; a
         * failure counts towards the gate's limit of failed checks in a row, then fails the cluster; no
         * data pauses for a person when the gate says so. A person can skip the gates (promote).
         */
        private ClusterProgress gate(ClusterProgress cp, Step.Gating g, Instant now) {
            if (control.full() || control.promoted().contains(ReleaseProgress.pauseKey(cluster, g.stage(), g.batch()))) {
                return afterBatch(cp, g.stage(), g.batch(), now);
            }
            List<String> failing = new ArrayList<>();
            List<String> passing = new ArrayList<>();
            int limit = Integer.MAX_VALUE;
            String pause = null;
            for (io.sampan.spec.ReleasePolicy.Gate gate : release.plan().policy().gates()) {
                Gates.Verdict v = Gates.judge(gate, gates.read(release, gate));
                switch (v.outcome()) {
                    case PASS -> passing.add(v.message());
                    case PAUSE -> pause = pause == null ? v.message() : pause;
                    case FAIL -> {
                        failing.add(v.message());
                        limit = Math.min(limit, gate instanceof io.sampan.spec.ReleasePolicy.Gate.Prometheus q ? q.failureLimit()
                                : ((io.sampan.spec.ReleasePolicy.Gate.Webhook) gate).failureLimit());
                    }
                }
            }
            if (!failing.isEmpty()) {
                int failures = g.failures() + 1;
                String message = String.join("; ", failing) + " (failed check " + failures + " of " + limit + ")";
                if (failures >= limit) {
                    return cp.fail(now, message, "GATE_FAILED");
                }
                return new ClusterProgress(new Step.Gating(g.stage(), g.batch(), null, failures), cp.since(), message, 0, null, null);
            }
            if (pause != null) {
                return new ClusterProgress(new Step.Gating(g.stage(), g.batch(), null, 0), cp.since(), pause
                        + "; waiting for a person to skip the gate (sampan release promote " + release.number() + " --reason ...)", 0, null, null);
            }
            Instant since = g.passingSince() == null ? now : g.passingSince();
            Duration hold = Gates.hold(release.plan().policy());
            Duration held = Duration.between(since, now);
            if (held.compareTo(hold) >= 0) {
                return afterBatch(cp, g.stage(), g.batch(), now);
            }
            return new ClusterProgress(new Step.Gating(g.stage(), g.batch(), since, 0), cp.since(), String.join("; ", passing) + ", "
                    + held.toSeconds() + " s of " + hold.toSeconds() + " s", 0, null, null);
        }

        /** After a batch (and its gates): its pause, or the next batch. */
        private ClusterProgress afterBatch(ClusterProgress cp, int stage, int batch, Instant now) {
            {
                ReleaseProgress.Step after = pauseAfter(stage, batch, now);
                if (after instanceof Step.Paused p) {
                    return cp.moveTo(p, now, pausedMessage(p, now));
                }
                return advance(cp.moveTo(after, now, "applying"), now);
            }
        }

        /**
         * The stage is released. After a canary, what routes to the canary goes now and the canary itself
         * once it has drained; other canary objects go at once.
         */
        private ClusterProgress lastBatchReady(ClusterProgress cp, Step.WaitReady w, Instant now) {
            if (writes.drains(w.stage()) && canaryDrain.isPositive()) {
                writes.canaryRoutes(w.stage()).forEach(driver::delete);
                Step.Draining draining = new Step.Draining(w.stage(), now.plus(canaryDrain));
                return cp.moveTo(draining, now, drainingMessage(w.stage(), draining.until(), now));
            }
            return endStage(cp, w.stage(), now);
        }

        private ClusterProgress drained(ClusterProgress cp, int stage, Instant until, Instant now) {
            if (now.isBefore(until)) {
                String message = drainingMessage(stage, until, now);
                return message.equals(cp.message()) ? cp : cp.note(message);
            }
            return endStage(cp, stage, now);
        }

        private String drainingMessage(int stage, Instant until, Instant now) {
            long left = Math.max(0, Duration.between(now, until).toSeconds());
            return writes.describe(stage, writes.lastBatch()) + " ready; traffic no longer routed to the canary, which goes in " + left
                    + " s (draining)";
        }

        private ClusterProgress endStage(ClusterProgress cp, int stage, Instant now) {
            writes.canaries(stage).forEach(driver::delete);
            Step after = stage + 1 < release.plan().stageCount() ? new Step.Apply(stage + 1, 0) : new Step.PostReleaseJobs();
            return advance(cp.moveTo(after, now, after instanceof Step.Apply ? "applying" : "running post-release jobs"), now);
        }

        private Step pauseAfter(int stage, int batch, Instant now) {
            if (control.full()) {
                return new Step.Apply(stage, writes.underFull(stage, batch + 1));
            }
            return switch (release.plan().pauseAfter(batch)) {
                case io.sampan.spec.ReleasePolicy.Pause.Manual m -> new Step.Paused(stage, batch, null);
                case io.sampan.spec.ReleasePolicy.Pause.Timed t -> new Step.Paused(stage, batch, now.plus(t.duration()));
                case io.sampan.spec.ReleasePolicy.Pause.None n -> new Step.Apply(stage, batch + 1);
            };
        }

        private ClusterProgress paused(ClusterProgress cp, Step.Paused p, Instant now) {
            boolean go = control.full() || control.promoted().contains(ReleaseProgress.pauseKey(cluster, p))
                    || p.until() != null && !now.isBefore(p.until());
            if (!go) {
                String message = pausedMessage(p, now);
                return message.equals(cp.message()) ? cp : cp.note(message);
            }
            int batch = control.full() ? writes.underFull(p.stage(), p.batch() + 1) : p.batch() + 1;
            return advance(cp.moveTo(new Step.Apply(p.stage(), batch), now, "applying"), now);
        }

        private String pausedMessage(Step.Paused p, Instant now) {
            String own = writes.pausedMessage(p, now);
            if (own != null) {
                return own;
            }
            String done = writes.describe(p.stage(), p.batch()) + " ready";
            if (p.until() == null) {
                return done + "; waiting for approval by a project member who may deploy (sampan release promote " + release.number() + ")";
            }
            long left = Math.max(0, Duration.between(now, p.until()).toSeconds());
            return done + "; next batch at " + p.until() + " (" + (left >= 60 ? left / 60 + "m " : "") + left % 60 + "s left)";
        }

        /**
         * Back to the previous release's objects: first the live routing a blue-green switch moved (one
         * write), then canaries and previews removed; done once its workloads are ready again.
         */
        private ClusterProgress rollBack(ClusterProgress cp, Step.RollingBack rb, Instant now, Instant deadline) {
            List<HasMetadata> back = writes.switchBack(driver, this::stableHashes);
            if (!back.isEmpty()) {
                driver.apply(back);
            }
            for (int s = 0; s < release.plan().stageCount(); s++) {
                writes.canaries(s).forEach(driver::delete);
            }
            Release.ClusterTarget previous = release.previous().get(cluster);
            if (previous == null) {
                return cp.moveTo(new Step.RolledBack(rb.why()), now, "no earlier release to return to; canary objects removed (" + rb.why() + ")");
            }
            List<HasMetadata> objects = previous.objects().stream().filter(o -> !(o instanceof Job)
                    && triggered(List.of(o), "prerequisite").isEmpty()).toList();
            driver.apply(objects);
            prune(previous.objects());
            ClusterProgress waiting = new Readiness(release, target, driver).check(objects.stream().filter(ReleaseEngine::isRolledOut).toList(),
                    cp, now, deadline);
            if (waiting != null) {
                return waiting.step() instanceof Step.Failed ? waiting : waiting.note("returning to the previous release: " + waiting.message());
            }
            ClusterProgress done = cp.moveTo(new Step.RolledBack(rb.why()), now, "back at the previous release (" + rb.why() + ")");
            return new ClusterProgress(done.step(), now, done.message(), 0, null, cp.reasonKind());
        }

        private void prune(List<HasMetadata> keepObjects) {
            Set<String> keep = new HashSet<>();
            keepObjects.forEach(o -> keep.add(o.getKind() + "/" + o.getMetadata().getName()));
            for (ObjectRef owned : driver.list(target.namespace(), release.ownerLabels())) {
                if (!keep.contains(owned.kind() + "/" + owned.name())) {
                    driver.delete(owned);
                }
            }
        }
    }
}
