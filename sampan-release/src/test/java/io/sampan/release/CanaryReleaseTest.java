package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A canary: weight steps through an ingress-nginx canary Ingress, a whitelist header rule, replicas following the weight. */
class CanaryReleaseTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 10, expose: [{host: shop.test, path: /}]}
              release:
                strategy: canary
                steps: [{weight: 20}, {pause: manual}, {weight: 50}, {weight: 100}]
                match: {header: X-User-Id, values: [u1, u.2]}
            """;
    final FakeCluster dc1 = new FakeCluster();
    final ReleaseEngine engine = new ReleaseEngine(name -> dc1);

    static Release release(int number, String version, Release previous) {
        return TestReleases.of(APP.formatted(version), number, previous, Map.of("dc1", "a"));
    }

    @Test
    void weightStepsShiftTrafficThroughACanaryIngressAndLeaveNothingBehind() {
        dc1.autoReady = true;
        Release r1 = release(1, "1", null);
        ReleaseProgress p = engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);

        Release r2 = release(2, "2", r1);
        p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 0, null));
        assertThat(ProgressiveReleaseTest.replicas(dc1, "shop-web-canary")).as("20 % of 10 instances").isEqualTo(2);
        assertThat(ProgressiveReleaseTest.replicas(dc1, "shop-web")).as("the stable side keeps every instance").isEqualTo(10);
        Ingress canary = (Ingress) dc1.objects.get("Ingress/shop-web-canary");
        assertThat(canary.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/canary", "true")
                .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "20")
                .containsEntry("nginx.ingress.kubernetes.io/canary-by-header", "X-User-Id")
                .containsEntry("nginx.ingress.kubernetes.io/canary-by-header-pattern", "^(u1|u\\.2)$");
        assertThat(canary.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName()).isEqualTo("shop-web-canary");
        assertThat(((Service) dc1.objects.get("Service/shop-web-canary")).getSpec().getSelector()).containsEntry("sampan.io/track", "canary");

        p = engine.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/0"), false)), T0.plusSeconds(60));
        assertThat(p.clusters().get("dc1").step()).as("no pause after 50 %: straight on to 100 %, then the canary drains")
                .isEqualTo(new Step.Draining(0, T0.plusSeconds(70)));
        assertThat(p.clusters().get("dc1").message()).endsWith("traffic no longer routed to the canary, which goes in 10 s (draining)");
        assertThat(dc1.objects).as("the routing to the canary goes first").doesNotContainKey("Ingress/shop-web-canary")
                .containsKeys("Service/shop-web-canary", "Deployment/shop-web-canary");
        p = engine.tick(r2, p, T0.plusSeconds(69));
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Draining.class);
        assertThat(p.clusters().get("dc1").message()).endsWith("which goes in 1 s (draining)");
        assertThat(dc1.objects).containsKeys("Service/shop-web-canary", "Deployment/shop-web-canary");
        p = engine.tick(r2, p, T0.plusSeconds(70));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(((Service) dc1.objects.get("Service/shop-web")).getSpec().getSelector()).doesNotContainKey("pod-template-hash");
        assertThat(ProgressiveReleaseTest.image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        assertThat(dc1.applyLog).contains("Deployment/shop-web-canary", "Ingress/shop-web-canary");
    }

    @Test
    void anAbortedCanaryLeavesNoCanaryObjects() {
        dc1.autoReady = true;
        Release r1 = release(1, "1", null);
        engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(dc1.objects).containsKeys("Ingress/shop-web-canary", "Service/shop-web-canary", "Deployment/shop-web-canary");
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(5));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(ProgressiveReleaseTest.image(dc1, "shop-web")).isEqualTo("r.local/web:1");
    }

    @Test
    void aCanaryAbortedWhileItDrainsGoesAtOnceAndTheClusterReturnsToThePreviousRelease() {
        Release r1 = release(1, "1", null);
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = promotedPastThePause(engine, r1, r2);
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.Draining.class);
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(62));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(ProgressiveReleaseTest.image(dc1, "shop-web")).isEqualTo("r.local/web:1");
    }

    @Test
    void withNoDrainTheCanaryGoesWithItsRouting() {
        ReleaseEngine noDrain = new ReleaseEngine(name -> dc1, GateProbe.NONE, java.time.Duration.ZERO);
        Release r1 = release(1, "1", null);
        ReleaseProgress p = promotedPastThePause(noDrain, r1, release(2, "2", r1));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
    }

    /** Release {@code r2} after {@code r1} (both by {@code by}), promoted at its pause: at 100 % and ready, at T0 + 60 s. */
    ReleaseProgress promotedPastThePause(ReleaseEngine by, Release r1, Release r2) {
        dc1.autoReady = true;
        by.tick(r1, ReleaseProgress.start(r1, T0), T0);
        ReleaseProgress p = by.tick(r2, ReleaseProgress.start(r2, T0), T0);
        return by.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/0"), false)), T0.plusSeconds(60));
    }
}
