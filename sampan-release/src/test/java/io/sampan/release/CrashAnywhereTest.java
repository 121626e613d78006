package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The process dies after the N-th call to a cluster (the tick's progress is lost, as with kill -9
 * before it was saved), for every N a scenario makes; carrying on from the last saved progress ends
 * in the same phase with the same objects on every cluster as a run without the crash. Scenarios: a
 * batch release over two waves promoted by a person; the same aborted at the bastion; one whose
 * second wave never gets its bastion ready (automatic rollback of both waves); a canary; blue-green
 * releases approved, aborted during the preview and during the switch-back delay, and one whose
 * preview never becomes ready in the second wave.
 */
class CrashAnywhereTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    /** A kill -9: nothing in the engine catches it. */
    static final class Crash extends Error {
        Crash() {
            super("simulated kill -9");
        }
    }

    /** The scenario's clusters; the N-th call (counting from 0) dies after its effect took place. */
    static final class World {
        final Map<String, FakeCluster> clusters = new LinkedHashMap<>();
        int callsBeforeCrash = -1;
        int calls;

        ClusterDriver driver(String name) {
            FakeCluster c = clusters.get(name);
            return new ClusterDriver() {
                @Override
                public void apply(List<HasMetadata> objects) {
                    c.apply(objects);
                    count();
                }

                @Override
                public List<ObjectRef> list(String namespace, Map<String, String> labels) {
                    count();
                    return c.list(namespace, labels);
                }

                @Override
                public Optional<HasMetadata> get(ObjectRef ref) {
                    count();
                    return c.get(ref);
                }

                @Override
                public void delete(ObjectRef ref) {
                    c.delete(ref);
                    count();
                }

                @Override
                public ObservedState observe(String namespace, Map<String, String> labels) {
                    count();
                    return c.observe(namespace, labels);
                }
            };
        }

        void count() {
            calls++;
            if (callsBeforeCrash >= 0 && callsBeforeCrash-- == 0) {
                throw new Crash();
            }
        }

        /** What the clusters hold: each object, with image, replicas and partition of workloads, and what each Service selects. */
        Map<String, String> state() {
            Map<String, String> out = new TreeMap<>();
            clusters.forEach((name, c) -> c.objects.forEach((key, o) -> out.put(name + " " + key, describe(o))));
            return out;
        }

        static String describe(HasMetadata o) {
            if (o instanceof Deployment d) {
                return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() + " x" + d.getSpec().getReplicas();
            }
            if (o instanceof StatefulSet s) {
                var u = s.getSpec().getUpdateStrategy();
                return s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() + " partition "
                        + (u == null || u.getRollingUpdate() == null ? null : u.getRollingUpdate().getPartition());
            }
            if (o instanceof io.fabric8.kubernetes.api.model.Service svc) {
                return "Service selecting " + new TreeMap<>(svc.getSpec().getSelector()); // where live traffic goes
            }
            return o.getKind();
        }
    }

    record Outcome(Phase phase, String reason, Map<String, String> state, int calls) {
    }

    /**
     * A scenario: how its world starts, and what a person does when the release pauses: promote it, or
     * abort at pause number {@code abortAtPause} (from 0; -1 never).
     */
    record Scenario(String yaml, Map<String, String> zones, UnaryOperator<World> setUp, int abortAtPause) {
        Scenario(String yaml, Map<String, String> zones, UnaryOperator<World> setUp, boolean abortAtFirstPause) {
            this(yaml, zones, setUp, abortAtFirstPause ? 0 : -1);
        }
    }

    static Outcome run(Scenario s, int crashAfter) {
        World world = new World();
        s.zones().keySet().forEach(c -> {
            FakeCluster f = new FakeCluster();
            f.autoReady = true;
            world.clusters.put(c, f);
        });
        ReleaseEngine engine = new ReleaseEngine(world::driver);
        Release r1 = TestReleases.of(s.yaml().formatted("1"), 1, null, s.zones());
        ReleaseProgress p1 = ReleaseProgress.start(r1, T0);
        for (int i = 0; i < 20 && p1.phase() == Phase.RUNNING; i++) {
            p1 = engine.tick(r1, p1, T0.plusSeconds(i));
        }
        assertThat(p1.phase()).isEqualTo(Phase.SUCCEEDED);
        s.setUp().apply(world);
        Release r2 = TestReleases.of(s.yaml().formatted("2"), 2, r1, s.zones());
        int start = world.calls;
        world.callsBeforeCrash = crashAfter;
        ReleaseProgress saved = ReleaseProgress.start(r2, T0);
        Instant now = T0;
        Set<String> seen = new LinkedHashSet<>();
        for (int tick = 0; tick < 500 && saved.phase() == Phase.RUNNING; tick++) {
            now = now.plusSeconds(30);
            ReleaseProgress asked = saved;
            Set<String> paused = new LinkedHashSet<>();
            saved.clusters().forEach((c, cp) -> {
                if (cp.step() instanceof Step.Paused p) {
                    paused.add(ReleaseProgress.pauseKey(c, p));
                }
            });
            seen.addAll(paused);
            if (!paused.isEmpty()) {
                boolean abort = s.abortAtPause() >= 0 && seen.size() > s.abortAtPause();
                asked = saved.withControl(abort ? saved.control().abort("ana") : saved.control().promote(paused, false));
            }
            try {
                saved = engine.tick(r2, asked, now);
            } catch (Crash killed) {
                saved = asked; // restarted: what the person asked was saved, the tick's progress was not
            }
        }
        return new Outcome(saved.phase(), saved.failureReason(), world.state(), world.calls - start);
    }

    static void sameOutcomeWhereverItDies(Scenario s, Phase expected) {
        Outcome reference = run(s, -1);
        assertThat(reference.phase()).isEqualTo(expected);
        assertThat(reference.state().keySet()).noneMatch(k -> k.contains("-canary") || k.contains("-preview"));
        System.out.println(expected.text() + ": killed at each of " + reference.calls() + " points, same outcome");
        for (int n = 0; n < reference.calls(); n++) {
            Outcome crashed = run(s, n);
            assertThat(crashed.phase()).as("killed after call %d", n).isEqualTo(reference.phase());
            assertThat(crashed.state()).as("killed after call %d", n).isEqualTo(reference.state());
        }
    }

    static final String BATCH = ProgressiveReleaseTest.APP.replace("pause: [manual, 5m]", "pause: manual");

    static Map<String, String> twoZones() {
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("a1", "zone-a");
        zones.put("b1", "zone-b");
        return zones;
    }

    @Test
    void aBatchReleaseOverTwoWavesPromotedByAPerson() {
        sameOutcomeWhereverItDies(new Scenario(BATCH, twoZones(), w -> w, false), Phase.SUCCEEDED);
    }

    @Test
    void aBatchReleaseAbortedAtTheBastion() {
        sameOutcomeWhereverItDies(new Scenario(BATCH, twoZones(), w -> w, true), Phase.ROLLED_BACK);
    }

    @Test
    void aSecondWaveWhoseBastionNeverBecomesReadyRollsBothWavesBack() {
        UnaryOperator<World> stuckCanaries = w -> {
            FakeCluster b1 = w.clusters.get("b1");
            b1.autoReady = false;
            b1.objects.keySet().forEach(b1.ready::add); // what runs now stays ready; a canary never becomes so
            b1.ready.add("StatefulSet/shop-db");
            return w;
        };
        sameOutcomeWhereverItDies(new Scenario(BATCH, twoZones(), stuckCanaries, false), Phase.ROLLED_BACK);
    }

    static final String BLUE_GREEN = BlueGreenReleaseTest.APP.replace("switchBackDelay: 5m", "switchBackDelay: 2m");

    @Test
    void aBlueGreenReleaseApprovedThenKeptForTheDelay() {
        // the delay's pause is timed: the person here promotes it too, so it is also cut short
        sameOutcomeWhereverItDies(new Scenario(BLUE_GREEN, twoZones(), w -> w, -1), Phase.SUCCEEDED);
    }

    @Test
    void aBlueGreenReleaseAbortedDuringThePreview() {
        sameOutcomeWhereverItDies(new Scenario(BLUE_GREEN, twoZones(), w -> w, 0), Phase.ROLLED_BACK);
    }

    @Test
    void aBlueGreenReleaseAbortedDuringTheSwitchBackDelay() {
        sameOutcomeWhereverItDies(new Scenario(BLUE_GREEN, Map.of("dc1", "a"), w -> w, 1), Phase.ROLLED_BACK);
    }

    @Test
    void aBlueGreenReleaseWhosePreviewNeverBecomesReadyInTheSecondWaveRollsBothWavesBack() {
        UnaryOperator<World> stuckPreview = w -> {
            FakeCluster b1 = w.clusters.get("b1");
            b1.autoReady = false;
            b1.objects.keySet().forEach(b1.ready::add);
            b1.ready.add("StatefulSet/shop-db");
            return w;
        };
        sameOutcomeWhereverItDies(new Scenario(BLUE_GREEN, twoZones(), stuckPreview, -1), Phase.ROLLED_BACK);
    }

    @Test
    void aCanaryPromotedStepByStep() {
        sameOutcomeWhereverItDies(new Scenario(CanaryReleaseTest.APP, Map.of("dc1", "a"), w -> w, false), Phase.SUCCEEDED);
    }
}
