package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batches with a bastion, pauses, waves, service order and automatic rollback, against in-memory clusters. */
class ProgressiveReleaseTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Map<String, String> OWNER = TestReleases.OWNER;
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%1$s", port: 8080, replicas: 4, dependsOn: [api]}
                api: {image: "r.local/api:%1$s", port: 8000, replicas: 2}
                db: {image: "r.local/db:%1$s", port: 5432, replicas: 3, stateful: true}
              environments:
                prod:
                  release: {strategy: batch, batches: [1, 50%%, 100%%], pause: [manual, 5m], waves: [zone-a, zone-b], autoRollback: true}
            """;

    final Map<String, FakeCluster> clusters = new LinkedHashMap<>();
    final ReleaseEngine engine = new ReleaseEngine(name -> clusters.computeIfAbsent(name, n -> new FakeCluster()));

    static Release release(int number, String version, Release previous) {
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("a1", "zone-a");
        zones.put("b1", "zone-b");
        return TestReleases.of(APP.formatted(version), number, previous, zones);
    }

    /** Release 1 (a plain first release: nothing to batch) brought to success on instant clusters. */
    Release firstRelease() {
        Release r1 = release(1, "1", null);
        ReleaseProgress p = ReleaseProgress.start(r1, T0);
        clusters.computeIfAbsent("a1", n -> new FakeCluster()).autoReady = true;
        clusters.computeIfAbsent("b1", n -> new FakeCluster()).autoReady = true;
        for (int i = 0; i < 20 && p.phase() == Phase.RUNNING; i++) {
            p = engine.tick(r1, p, T0.plusSeconds(i));
        }
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        return r1;
    }

    @Test
    void thePlanResolvesStagesFromDependsOnAndWavesFromZones() {
        Release r = release(1, "1", null);
        assertThat(r.plan().waves()).containsExactly(List.of("a1"), List.of("b1"));
        assertThat(r.plan().stages()).containsExactly(List.of("api", "db"), List.of("web"));
        assertThat(r.plan().batches()).extracting(b -> b.text()).containsExactly("1", "50%", "100%");
    }

    @Test
    void aBatchReleaseMovesABastionFirstThenWaitsForApprovalThenATimerAndEndsWithOneDeployment() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        FakeCluster a1 = clusters.get("a1");
        FakeCluster b1 = clusters.get("b1");
        ReleaseProgress p = ReleaseProgress.start(r2, T0.plusSeconds(100));
        assertThat(p.clusters().get("b1").step()).isEqualTo(new Step.AwaitWave(1));
        Instant t = T0.plusSeconds(100);
        p = engine.tick(r2, p, t);
        // stage 0 (api, db): bastion of one instance each, then a manual pause
        assertThat(p.clusters().get("a1").step()).isEqualTo(new Step.Paused(0, 0, null));
        assertThat(p.clusters().get("a1").message()).contains("batch 1 of 3").contains("waiting for approval").contains("sampan release promote 2");
        assertThat(replicas(a1, "shop-api-canary")).isEqualTo(1);
        assertThat(replicas(a1, "shop-api")).isEqualTo(1);
        assertThat(image(a1, "shop-api-canary")).isEqualTo("r.local/api:2");
        assertThat(image(a1, "shop-api")).isEqualTo("r.local/api:1");
        assertThat(partition(a1, "shop-db")).isEqualTo(2);
        assertThat(a1.objects).doesNotContainKey("Deployment/shop-web-canary");
        assertThat(p.clusters().get("b1").message()).isEqualTo("waiting for wave 1 (a1) to succeed");
        assertThat(b1.applyLog).as("zone-b untouched while zone-a runs").hasSize(countAfterFirst(b1));

        p = engine.tick(r2, p, t.plusSeconds(3600));
        assertThat(p.clusters().get("a1").step()).as("a manual pause waits however long").isEqualTo(new Step.Paused(0, 0, null));
        p = engine.tick(r2, p.withControl(p.control().promote(Set.of("a1@0/0"), false)), t.plusSeconds(3601));
        assertThat(p.clusters().get("a1").step()).isEqualTo(new Step.Paused(0, 1, t.plusSeconds(3601).plus(Duration.ofMinutes(5))));
        assertThat(replicas(a1, "shop-api-canary")).isEqualTo(1);
        assertThat(partition(a1, "shop-db")).isEqualTo(1);
        assertThat(p.clusters().get("a1").message()).contains("next batch at").contains("5m 0s left");
        p = engine.tick(r2, p, t.plusSeconds(3601 + 299));
        assertThat(p.clusters().get("a1").step()).isInstanceOf(Step.Paused.class);
        p = engine.tick(r2, p, t.plusSeconds(3601 + 300));
        // stage 0 finished: one Deployment at the new version, no canary; stage 1 (web) now at its bastion
        assertThat(a1.objects).doesNotContainKey("Deployment/shop-api-canary");
        assertThat(image(a1, "shop-api")).isEqualTo("r.local/api:2");
        assertThat(replicas(a1, "shop-api")).isEqualTo(2);
        assertThat(partition(a1, "shop-db")).isZero();
        assertThat(p.clusters().get("a1").step()).isEqualTo(new Step.Paused(1, 0, null));
        assertThat(replicas(a1, "shop-web-canary")).isEqualTo(1);
        assertThat(replicas(a1, "shop-web")).isEqualTo(3);

        p = p.withControl(p.control().promote(Set.of(), true));
        p = engine.tick(r2, p, t.plusSeconds(4000));
        assertThat(p.clusters().get("a1").step()).isInstanceOf(Step.Done.class);
        assertThat(a1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(replicas(a1, "shop-web")).isEqualTo(4);
        p = engine.tick(r2, p, t.plusSeconds(4001));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(image(b1, "shop-web")).isEqualTo("r.local/web:2");
        assertThat(b1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
    }

    @Test
    void aFailureInTheSecondWaveReturnsBothWavesToThePreviousReleaseWithNoCanaryLeft() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        FakeCluster a1 = clusters.get("a1");
        FakeCluster b1 = clusters.get("b1");
        ReleaseProgress p = ReleaseProgress.start(r2, T0.plusSeconds(100)).withControl(new ReleaseProgress.Control(false, Set.of(), true, null));
        b1.autoReady = false;
        p = engine.tick(r2, p, T0.plusSeconds(100));
        assertThat(p.clusters().get("a1").step()).isInstanceOf(Step.Done.class);
        assertThat(p.clusters().get("b1").step()).isEqualTo(new Step.WaitReady(0, 2));
        p = engine.tick(r2, p, T0.plusSeconds(102).plus(Duration.ofMinutes(10)));
        assertThat(p.clusters().values()).allMatch(c -> c.step() instanceof Step.RollingBack);
        b1.autoReady = true;
        p = engine.tick(r2, p, T0.plusSeconds(1000));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).startsWith("b1: not ready within 10m");
        for (FakeCluster c : List.of(a1, b1)) {
            assertThat(image(c, "shop-web")).isEqualTo("r.local/web:1");
            assertThat(image(c, "shop-api")).isEqualTo("r.local/api:1");
            assertThat(c.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        }
    }

    @Test
    void abortInTheBastionRemovesTheCanaryAndKeepsTheStableSide() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        FakeCluster a1 = clusters.get("a1");
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0.plusSeconds(100)), T0.plusSeconds(100));
        assertThat(a1.objects).containsKey("Deployment/shop-api-canary");
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(200));
        p = engine.tick(r2, p, T0.plusSeconds(201));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.clusters().get("b1").step()).isInstanceOf(Step.Stopped.class);
        assertThat(p.failureReason()).contains("aborted by ana");
        assertThat(a1.objects).doesNotContainKey("Deployment/shop-api-canary");
        assertThat(replicas(a1, "shop-api")).isEqualTo(2);
        assertThat(partition(a1, "shop-db")).isZero();
    }

    @Test
    void everyStepATickPassesIsATransition() {
        Release r1 = firstRelease();
        Release r2 = release(2, "2", r1);
        ReleaseEngine.Tick tick = engine.step(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(tick.transitions()).extracting(t -> t.cluster() + " " + t.step())
                .containsExactly("a1 pre-release-jobs", "a1 apply", "a1 wait-ready", "a1 paused");
        assertThat(tick.transitions().get(3).message()).contains("waiting for approval");
        assertThat(engine.step(r2, tick.progress(), T0.plusSeconds(1)).transitions()).isEmpty();
    }

    @Test
    void anAutoscaledServiceCountsItsMinimumAndItsAutoscalerIsPinnedWhileBatchesRun() {
        String yaml = """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "r.local/web:%s", port: 8080, autoscale: {min: 4, max: 10}}
                  release: {strategy: batch, batches: [1, 100%%], pause: manual}
                """;
        FakeCluster dc1 = new FakeCluster();
        dc1.autoReady = true;
        ReleaseEngine one = new ReleaseEngine(c -> dc1);
        Release r1 = TestReleases.of(yaml.formatted("1"), 1, null, Map.of("dc1", "a"));
        Release r2 = TestReleases.of(yaml.formatted("2"), 2, r1, Map.of("dc1", "a"));
        assertThat(one.tick(r1, ReleaseProgress.start(r1, T0), T0).phase()).isEqualTo(Phase.SUCCEEDED);
        ReleaseProgress p = one.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 0, null));
        var hpa = (io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler) dc1.objects.get("HorizontalPodAutoscaler/shop-web");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
        assertThat(replicas(dc1, "shop-web")).isEqualTo(3);
        assertThat(replicas(dc1, "shop-web-canary")).isEqualTo(1);
        p = one.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/0"), false)), T0.plusSeconds(10));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        hpa = (io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler) dc1.objects.get("HorizontalPodAutoscaler/shop-web");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(4);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
    }

    @Test
    void prerequisitesAreAppliedAndWaitedForFirstAndAFailureNamesThem() {
        Release plain = release(1, "1", null);
        var db = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("shop-db").withNamespace("shop")
                .withLabels(Map.of("sampan.io/addon", "db")).withAnnotations(Map.of("sampan.io/trigger", "prerequisite")).endMetadata()
                .withNewSpec().withReplicas(1).endSpec().build();
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>(plain.clusters().get("a1").objects());
        objects.add(0, db);
        Release r = new Release("shop", "prod", 1, Map.of("a1", new Release.ClusterTarget("shop", objects)), OWNER, Duration.ofMinutes(10));
        FakeCluster a1 = clusters.computeIfAbsent("a1", n -> new FakeCluster());
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        assertThat(a1.applyLog).containsExactly("StatefulSet/shop-db");
        assertThat(p.clusters().get("a1").message()).isEqualTo("waiting for addon db (StatefulSet shop-db): 0 of 1 instances are ready");
        p = engine.tick(r, p, T0.plus(Duration.ofMinutes(10)));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).isEqualTo("addon db (StatefulSet shop-db): 0 of 1 instances are ready (not ready within 10m)");
        assertThat(a1.applyLog).as("nothing of the app's own before its prerequisites").allMatch(k -> k.equals("StatefulSet/shop-db"));

        a1.ready.add("StatefulSet/shop-db");
        p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        assertThat(p.clusters().get("a1").step()).isNotInstanceOf(Step.Prerequisites.class);
        assertThat(a1.applyLog).contains("Deployment/shop-web");
        a1.autoReady = true;
        p = engine.tick(r, p, T0.plusSeconds(1));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(a1.deleted).as("a prerequisite carries no owner labels: the app's prune never removes it").doesNotContain("StatefulSet/shop-db");
    }

    private int countAfterFirst(FakeCluster c) {
        return c.applyLog.size();
    }

    static int replicas(FakeCluster c, String name) {
        return ((Deployment) c.objects.get("Deployment/" + name)).getSpec().getReplicas();
    }

    static String image(FakeCluster c, String name) {
        return ((Deployment) c.objects.get("Deployment/" + name)).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static int partition(FakeCluster c, String name) {
        return ((StatefulSet) c.objects.get("StatefulSet/" + name)).getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }
}
