package io.sampan.server.deploy;

import io.sampan.release.ReleaseEngine;
import io.sampan.release.ReleaseProgress;
import io.sampan.server.metrics.MeteredClusterDriver;
import io.sampan.server.metrics.ReleaseMetrics;
import io.sampan.server.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves every running release forward, tick by tick, from what is stored. Nothing is held in
 * memory between ticks: after a restart (even a {@code kill -9}) the next tick carries on from the
 * persisted progress. Concurrent runners (several servers) are safe: progress is saved only if no
 * one else saved since it was read.
 */
@Component
public class ReleaseRunner implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRunner.class);
    private final ReleaseStore releases;
    private final ReleaseEngine engine;
    private final Clock clock;
    private final boolean enabled;
    private final io.sampan.server.PeriodicLoop loop;
    /** Releases advanced at once in a pass: each tick mostly waits on a cluster, so they overlap. */
    static final int PARALLEL_TICKS = 16;
    private volatile SharedObservations pass = new SharedObservations();

    private final ReleaseMetrics metrics;
    private final Webhooks webhooks;
    private final java.util.function.Function<String, io.sampan.release.ClusterDriver> drivers;
    private final io.sampan.release.GateProbe gates;
    private final Duration canaryDrain;

    public ReleaseRunner(ReleaseStore releases, ClusterDrivers drivers, Clock clock, ReleaseMetrics metrics, Webhooks webhooks,
            io.sampan.release.GateProbe gates, @Value("${sampan.release.tick:250ms}") Duration interval,
            @Value("${sampan.release.runner:true}") boolean enabled, @Value("${sampan.release.canary-drain:10s}") Duration canaryDrain) {
        this.releases = releases;
        this.metrics = metrics;
        this.webhooks = webhooks;
        this.drivers = name -> pass.forTick(name, new MeteredClusterDriver(drivers.forCluster(name), name, metrics));
        this.gates = gates;
        this.canaryDrain = canaryDrain;
        this.engine = new ReleaseEngine(this.drivers, gates, canaryDrain);
        this.clock = clock;
        this.enabled = enabled;
        this.loop = new io.sampan.server.PeriodicLoop("release-runner", interval, this::runOnce);
    }

    /**
     * One pass over all running releases, {@value #PARALLEL_TICKS} at a time, each namespace observed
     * once for the pass; returns how many are still running.
     */
    public int runOnce() {
        pass = new SharedObservations();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL_TICKS);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        try (var ticks = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : releases.runningIds()) {
                slots.acquireUninterruptibly();
                done.add(ticks.submit(() -> {
                    try {
                        running.addAndGet(tick(id));
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (var f : done) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error fatal) {
                    throw fatal; // as a dying process: nothing after it in this pass is trusted
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return running.get();
    }

    /** The engine for a release whose environment names its own Prometheus (in the profile it was deployed with): gates query it. */
    private ReleaseEngine engineFor(ReleaseRecord r) {
        String prometheus = r.inputs() == null || r.inputs().profile() == null ? null : r.inputs().profile().prometheus();
        return prometheus == null ? engine : new ReleaseEngine(drivers, gates.withPrometheus(prometheus), canaryDrain);
    }

    /** Advances one release; 1 if it is still running. */
    private int tick(String id) {
        try {
            ReleaseRecord r = releases.byId(id);
            Instant now = clock.instant();
            ReleaseEngine.Tick tick = engineFor(r).step(r.content(), r.progress(), now);
            ReleaseProgress next = tick.progress();
            boolean saved = !next.equals(r.progress()) && releases.saveProgress(r, next);
            if (saved) {
                record(r, tick.transitions(), now);
            }
            if (saved && next.phase() != ReleaseProgress.Phase.RUNNING) {
                String reasonKind = next.clusters().values().stream().map(ReleaseProgress.ClusterProgress::reasonKind)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
                metrics.finished(next.phase().name().toLowerCase(), reasonKind, Duration.between(next.startedAt(), next.finishedAt()));
                announce(r, next, reasonKind);
                LOG.info("release {} of {} in {} {}{}", r.number(), r.content().app(), r.content().environment(),
                        next.phase().name().toLowerCase(), next.failureReason() == null ? "" : ": " + next.failureReason());
            }
            return next.phase() == ReleaseProgress.Phase.RUNNING ? 1 : 0;
        } catch (RuntimeException e) {
            LOG.warn("release {} could not be advanced this tick: {}", id, e.toString());
            LOG.debug("release {}: where the tick failed", id, e);
            return 1;
        }
    }

    /** Steps that tell a webhook's receiver something: the release waits for someone, or turns back. */
    static final java.util.Set<String> ANNOUNCED_STEPS = java.util.Set.of("paused", "rolling-back");

    /** Each step change is a release event; a pause or a turn back is also a {@code release.step} webhook. */
    private void record(ReleaseRecord r, List<ReleaseProgress.Transition> transitions, Instant now) {
        if (transitions.isEmpty()) {
            return;
        }
        releases.recordEvents(r.id(), "sampan", now, transitions);
        String project = releases.projectOf(r.appId());
        for (ReleaseProgress.Transition t : transitions) {
            if (!ANNOUNCED_STEPS.contains(t.step())) {
                continue;
            }
            java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("app", r.content().app());
            details.put("environment", r.content().environment());
            details.put("release", r.number());
            details.put("cluster", t.cluster());
            details.put("step", t.step());
            details.put("message", t.message());
            webhooks.emit(project, "release.step", details);
        }
    }

    private void announce(ReleaseRecord r, ReleaseProgress done, String reasonKind) {
        String project = releases.projectOf(r.appId());
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("app", r.content().app());
        details.put("environment", r.content().environment());
        details.put("release", r.number());
        details.put("revision", r.revision());
        if (done.phase() != ReleaseProgress.Phase.SUCCEEDED) {
            details.put("reason", done.failureReason());
            details.put("reasonKind", reasonKind);
        }
        webhooks.emit(project, switch (done.phase()) {
            case SUCCEEDED -> "release.succeeded";
            case ROLLED_BACK -> "release.rolledback";
            default -> "release.failed";
        }, details);
        webhooks.rolledBack(project, r.rollbackOf(), done.phase() == ReleaseProgress.Phase.SUCCEEDED, details);
        if ("CLUSTER_UNREACHABLE".equals(reasonKind)) {
            webhooks.emit(project, "cluster.unreachable", details);
        }
    }

    @Override
    public void start() {
        if (enabled) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
