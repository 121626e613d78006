package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reliability matrix of issue 6: every strategy (rolling, batch, canary, blue-green) from start to success,
 * and with a failure injected at each step a failure can happen at, over two waves (zone-a, then
 * zone-b), against in-memory clusters.
 *
 * <p>With autoRollback the release ends {@code rolled-back} and every cluster holds exactly what it
 * held after the previous release, compared object by object in full (every field written: no
 * {@code -canary} Deployment, Service or Ingress, autoscalers unpinned, Services selecting as before,
 * the StatefulSet's partition back at 0, the failed release's jobs pruned). Without it the release
 * ends {@code failed}, its reason naming what failed, and the clusters the plan had not reached
 * untouched. The one combination where nothing fails: a gate on a rolling release, which has no
 * batch before the last to check gates after (gates run between batches only); it succeeds.
 */
class FailureMatrixTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Duration TICK = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    enum Strategy {
        ROLLING("{strategy: rolling"),
        BATCH("{strategy: batch, batches: [1, 50%%, 100%%], pause: manual"),
        CANARY("{strategy: canary, steps: [{weight: 20}, {pause: manual}, {weight: 50}, {pause: manual}, {weight: 100}]"),
        BLUE_GREEN("{strategy: blue-green, pause: manual, switchBackDelay: 10m");

        final String policy;

        Strategy(String policy) {
            this.policy = policy;
        }

