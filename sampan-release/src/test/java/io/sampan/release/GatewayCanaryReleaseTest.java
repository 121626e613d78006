package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A canary of a service exposed by a Gateway API HTTPRoute: at each weight the service's HTTPRoute
 * carries one rule per match rule (to the canary only) and the weighted rule; at the end the route
 * is as released and no canary object is left.
 */
class GatewayCanaryReleaseTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 10, expose: [{host: shop.test, path: /}]}
              release:
                strategy: canary
                steps: [{weight: 0}, {pause: manual}, {weight: 20}, {pause: manual}, {weight: 100}]
                match:
                  - {header: X-User-Id, values: [u1, u.2]}
                  - {header: X-Beta, values: ["1"]}
                  - {cookie: canary}
            """;
    final FakeCluster dc1 = new FakeCluster();
    final ReleaseEngine engine = new ReleaseEngine(name -> dc1);

    static Release release(int number, String version, Release previous) {
        AppDocument doc = AppReader.read(APP.formatted(version), "app.yaml");
        AppSpec spec = doc.resolve("prod");
        List<HasMetadata> objects = new AppCompiler().compile(spec, ClusterProfile.defaults("shop").withGateway("infra/public")).objects();
        ReleasePlan plan = ReleasePlan.of(doc.releasePolicy("prod"), spec, Map.of("dc1", "a"));
        return new Release("shop", "prod", number, Map.of("dc1", new Release.ClusterTarget("shop", objects)), TestReleases.OWNER,
                Duration.ofMinutes(10)).with(plan, previous == null ? Map.of() : previous.clusters());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules() {
        GenericKubernetesResource route = (GenericKubernetesResource) dc1.objects.get("HTTPRoute/shop-web");
        return (List<Map<String, Object>>) ((Map<String, Object>) route.getAdditionalProperties().get("spec")).get("rules");
    }

    static Map<String, Object> backend(String name, int weight) {
        return Map.of("name", name, "port", 80, "weight", weight);
    }

    static Map<String, Object> header(String type, String name, String value) {
        return Map.of("type", type, "name", name, "value", value);
    }

    static Map<String, Object> rootWith(Map<String, Object> header) {
        return Map.of("path", Map.of("type", "PathPrefix", "value", "/"), "headers", List.of(header));
    }

    @Test
    void everyMatchRuleGoesToTheCanaryAndTheRestIsSplitByWeight() {
        dc1.autoReady = true;
        Release r1 = release(1, "1", null);
        ReleaseProgress p = engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(dc1.objects).containsKey("HTTPRoute/shop-web").doesNotContainKey("Ingress/shop-web");
        List<Map<String, Object>> released = rules();
        assertThat(released).singleElement().satisfies(r -> assertThat(r.get("backendRefs")).isEqualTo(List.of(Map.of("name", "shop-web", "port", 80))));

        Release r2 = release(2, "2", r1);
        p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 0, null));
        assertThat(ProgressiveReleaseTest.replicas(dc1, "shop-web-canary")).as("weight 0: the floor of one instance").isEqualTo(1);
        assertThat(dc1.objects).doesNotContainKey("Ingress/shop-web-canary").doesNotContainKey("HTTPRoute/shop-web-canary");
        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSize(4);
        assertThat(rules.get(0).get("matches")).isEqualTo(List.of(rootWith(header("Exact", "X-User-Id", "u1")),
                rootWith(header("Exact", "X-User-Id", "u.2"))));
        assertThat(rules.get(1).get("matches")).isEqualTo(List.of(rootWith(header("Exact", "X-Beta", "1"))));
        assertThat(rules.get(2).get("matches")).isEqualTo(List.of(rootWith(header("RegularExpression", "Cookie",
                "(^|;\\s*)canary=always(;|$)"))));
        for (int i = 0; i < 3; i++) {
            assertThat(rules.get(i).get("backendRefs")).as("rule %d only to the canary", i).isEqualTo(List.of(backend("shop-web-canary", 1)));
        }
        assertThat(rules.get(3).get("matches")).isEqualTo(released.get(0).get("matches"));
        assertThat(rules.get(3).get("backendRefs")).isEqualTo(List.of(backend("shop-web", 100), backend("shop-web-canary", 0)));
        assertThat(((Service) dc1.objects.get("Service/shop-web-canary")).getSpec().getSelector()).containsEntry("sampan.io/track", "canary");

        p = engine.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/0"), false)), T0.plusSeconds(60));
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Paused(0, 1, null));
        assertThat(ProgressiveReleaseTest.replicas(dc1, "shop-web-canary")).as("20 % of 10 instances").isEqualTo(2);
        assertThat(rules()).hasSize(4);
        assertThat(rules().get(3).get("backendRefs")).isEqualTo(List.of(backend("shop-web", 80), backend("shop-web-canary", 20)));
        assertThat(rules().get(0).get("backendRefs")).isEqualTo(List.of(backend("shop-web-canary", 1)));

        p = engine.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/1"), false)), T0.plusSeconds(120));
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Draining(0, T0.plusSeconds(130)));
        assertThat(rules()).as("as released while the canary drains").isEqualTo(released);
        assertThat(dc1.objects).containsKeys("Service/shop-web-canary", "Deployment/shop-web-canary");
        p = engine.tick(r2, p, T0.plusSeconds(130));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(rules()).as("as released").isEqualTo(released);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(((Service) dc1.objects.get("Service/shop-web")).getSpec().getSelector()).doesNotContainKey("pod-template-hash");
        assertThat(ProgressiveReleaseTest.image(dc1, "shop-web")).isEqualTo("r.local/web:2");
        assertThat(((GenericKubernetesResource) r2.clusters().get("dc1").objects().stream().filter(o -> o.getKind().equals("HTTPRoute"))
                .findFirst().orElseThrow()).getAdditionalProperties().get("spec")).as("the release's own object is not changed")
                .isEqualTo(((GenericKubernetesResource) dc1.objects.get("HTTPRoute/shop-web")).getAdditionalProperties().get("spec"));
    }

    @Test
    void anAbortedGatewayCanaryReturnsTheRouteAndLeavesNoCanaryObjects() {
        dc1.autoReady = true;
        Release r1 = release(1, "1", null);
        engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        List<Map<String, Object>> released = rules();
        Release r2 = release(2, "2", r1);
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(rules()).hasSize(4);
        p = engine.tick(r2, p.withControl(p.control().abort("ana")), T0.plusSeconds(5));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rules()).isEqualTo(released);
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
    }

    @Test
    void aClusterWithoutTheGatewayApiFailsTheReleaseNamingTheClusterAndTheApi() {
        dc1.autoReady = true;
        dc1.unserved.add("gateway.networking.k8s.io/v1 HTTPRoute");
        Release r1 = release(1, "1", null);
        ReleaseProgress p = engine.tick(r1, ReleaseProgress.start(r1, T0), T0);
        assertThat(p.phase()).isEqualTo(Phase.FAILED);
        assertThat(p.clusters().get("dc1").message()).contains("cluster dc1 does not serve gateway.networking.k8s.io/v1 HTTPRoute (the Gateway API)");
        assertThat(dc1.applyLog).as("nothing written").isEmpty();
    }

    @Test
    void ingressNginxTakesOneHeaderAndOneCookieRule() {
        var policy = AppReader.read(APP.formatted("1"), "app.yaml").releasePolicy("prod");
        assertThatThrownBy(() -> CanaryRouting.check(policy, false)).isInstanceOfSatisfying(ReleasePlan.Unresolvable.class, e -> {
            assertThat(e.field()).isEqualTo("release.match");
            assertThat(e.getMessage()).contains("2 header rules and 1 cookie rule").contains("ingress-nginx takes one header and one cookie")
                    .contains("Gateway");
        });
        CanaryRouting.check(policy, true);
        var one = AppReader.read(APP.formatted("1").replace("      - {header: X-Beta, values: [\"1\"]}\n", ""), "app.yaml").releasePolicy("prod");
        assertThat(one.match()).hasSize(2);
        CanaryRouting.check(one, false);
    }
}
