package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Addons (objects annotated as prerequisites) are applied and waited for before anything of the app, and never pruned with it. */
class PrerequisitesTest {
    static final Map<String, String> ADDON = Map.of("sampan.io/addon", "shop-db", "app.kubernetes.io/managed-by", "sampan");
    static final Map<String, String> PREREQUISITE = Map.of("sampan.io/trigger", "prerequisite");

    static HasMetadata database() {
        return new StatefulSetBuilder().withNewMetadata().withName("addon-shop-db").withNamespace("shop").withLabels(ADDON)
                .withAnnotations(PREREQUISITE).endMetadata().withNewSpec().withReplicas(1).endSpec().build();
    }

    static GenericKubernetesResource cache(Map<String, Object> status) {
        GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder().withApiVersion("databases.spotahome.com/v1")
                .withKind("RedisFailover").withNewMetadata().withName("addon-shop-cache").withNamespace("shop")
                .withLabels(Map.of("sampan.io/addon", "shop-cache")).withAnnotations(PREREQUISITE).endMetadata();
        return status == null ? b.build() : b.withAdditionalProperties(Map.of("status", status)).build();
    }

    static Release release(HasMetadata... addons) {
        List<HasMetadata> objects = new ArrayList<>(ReleaseEngineTest.objects("1"));
        objects.addAll(List.of(addons));
        return ReleaseEngineTest.release(1, objects, "dc1");
    }

    @Test
    void addonsAreReadyBeforeThePreReleaseJobAndStayWhenTheAppIsPruned() {
        FakeCluster dc1 = new FakeCluster();
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(database());
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, ReleaseEngineTest.T0), ReleaseEngineTest.T0);
        assertThat(dc1.applyLog).containsExactly("StatefulSet/addon-shop-db");
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Prerequisites.class);
        assertThat(p.clusters().get("dc1").message())
                .startsWith("waiting for addon shop-db (StatefulSet addon-shop-db): ");

        dc1.ready.add("StatefulSet/addon-shop-db");
        p = engine.tick(r, p, ReleaseEngineTest.T0.plusSeconds(5));
        assertThat(dc1.applyLog).as("the pre-release job runs once the addon is ready").anyMatch(k -> k.startsWith("Job/shop-migrate-"));
        dc1.autoReady = true;
        p = engine.tick(r, p, ReleaseEngineTest.T0.plusSeconds(10));
        p = engine.tick(r, p, ReleaseEngineTest.T0.plusSeconds(15));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);

        Release next = ReleaseEngineTest.release(2, ReleaseEngineTest.objects("2"), "dc1");
        ReleaseProgress q = ReleaseProgress.start(next, ReleaseEngineTest.T0.plusSeconds(20));
        for (int i = 0; i < 4; i++) {
            q = engine.tick(next, q, ReleaseEngineTest.T0.plusSeconds(20 + i));
        }
        assertThat(q.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects).as("a release without the addon does not prune it").containsKey("StatefulSet/addon-shop-db");
    }

    @Test
    void anOperatorsResourceIsWaitedOnAndItsFailureFailsTheReleaseNamingTheAddon() {
        FakeCluster dc1 = new FakeCluster();
        ReleaseEngine engine = new ReleaseEngine(c -> dc1);
        Release r = release(cache(null));
        ReleaseProgress p = engine.tick(r, ReleaseProgress.start(r, ReleaseEngineTest.T0), ReleaseEngineTest.T0);
        assertThat(p.clusters().get("dc1").message()).isEqualTo("waiting for addon shop-cache (RedisFailover addon-shop-cache): "
                + "waiting for the operator to report the RedisFailover's status");

        // the fake cluster shows what was applied: here, the resource as its operator reports it, failed
        Release reported = release(cache(Map.of("phase", "Failed", "message", "sentinels cannot reach quorum")));
        p = engine.tick(reported, p, ReleaseEngineTest.T0.plusSeconds(5));
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.failureReason()).isEqualTo("addon shop-cache (RedisFailover addon-shop-cache) failed: RedisFailover failed: "
                + "sentinels cannot reach quorum");
        assertThat(p.clusters().get("dc1").reasonKind()).isEqualTo("ADDON_FAILED");
    }
}