        boolean batches() {
            return this != ROLLING;
        }
    }

    /** api (stage 1: autoscaled, exposed), db (stage 1: a StatefulSet), web (stage 2, after api); a pre- and a post-release job. */
    static String app(Strategy s, String version, boolean autoRollback) {
        String release = s.policy + ", waves: [zone-a, zone-b], autoRollback: %2$s, progressDeadline: 10m, gates: [{name: error-rate, "
                + "prometheus: 'sum(rate(errors[1m]))', max: 0.01, for: 1m, failureLimit: 2}]}";
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    api: {image: "r.local/api:%1$s", port: 8000, autoscale: {min: 4, max: 8}, expose: [{host: shop.test, path: /}]}
                    db: {image: "r.local/db:%1$s", port: 5432, replicas: 3, stateful: true}
                    web: {image: "r.local/web:%1$s", port: 8080, replicas: 2, dependsOn: [api]}
                  jobs:
                    migrate: {image: "r.local/api:%1$s", command: [migrate], trigger: pre-release}
                    notify: {image: "r.local/api:%1$s", command: [notify], trigger: post-release}
                  environments:
                    prod:
                      release: RELEASE
                """.replace("RELEASE", release).formatted(version, autoRollback);
    }

    /** Where the failure is injected. */
    enum Failure {
        NONE(null, null),
        PREREQUISITE_NEVER_READY("addon cache (StatefulSet shop-cache): 0 of 1 instances are ready (not ready within 10m)", "DEADLINE_EXCEEDED"),
        PREREQUISITE_FAILED("addon queue (RedisFailover shop-queue) failed: RedisFailover failed: no quorum", "ADDON_FAILED"),
        PRE_RELEASE_JOB_FAILS("pre-release job shop-migrate-", "JOB_FAILED"),
        BASTION_NEVER_READY("shop-api-canary: ", "DEADLINE_EXCEEDED"),
        BASTION_CRASH_LOOPING("shop-api-canary: container api keeps crashing (exit code 1, restarted 4 times)", "CRASH_LOOP"),
        SECOND_BATCH_NEVER_READY("shop-api-canary: ", "DEADLINE_EXCEEDED"),
        SECOND_BATCH_CRASH_LOOPING("shop-api-canary: container api keeps crashing", "CRASH_LOOP"),
        LAST_BATCH_NEVER_READY("shop-api: ", "DEADLINE_EXCEEDED"),
        LAST_BATCH_CRASH_LOOPING("shop-api: container api keeps crashing", "CRASH_LOOP"),
        STATEFUL_SET_NEVER_READY("shop-db: ", "DEADLINE_EXCEEDED"),
        SECOND_STAGE_NEVER_READY("shop-web", "DEADLINE_EXCEEDED"),
        GATE_FAILS("gate error-rate: 0.2 > 0.01 (failed check 2 of 2)", "GATE_FAILED"),
        CLUSTER_UNREACHABLE("cluster a1 unreachable: connection refused", "CLUSTER_UNREACHABLE"),
        POST_RELEASE_JOB_FAILS("post-release job shop-notify-", "JOB_FAILED"),
        SECOND_WAVE_NEVER_READY("shop-api", "DEADLINE_EXCEEDED"),
        PREVIEW_NEVER_READY("shop-api-preview: ", "DEADLINE_EXCEEDED"),
        PREVIEW_CRASH_LOOPING("shop-api-preview: container api keeps crashing", "CRASH_LOOP");

        final String reason;
        final String kind;

        Failure(String reason, String kind) {
            this.reason = reason;
            this.kind = kind;
        }

        /** A rolling release has no bastion, no second batch, no gates; a blue-green one a preview instead of batches. */
        boolean appliesTo(Strategy s) {
            Set<Failure> batches = EnumSet.of(BASTION_NEVER_READY, BASTION_CRASH_LOOPING, SECOND_BATCH_NEVER_READY, SECOND_BATCH_CRASH_LOOPING);
            Set<Failure> preview = EnumSet.of(PREVIEW_NEVER_READY, PREVIEW_CRASH_LOOPING);
            return switch (s) {
                case ROLLING -> !batches.contains(this) && !preview.contains(this);
                case BATCH, CANARY -> !preview.contains(this);
                case BLUE_GREEN -> !batches.contains(this);
            };
        }

        /** The cluster that fails. */
        String cluster() {
            return this == SECOND_WAVE_NEVER_READY ? "b1" : "a1";
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            for (Failure f : Failure.values()) {
                if (f.appliesTo(s)) {
                    out.add(Arguments.of(s, f));
                }
            }
        }
        return out.stream();
    }

    /**
     * One in-memory cluster with a failure injected: objects matching {@code broken} never become
     * ready (jobs and operator resources fail; with {@code crashLoop} a Deployment's pods keep
     * crashing), and from the first write of release 2's workloads it cannot be reached for
     * {@code unreachableFor}. Everything else is ready at once.
     */
    static final class FaultyCluster implements ClusterDriver {
        final FakeCluster cluster = new FakeCluster();
        BiPredicate<HasMetadata, FaultyCluster> broken = (o, c) -> false;
        boolean crashLoop;
        Duration unreachableFor;
        Instant unreachableUntil;
        Instant now = T0;
        /** Release 2 is under way (release 1's addons came up). */
        boolean releasing;
        /** A Service was written selecting one pod-template-hash (a canary's stable side). */
        boolean stableSelector;

        FaultyCluster() {
            cluster.autoReady = true;
        }

        boolean isBroken(HasMetadata o) {
            return broken.test(o, this);
        }

        void check() {
            if (unreachableUntil != null && now.isBefore(unreachableUntil)) {
                throw new Unreachable("connection refused", null);
            }
        }

        @Override
        public void apply(List<HasMetadata> objects) {
            check();
            cluster.apply(objects);
            stableSelector |= objects.stream().anyMatch(o -> o instanceof io.fabric8.kubernetes.api.model.Service svc
                    && svc.getSpec().getSelector() != null && svc.getSpec().getSelector().containsKey(BatchWrites.POD_TEMPLATE_HASH));
            if (unreachableFor != null && unreachableUntil == null && objects.stream().anyMatch(o -> o instanceof Deployment d
                    && image(d).endsWith(":2"))) {
                unreachableUntil = now.plus(unreachableFor); // the write went through; then the cluster drops off the network
            }
        }

        @Override
        public List<ObjectRef> list(String namespace, Map<String, String> labels) {
            check();
            return cluster.list(namespace, labels);
        }

        @Override
        public Optional<HasMetadata> get(ObjectRef ref) {
            check();
            if (Set.of("Deployment", "StatefulSet", "Job").contains(ref.kind())) {
                return observe(ref.namespace(), Map.of()).find(ref);
            }
            Optional<HasMetadata> live = cluster.get(ref);
            if (live.isPresent() && live.get() instanceof GenericKubernetesResource r && isBroken(r)) {
                return Optional.of(operatorResource(r.getKind(), r.getMetadata().getName(), r.getMetadata().getLabels(),
                        Map.of("phase", "Failed", "message", "no quorum")));
            }
            return live;
        }

        @Override
        public void delete(ObjectRef ref) {
            check();
            cluster.delete(ref);
        }

        @Override
        public ObservedState observe(String namespace, Map<String, String> labels) {
            check();
            ObservedState s = cluster.observe(namespace, labels);
            List<Pod> pods = new ArrayList<>(s.pods());
            List<Deployment> deployments = s.deployments().stream().map(d -> {
                if (!isBroken(d)) {
                    return d;
                }
                if (crashLoop) {
                    pods.add(crashing(d));
                }
                return new DeploymentBuilder(d).editStatus().withAvailableReplicas(0).withReadyReplicas(0).endStatus().build();
            }).toList();
            List<StatefulSet> sets = s.statefulSets().stream().map(x -> !isBroken(x) ? x
                    : new StatefulSetBuilder(x).editStatus().withReadyReplicas(0).withUpdatedReplicas(0).endStatus().build()).toList();
            List<Job> jobs = s.jobs().stream().map(j -> !isBroken(j) ? j
                    : new JobBuilder(j).withNewStatus().addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                            .endCondition().endStatus().build()).toList();
            return new ObservedState(deployments, sets, replicaSets(deployments), jobs, pods, s.events(), s.crashLogs(), s.nodeZones());
        }

        /** Each Deployment's ReplicaSet, labelled with a pod-template-hash of its template: what a canary's stable Service selects. */
        private static List<io.fabric8.kubernetes.api.model.apps.ReplicaSet> replicaSets(List<Deployment> deployments) {
            return deployments.stream().map(d -> {
                String hash = Integer.toHexString(d.getSpec().getTemplate().hashCode());
                return new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
                        .withLabels(Map.of(BatchWrites.POD_TEMPLATE_HASH, hash)).addNewOwnerReference().withKind("Deployment")
                        .withName(d.getMetadata().getName()).endOwnerReference().endMetadata().withNewSpec()
                        .withReplicas(d.getSpec().getReplicas()).endSpec().build();
            }).toList();
        }

        private static Pod crashing(Deployment d) {
            String container = d.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
            return new PodBuilder().withNewMetadata().withName(d.getMetadata().getName() + "-7d9f-x1").withLabels(
                    d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata().withNewStatus().addNewContainerStatus().withName(container)
                    .withImage(image(d)).withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState()
                    .endContainerStatus().endStatus().build();
        }
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static String image(Job j) {
        return j.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static GenericKubernetesResource operatorResource(String kind, String name, Map<String, String> labels, Map<String, Object> status) {
        return new GenericKubernetesResourceBuilder().withApiVersion("databases.spotahome.com/v1").withKind(kind).withNewMetadata().withName(name)
                .withNamespace("shop").withLabels(labels).withAnnotations(Map.of(ReleaseEngine.TRIGGER, "prerequisite")).endMetadata()
                .withAdditionalProperties(Map.of("status", status)).build();
    }

    /** Two addons the app waits for (no owner labels: the app's prune never removes them): a StatefulSet and an operator's resource. */
    static List<HasMetadata> prerequisites() {
        StatefulSet cache = new StatefulSetBuilder().withNewMetadata().withName("shop-cache").withNamespace("shop")
                .withLabels(Map.of("sampan.io/addon", "cache")).withAnnotations(Map.of(ReleaseEngine.TRIGGER, "prerequisite")).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer().withName("redis").withImage("redis:7")
                .endContainer().endSpec().endTemplate().endSpec().build();
        return List.of(cache, operatorResource("RedisFailover", "shop-queue", Map.of("sampan.io/addon", "queue"), Map.of("phase", "Running")));
    }

    static Map<String, String> zones() {
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("a1", "zone-a");
        zones.put("b1", "zone-b");
        return zones;
    }

    static Release release(Strategy s, int number, Release previous, boolean autoRollback) {
        Release compiled = TestReleases.of(app(s, Integer.toString(number), autoRollback), number, previous, zones());
        Map<String, Release.ClusterTarget> targets = new LinkedHashMap<>();
        compiled.clusters().forEach((c, t) -> {
            List<HasMetadata> objects = new ArrayList<>(prerequisites());
            objects.addAll(t.objects());
            targets.put(c, new Release.ClusterTarget(t.namespace(), objects));
        });
        Map<String, Release.ClusterTarget> before = previous == null ? Map.of() : previous.clusters();
        return new Release(compiled.app(), compiled.environment(), number, targets, compiled.ownerLabels(), compiled.progressDeadline(),
                compiled.plan(), before);
    }

    /** Which live objects the failure breaks: release 2's objects only (release 1 went through). */
    static BiPredicate<HasMetadata, FaultyCluster> broken(Failure f, Strategy s) {
        return switch (f) {
            case NONE, GATE_FAILS, CLUSTER_UNREACHABLE -> (o, c) -> false;
            case PREREQUISITE_NEVER_READY -> (o, c) -> o.getMetadata().getName().equals("shop-cache") && c.releasing;
            case PREREQUISITE_FAILED -> (o, c) -> o.getMetadata().getName().equals("shop-queue") && c.releasing;
            case PRE_RELEASE_JOB_FAILS -> (o, c) -> o instanceof Job j && j.getMetadata().getName().startsWith("shop-migrate-")
                    && image(j).endsWith(":2");
            case POST_RELEASE_JOB_FAILS -> (o, c) -> o instanceof Job j && j.getMetadata().getName().startsWith("shop-notify-")
                    && image(j).endsWith(":2");
            case BASTION_NEVER_READY, BASTION_CRASH_LOOPING -> (o, c) -> o instanceof Deployment d
                    && d.getMetadata().getName().equals("shop-api-canary") && d.getSpec().getReplicas() == 1;
            case SECOND_BATCH_NEVER_READY, SECOND_BATCH_CRASH_LOOPING -> (o, c) -> o instanceof Deployment d
                    && d.getMetadata().getName().equals("shop-api-canary") && d.getSpec().getReplicas() == 2;
            case LAST_BATCH_NEVER_READY, LAST_BATCH_CRASH_LOOPING -> (o, c) -> o instanceof Deployment d
                    && d.getMetadata().getName().equals("shop-api") && image(d).endsWith(":2");
            case STATEFUL_SET_NEVER_READY -> (o, c) -> o instanceof StatefulSet x && x.getMetadata().getName().equals("shop-db")
                    && x.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith(":2");
            case SECOND_STAGE_NEVER_READY -> (o, c) -> o instanceof Deployment d && d.getMetadata().getName().startsWith("shop-web")
                    && image(d).endsWith(":2");
            case SECOND_WAVE_NEVER_READY -> (o, c) -> o instanceof Deployment d && d.getMetadata().getName().startsWith("shop-api")
                    && image(d).endsWith(":2");
            case PREVIEW_NEVER_READY, PREVIEW_CRASH_LOOPING -> (o, c) -> o instanceof Deployment d
                    && d.getMetadata().getName().equals("shop-api-preview");
        };
    }

    /** What the test world ended with. */
    record Outcome(ReleaseProgress progress, Map<String, Map<String, String>> before, Map<String, Map<String, String>> after,
            Map<String, Map<String, String>> released, boolean stableSelector) {
    }

    static Outcome run(Strategy s, Failure f, boolean autoRollback) {
        Map<String, FaultyCluster> clusters = new LinkedHashMap<>();
        zones().keySet().forEach(c -> clusters.put(c, new FaultyCluster()));
        ReleaseEngine engine = new ReleaseEngine(clusters::get, (release, gate) -> new GateReading.Value(
                f == Failure.GATE_FAILS ? 0.2 : 0.001, 5));
        Release r1 = release(s, 1, null, autoRollback);
        ReleaseProgress p1 = drive(engine, r1, clusters, T0);
        assertThat(p1.phase()).as("release 1: %s", p1.clusters()).isEqualTo(Phase.SUCCEEDED);
        Map<String, Map<String, String>> before = snapshot(clusters);

        Release r2 = release(s, 2, r1, autoRollback);
        FaultyCluster failing = clusters.get(f.cluster());
        failing.broken = broken(f, s);
        failing.crashLoop = f.name().endsWith("CRASH_LOOPING");
        failing.unreachableFor = f == Failure.CLUSTER_UNREACHABLE ? r2.progressDeadline().plusMinutes(2) : null;
        clusters.values().forEach(c -> c.releasing = true);
        ReleaseProgress p2 = drive(engine, r2, clusters, T0.plus(Duration.ofHours(1)));
        return new Outcome(p2, before, snapshot(clusters), released(s, autoRollback), clusters.get("a1").stableSelector);
    }

    /** What release 2 alone leaves on an empty cluster: what a successful progressive release must end with. */
    static Map<String, Map<String, String>> released(Strategy s, boolean autoRollback) {
        Map<String, FaultyCluster> clusters = new LinkedHashMap<>();
        zones().keySet().forEach(c -> clusters.put(c, new FaultyCluster()));
        Release alone = release(s, 2, null, autoRollback);
        ReleaseProgress p = drive(new ReleaseEngine(clusters::get), alone, clusters, T0);
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        return snapshot(clusters);
    }

    /** Ticks the release until it ends, a person promoting every manual pause as soon as it is reached. */
    static ReleaseProgress drive(ReleaseEngine engine, Release r, Map<String, FaultyCluster> clusters, Instant start) {
        ReleaseProgress p = ReleaseProgress.start(r, start);
        Instant now = start;
        for (int i = 0; i < 500 && p.phase() == Phase.RUNNING; i++) {
            now = now.plus(TICK);
            Instant at = now;
            clusters.values().forEach(c -> c.now = at);
            Set<String> paused = new LinkedHashSet<>();
            p.clusters().forEach((c, cp) -> {
                if (cp.step() instanceof Step.Paused x) {
                    paused.add(ReleaseProgress.pauseKey(c, x));
                }
            });
            if (!paused.isEmpty()) {
                p = p.withControl(p.control().promote(paused, false));
            }
            p = engine.tick(r, p, now);
        }
        return p;
    }

    /**
     * Every object on every cluster, as the whole object written (metadata, spec; the in-memory
     * cluster keeps no status): kind/name → JSON. Two snapshots are equal only if the same objects
     * exist with the same content, so a leftover canary, a pinned autoscaler, a Service still
     * selecting one pod-template-hash or a StatefulSet left partitioned all show as a difference.
     */
    static Map<String, Map<String, String>> snapshot(Map<String, FaultyCluster> clusters) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        clusters.forEach((name, c) -> {
            Map<String, String> objects = new TreeMap<>();
            synchronized (c.cluster.objects) {
                c.cluster.objects.forEach((key, o) -> objects.put(key, json(o)));
            }
            out.put(name, objects);
        });
        return out;
    }

    static String json(HasMetadata o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The "nothing left over" check: the cluster holds exactly {@code expected}, kind/name set first
     * (readable), then every object in full. One exception, by design: the previous release's
     * finished pre-/post-release Jobs may be gone (a release that got as far as pruning removed them,
     * and a rollback never re-runs a migration); a Job of the failed release is never left.
     */
    static void assertHolds(String what, Map<String, String> live, Map<String, String> expected) {
        Set<String> wanted = new java.util.TreeSet<>(expected.keySet());
        wanted.removeIf(k -> k.startsWith("Job/") && !live.containsKey(k));
        assertThat(live.keySet()).as("%s: objects", what).noneMatch(k -> k.endsWith(BatchWrites.CANARY_SUFFIX) || k.endsWith("-preview"))
                .containsExactlyInAnyOrderElementsOf(wanted);
        wanted.forEach(key -> assertThat(live.get(key)).as("%s: %s", what, key).isEqualTo(expected.get(key)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("matrix")
    void withAutoRollbackEveryFailureReturnsEveryClusterToThePreviousReleaseWithNothingLeftOver(Strategy s, Failure f) {
        Outcome o = run(s, f, true);
        ReleaseProgress p = o.progress();
        if (s == Strategy.CANARY && f == Failure.NONE) {
            assertThat(o.stableSelector()).as("the canary's stable Service selected the stable pods only").isTrue();
        }
        if (f == Failure.NONE || f == Failure.GATE_FAILS && s == Strategy.ROLLING) {
            assertThat(p.phase()).as("%s", p.clusters()).isEqualTo(Phase.SUCCEEDED);
            o.released().forEach((c, objects) -> assertHolds(c + " after success", o.after().get(c), objects));
            return;
        }
        assertThat(p.phase()).as("%s", p.clusters()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).startsWith(f.cluster() + ": ").contains(f.reason);
        assertThat(p.clusters().get(f.cluster()).reasonKind()).isEqualTo(f.kind);
        p.clusters().forEach((c, cp) -> assertThat(cp.step()).as(c).isInstanceOfAny(Step.RolledBack.class, Step.Stopped.class));
        o.before().forEach((c, objects) -> assertHolds(c + " after rollback", o.after().get(c), objects));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("matrix")
    void withoutAutoRollbackEveryFailureFailsTheReleaseNamingWhatFailed(Strategy s, Failure f) {
        Outcome o = run(s, f, false);
        ReleaseProgress p = o.progress();
        if (f == Failure.NONE || f == Failure.GATE_FAILS && s == Strategy.ROLLING) {
            assertThat(p.phase()).as("%s", p.clusters()).isEqualTo(Phase.SUCCEEDED);
            o.released().forEach((c, objects) -> assertHolds(c + " after success", o.after().get(c), objects));
            return;
        }
        assertThat(p.phase()).as("%s", p.clusters()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).startsWith(f.cluster() + ": ").contains(f.reason);
        assertThat(p.clusters().get(f.cluster()).step()).isInstanceOf(Step.Failed.class);
        assertThat(p.clusters().get(f.cluster()).reasonKind()).isEqualTo(f.kind);
        if (f.cluster().equals("a1")) {
            assertThat(p.clusters().get("b1").step()).isInstanceOf(Step.Stopped.class);
            assertHolds("b1, never reached", o.after().get("b1"), o.before().get("b1"));
        } else {
            assertThat(p.clusters().get("a1").step()).isInstanceOf(Step.Done.class);
            assertHolds("a1, released before b1 failed", o.after().get("a1"), o.released().get("a1"));
        }
    }
}
