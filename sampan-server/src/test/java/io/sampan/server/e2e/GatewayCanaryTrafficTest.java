package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sampan.server.api.ApiClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A canary through a Gateway API Gateway, seen from the outside: the environment names a Gateway, so
 * the app is exposed by an HTTPRoute, and real HTTP requests go through the sandbox cluster's traffic
 * gateway (which routes by HTTPRoutes once their CRD is installed). Two header rules and a cookie
 * rule send exactly the listed users to the canary; at weight 20 a fifth of 10,000 other requests
 * reach it (± 2 %); at the end the route is as released and no canary object is left. An
 * environment on a cluster without the Gateway API fails the release naming the cluster and the
 * API; an ingress-nginx environment refuses the two header rules with a field error.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:gateway-canary-e2e;DB_CLOSE_DELAY=-1")
@Import(TickingServerClock.class)
class GatewayCanaryTrafficTest extends SandboxApiTest {
    static final String BASE = "/api/v1/orgs/default/projects/gw";
    static final String RELEASES = BASE + "/apps/shop/environments/prod/releases";
    /** The trimmed HTTPRoute CRD the sandbox's own gateway tests install. */
    static final Path HTTP_ROUTE_CRD = Path.of("../sampan-sandbox/src/test/resources/gateway-api/httproutes-crd.yaml");

    GatewayCanaryTrafficTest() {
        super("gw");
    }

