package io.sampan.release;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The persisted state of a release: the step each cluster is at (with the position in the plan
 * that step is about), and what people asked of it (pause, promote, abort). The release's phase is
 * derived from it, never stored twice.
 */
public record ReleaseProgress(Instant startedAt, Map<String, ClusterProgress> clusters, Instant finishedAt, Control control) {

    public ReleaseProgress {
        clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        control = control == null ? Control.NONE : control;
    }

    public ReleaseProgress(Instant startedAt, Map<String, ClusterProgress> clusters, Instant finishedAt) {
        this(startedAt, clusters, finishedAt, Control.NONE);
    }

    public static ReleaseProgress start(Release release, Instant now) {
        Map<String, ClusterProgress> clusters = new LinkedHashMap<>();
        for (String c : release.clusters().keySet()) {
            int wave = release.plan().waveOf(c);
            clusters.put(c, new ClusterProgress(wave == 0 ? new Step.Prerequisites() : new Step.AwaitWave(wave), now,
                    wave == 0 ? "starting" : "waiting for wave " + (wave + 1), 0, null, null));
        }
        return new ReleaseProgress(now, clusters, null, Control.NONE);
    }

    public Phase phase() {
        if (clusters.values().stream().anyMatch(c -> !c.terminal())) {
            return Phase.RUNNING;
        }
        if (clusters.values().stream().anyMatch(c -> c.step() instanceof Step.RolledBack)) {
            return Phase.ROLLED_BACK;
        }
        if (clusters.values().stream().anyMatch(c -> c.step() instanceof Step.Failed || c.step() instanceof Step.Stopped)) {
            return Phase.FAILED;
        }
        return Phase.SUCCEEDED;
    }

    /** What users see: running, paused (a step waits for a person or a timer, or the release is paused), rolling-back, or the phase. */
    public String shownPhase() {
        if (phase() != Phase.RUNNING) {
            return phase().text();
        }
        if (clusters.values().stream().anyMatch(c -> c.step() instanceof Step.RollingBack)) {
            return "rolling-back";
        }
        if (control.paused() || clusters.values().stream().anyMatch(c -> c.step() instanceof Step.Paused)) {
            return "paused";
        }
        return "running";
    }

    /** The reason of the first failed cluster, prefixed with its name when there are several. */
    public String failureReason() {
        boolean failed = clusters.values().stream().anyMatch(c -> c.step() instanceof Step.Failed || c.step() instanceof Step.RolledBack
                || c.step() instanceof Step.RollingBack);
        return clusters.entrySet().stream().filter(e -> e.getValue().step() instanceof Step.Failed || e.getValue().step() instanceof Step.RolledBack
                || e.getValue().step() instanceof Step.RollingBack || !failed && e.getValue().step() instanceof Step.Stopped).map(e -> {
                    String why = switch (e.getValue().step()) {
                        case Step.RollingBack rb -> rb.why();
                        case Step.RolledBack rb -> rb.why();
                        default -> e.getValue().message();
                    };
                    boolean named = clusters.keySet().stream().anyMatch(c -> why.startsWith(c + ": "));
                    return (clusters.size() > 1 && !named ? e.getKey() + ": " : "") + why;
                }).findFirst().orElse(null);
    }

    /** The steps that changed from {@code before} to this progress, per cluster: what a release event records. */
    public List<Transition> transitionsFrom(ReleaseProgress before) {
        List<Transition> out = new ArrayList<>();
        clusters.forEach((cluster, cp) -> {
            ClusterProgress old = before == null ? null : before.clusters().get(cluster);
            if (old == null || !Objects.equals(old.step(), cp.step())) {
                out.add(new Transition(cluster, cp.step().label(), cp.message()));
            }
        });
        return out;
    }

    public record Transition(String cluster, String step, String message) {
    }

    public ReleaseProgress withControl(Control c) {
        return new ReleaseProgress(startedAt, clusters, finishedAt, c);
    }

    public enum Phase {
        RUNNING, SUCCEEDED, FAILED, ROLLED_BACK;

        public String text() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /**
     * What people asked of a running release; the engine reads it on every tick.
     *
     * @param paused no step moves on until resumed
     * @param promoted manual pauses let go, as {@code cluster@stage/batch}
     * @param full skip every remaining pause and batch
     * @param abortedBy who aborted the release (it returns to the previous release), or null
     */
    public record Control(boolean paused, Set<String> promoted, boolean full, String abortedBy) {
        public static final Control NONE = new Control(false, Set.of(), false, null);

        public Control {
            promoted = promoted == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(promoted));
        }

        public Control pause(boolean p) {
            return new Control(p, promoted, full, abortedBy);
        }

        public Control promote(Set<String> keys, boolean all) {
            Set<String> next = new LinkedHashSet<>(promoted);
            next.addAll(keys);
            return new Control(false, next, full || all, abortedBy);
        }

