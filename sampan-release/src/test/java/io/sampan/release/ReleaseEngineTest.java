package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.CompiledApp;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import io.sampan.spec.read.AppReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseEngineTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Map<String, String> OWNER = Map.of("sampan.io/app", "shop", "app.kubernetes.io/managed-by", "sampan");
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 2}
                api: {image: r.local/api:1, port: 8000}
              jobs:
                migrate: {image: "r.local/api:%s", trigger: pre-release}
            """;

    static List<HasMetadata> objects(String version) {
        CompiledApp app = new AppCompiler().compile(AppReader.read(APP.formatted(version, version), "app.yaml").resolve(null),
                ClusterProfile.defaults("shop"));
        return app.objects();
    }

    static Release release(int number, List<HasMetadata> objects, String... clusters) {
        Map<String, Release.ClusterTarget> targets = new java.util.LinkedHashMap<>();
        for (String c : clusters) {
            targets.put(c, new Release.ClusterTarget("shop", objects));
        }
        return new Release("shop", "prod", number, targets, OWNER, Duration.ofMinutes(10));
    }

    @Test
    void preReleaseJobsRunFirstThenEverythingIsAppliedAndWaitedFor() {
        FakeCluster dc1 = new FakeCluster();
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(1, objects("1"), "dc1");
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        assertThat(dc1.applyLog).singleElement().satisfies(k -> assertThat(k).startsWith("Job/shop-migrate-"));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.PreReleaseJobs.class);
        assertThat(p.clusters().get("dc1").message()).contains("waiting for pre-release jobs");

        dc1.ready.add(dc1.applyLog.get(0));
        p = engine.tick(r, p, T0.plusSeconds(5));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.WaitReady.class);
        assertThat(dc1.objects).containsKeys("Deployment/shop-web", "Deployment/shop-api", "Service/shop-web");
        assertThat(p.clusters().get("dc1").message()).contains("shop-web: 0 of 2 updated instances are available");
        assertThat(p.phase()).isEqualTo(Phase.RUNNING);

        dc1.ready.add("Deployment/shop-web");
        dc1.ready.add("Deployment/shop-api");
        p = engine.tick(r, p, T0.plusSeconds(10));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(p.finishedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(engine.tick(r, p, T0.plusSeconds(20))).as("a finished release stays finished").isEqualTo(p);
    }

    @Test
    void objectsOfEarlierReleasesThatTheNewOneDropsArePruned() {
        FakeCluster dc1 = new FakeCluster();
        dc1.apply(List.of(new ConfigMapBuilder().withNewMetadata().withName("shop-web-config-old").withLabels(OWNER).endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withName("someone-elses").withLabels(Map.of("team", "x")).endMetadata().build()));
        List<HasMetadata> objects = objects("1");
        objects.forEach(o -> dc1.ready.add(FakeCluster.key(o)));
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(2, objects, "dc1");
        ReleaseProgress p = ReleaseProgress.start(r, T0);
        for (int i = 0; i < 3 && p.phase() == Phase.RUNNING; i++) {
            p = engine.tick(r, p, T0.plusSeconds(i));
        }
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.deleted).containsExactly("ConfigMap/shop-web-config-old");
        assertThat(dc1.objects).containsKey("ConfigMap/someone-elses");
    }

    @Test
    void aDeploymentThatIsNotReadyByTheDeadlineFailsWithTheReasonTheClusterShows() {
        FakeCluster dc1 = new FakeCluster();
        List<HasMetadata> objects = objects("1");
        objects.stream().filter(o -> o.getKind().equals("Job")).forEach(o -> dc1.ready.add(FakeCluster.key(o)));
        dc1.ready.add("Deployment/shop-api");
        dc1.pods.add(new PodBuilder().withNewMetadata().withName("shop-web-abc").withLabels(Map.of("sampan.io/app", "shop", "sampan.io/service", "web"))
                .endMetadata().withNewStatus().addNewContainerStatus().withName("web").withImage("r.local/web:1").withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff").withMessage("Back-off pulling image \"r.local/web:1\"")
                .endWaiting().endState().endContainerStatus().endStatus().build());
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(1, objects, "dc1");
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        p = engine.tick(r, p, T0.plusSeconds(60));
        assertThat(p.phase()).isEqualTo(Phase.RUNNING);
        p = engine.tick(r, p, T0.plus(Duration.ofMinutes(10)));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).isEqualTo("shop-web: image r.local/web:1 cannot be pulled (ImagePullBackOff: Back-off pulling image \"r.local/web:1\")");
        assertThat(p.clusters().get("dc1").reasonKind()).isEqualTo("IMAGE_PULL");
    }

    @Test
    void aFailedPreReleaseJobStopsTheReleaseBeforeAnythingElseIsApplied() {
        FakeCluster dc1 = new FakeCluster();
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(1, objects("1"), "dc1");
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        dc1.failedJobs.add(dc1.applyLog.get(0));
        p = engine.tick(r, p, T0.plusSeconds(30));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).startsWith("pre-release job shop-migrate-").contains("failed: job failed: BackoffLimitExceeded");
        assertThat(dc1.objects.keySet()).allMatch(k -> k.startsWith("Job/"));
    }

    @Test
    void anUnreachableClusterIsRetriedWithBackoffThenFailsAtTheDeadline() {
        FakeCluster dc1 = new FakeCluster();
        dc1.unreachable = "connection refused";
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(1, objects("1"), "dc1");
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, T0), T0);
        var cp = p.clusters().get("dc1");
        assertThat(cp.message()).isEqualTo("cluster dc1 unreachable (connection refused), retrying");
        assertThat(cp.retryAt()).isEqualTo(T0.plusSeconds(1));
        ReleaseProgress waiting = engine.tick(r, p, T0.plusMillis(500));
        assertThat(waiting).as("no attempt before the retry time").isEqualTo(p);
        p = engine.tick(r, p, T0.plusSeconds(1));
        assertThat(p.clusters().get("dc1").retryAt()).isEqualTo(T0.plusSeconds(3));
        List<Instant> retries = new ArrayList<>();
        Instant now = T0.plusSeconds(3);
        for (int i = 0; i < 8; i++) {
            p = engine.tick(r, p, now);
            retries.add(p.clusters().get("dc1").retryAt());
            now = p.clusters().get("dc1").retryAt();
        }
        assertThat(Duration.between(retries.get(6), retries.get(7))).isEqualTo(Duration.ofSeconds(30));
        dc1.unreachable = null;
        p = engine.tick(r, p, now);
        assertThat(p.clusters().get("dc1").attempts()).isZero();
        dc1.unreachable = "timeout";
        p = engine.tick(r, p, p.clusters().get("dc1").since().plus(Duration.ofMinutes(10)));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).isEqualTo("cluster dc1 unreachable: timeout");
    }

    @Test
    void everyClusterOfTheEnvironmentGetsTheReleaseAndOneFailureFailsIt() {
        FakeCluster dc1 = new FakeCluster();
        FakeCluster dc2 = new FakeCluster();
        List<HasMetadata> objects = objects("1");
        objects.forEach(o -> dc1.ready.add(FakeCluster.key(o)));
        objects.stream().filter(o -> o.getKind().equals("Job")).forEach(o -> dc2.ready.add(FakeCluster.key(o)));
        ReleaseEngine engine = new ReleaseEngine(c -> c.equals("dc1") ? dc1 : dc2);
        Release r = release(1, objects, "dc1", "dc2");
        ReleaseProgress p = ReleaseProgress.start(r, T0);
        p = engine.tick(r, p, T0);
        p = engine.tick(r, p, T0.plusSeconds(1));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Done.class);
        assertThat(p.clusters().get("dc2").step()).isInstanceOf(Step.WaitReady.class);
        assertThat(p.phase()).isEqualTo(Phase.RUNNING);
        p = engine.tick(r, p, T0.plus(Duration.ofMinutes(10)));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).startsWith("dc2: not ready within 10m: shop-api: 0 of 1 updated instances are available");
    }
}