    static String app(String version) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web:
                      image: "registry.local/shop/web:%s"
                      port: 8080
                      replicas: 5
                      resources: {cpu: 100m, memory: 128Mi}
                      expose: [{host: shop.test, path: /}]
                  release:
                    strategy: canary
                    steps: [{weight: 0}, {pause: manual}, {weight: 20}, {pause: manual}, {weight: 100}]
                    match:
                      - {header: X-User-Id, values: [u1, u2]}
                      - {header: X-Beta, values: ["1"]}
                      - {cookie: canary}
                """.formatted(version);
    }

    /** The version that answered a request for shop.test with these headers (name, value, ...); it must be a 200. */
    String version(String... headers) throws Exception {
        String v = GatewayRequests.version(cluster.gatewayUrl(), "shop.test", headers);
        assertThat(v).doesNotStartWith("HTTP/");
        return v;
    }

    /** How many of {@code n} requests without a rule's header or cookie the new version answered. */
    int onVersion(int n, String version) throws Exception {
        return GatewayRequests.onVersion(cluster.gatewayUrl(), "shop.test", n, version);
    }

    static String environment(String name, String cluster, String profile) {
        return "{\"name\":\"" + name + "\",\"profile\":" + profile + ",\"clusters\":[{\"cluster\":\"" + cluster + "\",\"namespace\":\"gw-" + name
                + "\"}]}";
    }

    @Test
    void everyRuleSendsExactlyItsUsersAndAFifthOfEveryoneElseReachesTheCanary() throws Exception {
        ApiClient api = new ApiClient(port);
        // the same sandbox twice: "bare" is asked about the Gateway API before its CRDs exist, "gw" after
        registerCluster(api, "bare");
        registerCluster(api, "gw");
        assertThat(api.post("/api/v1/orgs/default/projects", "{\"name\":\"gw\"}").status()).isEqualTo(201);
        assertThat(api.post(BASE + "/environments", environment("prod", "gw", "{\"gateway\":\"sandbox\"}")).status()).isEqualTo(201);
        assertThat(api.post(BASE + "/environments", environment("edge", "bare", "{\"gateway\":\"infra/public\"}")).status()).isEqualTo(201);
        assertThat(api.post(BASE + "/environments", environment("nginx", "gw", "{\"ingressClass\":\"nginx\"}")).status()).isEqualTo(201);
        ApiClient.Response badGateway = api.post(BASE + "/environments", environment("bad", "gw", "{\"gateway\":\"Infra/Public/x\"}"));
        assertThat(badGateway.status()).isEqualTo(422);
        assertThat(badGateway.json().get("errors").get(0).get("field").asString()).isEqualTo("profile.gateway");
        assertThat(api.yaml(BASE + "/apps", app("1.0")).status()).isEqualTo(201);

        // a cluster without the Gateway API: the release fails naming the cluster and the API
        String edge = BASE + "/apps/shop/environments/edge/releases";
        assertThat(api.post(edge, "{}").status()).isEqualTo(201);
        JsonNode failed = runUntil(api, edge + "/1", r -> r.get("phase").asString().equals("failed"));
        assertThat(failed.toString()).contains("cluster bare does not serve gateway.networking.k8s.io/v1 HTTPRoute (the Gateway API)");

        // ingress-nginx takes one header rule and one cookie rule: refused, naming the field
        ApiClient.Response refused = api.post(BASE + "/apps/shop/environments/nginx/releases", "{}");
        assertThat(refused.status()).isEqualTo(422);
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("release.match");
        assertThat(error.toString()).contains("ingress-nginx takes one header and one cookie").contains("gateway");

        try (var k = SandboxDeployTest.client(cluster); InputStream crd = Files.newInputStream(HTTP_ROUTE_CRD)) {
            k.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        runUntil(api, RELEASES + "/1", r -> r.get("phase").asString().equals("succeeded"));
        assertThat(version()).isEqualTo("1.0");
        try (var k = SandboxDeployTest.client(cluster)) {
            assertThat(k.network().v1().ingresses().inNamespace("gw-prod").list().getItems()).as("exposed by the HTTPRoute").isEmpty();
        }

        assertThat(api.yaml(BASE + "/apps", app("2.0")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        JsonNode paused = runUntil(api, RELEASES + "/2", r -> r.get("phase").asString().equals("paused"));
        assertThat(paused.get("clusters").get(0).get("position").asString()).isEqualTo("stage 1/1, batch 1/3");
        for (int i = 0; i < 10; i++) {
            assertThat(version("X-User-Id", "u1")).isEqualTo("2.0");
            assertThat(version("X-User-Id", "u2")).isEqualTo("2.0");
            assertThat(version("X-Beta", "1")).isEqualTo("2.0");
            assertThat(version("Cookie", "theme=dark; canary=always")).isEqualTo("2.0");
            assertThat(version("X-User-Id", "u3")).as("not on the whitelist").isEqualTo("1.0");
            assertThat(version("X-User-Id", "u10")).as("a value, not a prefix").isEqualTo("1.0");
            assertThat(version("X-Beta", "2")).isEqualTo("1.0");
            assertThat(version("Cookie", "canary=never; xcanary=always")).isEqualTo("1.0");
            assertThat(version()).isEqualTo("1.0");
        }

        api.post(RELEASES + "/2/promote", null);
        runUntil(api, RELEASES + "/2", r -> r.get("phase").asString().equals("paused")
                && r.get("clusters").get(0).get("position").asString().equals("stage 1/1, batch 2/3"));
        int n = 10_000;
        int canary = onVersion(n, "2.0");
        System.out.println("HTTPRoute weight 20: " + canary + " of " + n + " requests reached the canary");
        assertThat((double) canary / n).isBetween(0.18, 0.22);
        for (int i = 0; i < 10; i++) {
            assertThat(version("X-User-Id", "u2")).isEqualTo("2.0");
            assertThat(version("Cookie", "canary=always")).isEqualTo("2.0");
        }

        ReleasePolling.promoteToTheEnd(runner, clock, api, RELEASES + "/2", cluster.gatewayUrl(), "shop.test", "2.0");
        try (var k = SandboxDeployTest.client(cluster)) {
            assertThat(k.apps().deployments().inNamespace("gw-prod").list().getItems()).extracting(d -> d.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.services().inNamespace("gw-prod").list().getItems()).extracting(s -> s.getMetadata().getName())
                    .containsExactly("shop-web");
            List<GenericKubernetesResource> routes = k.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
                    .inNamespace("gw-prod").list().getItems();
            assertThat(routes).extracting(r -> r.getMetadata().getName()).containsExactly("shop-web");
            Map<String, Object> spec = routes.get(0).get("spec");
            assertThat((List<?>) spec.get("rules")).as("as released: one rule, to the stable Service").hasSize(1);
            assertThat(spec.get("rules").toString()).doesNotContain("canary");
            assertThat(k.services().inNamespace("gw-prod").withName("shop-web").get().getSpec().getSelector())
                    .doesNotContainKey("pod-template-hash");
        }
    }
}