        public Control abort(String by) {
            return new Control(false, promoted, full, by);
        }
    }

    /** The key a manual pause is promoted by. */
    public static String pauseKey(String cluster, Step.Paused p) {
        return pauseKey(cluster, p.stage(), p.batch());
    }

    /** The key a manual pause, or a gate being skipped, is promoted by. */
    public static String pauseKey(String cluster, int stage, int batch) {
        return cluster + "@" + stage + "/" + batch;
    }

    /**
     * Where one cluster is in the plan. Steps in order: await-wave → prerequisites → pre-release-jobs →
     * (apply → wait-ready → gating → paused) per batch of each stage, and draining after a canary
     * stage → post-release-jobs → prune → done. A failure
     * goes to failed (or to rolling-back → rolled-back with autoRollback); clusters the plan never
     * reached, or that were running when another failed, are stopped.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "name")
    @JsonSubTypes({@JsonSubTypes.Type(value = Step.AwaitWave.class, name = "await-wave"),
            @JsonSubTypes.Type(value = Step.Prerequisites.class, name = "prerequisites"),
            @JsonSubTypes.Type(value = Step.PreReleaseJobs.class, name = "pre-release-jobs"),
            @JsonSubTypes.Type(value = Step.Apply.class, name = "apply"),
            @JsonSubTypes.Type(value = Step.WaitReady.class, name = "wait-ready"),
            @JsonSubTypes.Type(value = Step.Paused.class, name = "paused"),
            @JsonSubTypes.Type(value = Step.Gating.class, name = "gating"),
            @JsonSubTypes.Type(value = Step.Draining.class, name = "draining"),
            @JsonSubTypes.Type(value = Step.PostReleaseJobs.class, name = "post-release-jobs"),
            @JsonSubTypes.Type(value = Step.Prune.class, name = "prune"),
            @JsonSubTypes.Type(value = Step.Done.class, name = "done"),
            @JsonSubTypes.Type(value = Step.Failed.class, name = "failed"),
            @JsonSubTypes.Type(value = Step.Stopped.class, name = "stopped"),
            @JsonSubTypes.Type(value = Step.RollingBack.class, name = "rolling-back"),
            @JsonSubTypes.Type(value = Step.RolledBack.class, name = "rolled-back")})
    public sealed interface Step {
        /** The step's name as users see it: {@code wait-ready}. */
        default String label() {
            return getClass().getAnnotation(Label.class).value();
        }

        default boolean terminal() {
            return this instanceof Done || this instanceof Failed || this instanceof Stopped || this instanceof RolledBack;
        }

        @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
        @interface Label {
            String value();
        }

        @Label("await-wave")
        record AwaitWave(int wave) implements Step {
        }

        @Label("prerequisites")
        record Prerequisites() implements Step {
        }

        @Label("pre-release-jobs")
        record PreReleaseJobs() implements Step {
        }

        /** Writing batch {@code batch} of stage {@code stage}. */
        @Label("apply")
        record Apply(int stage, int batch) implements Step {
        }

        @Label("wait-ready")
        record WaitReady(int stage, int batch) implements Step {
        }

        /** After batch {@code batch} of stage {@code stage}: until a person promotes it ({@code until} null) or until a time. */
        @Label("paused")
        record Paused(int stage, int batch, Instant until) implements Step {
        }

        /**
         * After batch {@code batch} of stage {@code stage}: the gates are checked; they have all passed
         * since {@code passingSince} (null: not yet), after {@code failures} failed checks in a row.
         */
        @Label("gating")
        record Gating(int stage, int batch, Instant passingSince, int failures) implements Step {
        }

        /**
         * After the last batch of a canary stage is ready and the routing to the canary is gone: the
         * canary's Services and pods stay until {@code until}, so that a gateway still sending to them
         * (ingress-nginx reloads, a Gateway API controller reprograms) finds them answering.
         */
        @Label("draining")
        record Draining(int stage, Instant until) implements Step {
        }

        @Label("post-release-jobs")
        record PostReleaseJobs() implements Step {
        }

        @Label("prune")
        record Prune() implements Step {
        }

        @Label("done")
        record Done() implements Step {
        }

        /** Failed at step {@code at} (a retry goes back to it). */
        @Label("failed")
        record Failed(Step at) implements Step {
        }

        /** Stopped at step {@code at} because another part of the plan failed or the release was aborted. */
        @Label("stopped")
        record Stopped(Step at) implements Step {
        }

        /** Returning to the previous release because of {@code why}. */
        @Label("rolling-back")
        record RollingBack(String why) implements Step {
        }

        @Label("rolled-back")
        record RolledBack(String why) implements Step {
        }
    }

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
            return new ClusterProgress(new Step.Failed(step), now, message, attempts, null, kind);
        }

        public boolean terminal() {
            return step.terminal();
        }
    }
}
