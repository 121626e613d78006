package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A canary release seen from the outside: real HTTP requests through the sandbox cluster's traffic
 * gateway (ingress-nginx semantics). At weight 0 exactly the whitelisted users reach the canary; at
 * weight 20 a fifth of 10,000 requests do (± 2 %), the whitelisted users still always; at the end
 * every request reaches the new version and no canary object is left.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:canary-e2e;DB_CLOSE_DELAY=-1")
@Import(TickingServerClock.class)
class CanaryTrafficTest extends SandboxApiTest {
    static final String RELEASES = "/api/v1/orgs/default/projects/gray/apps/shop/environments/prod/releases";

    CanaryTrafficTest() {
        super("gray");
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
                    match: {header: X-User-Id, values: [u1, u2]}
                """.formatted(version);
    }

    /** The version that answered a request for shop.test with one optional header (name, value); it must be a 200. */
    String version(String... header) throws Exception {
        String v = GatewayRequests.version(cluster.gatewayUrl(), "shop.test", header);
        assertThat(v).doesNotStartWith("HTTP/");
        return v;
    }

    /** How many of {@code n} requests without a user header the new version answered. */
    int onVersion(int n, String version) throws Exception {
        return GatewayRequests.onVersion(cluster.gatewayUrl(), "shop.test", n, version);
    }

    @Test
    void theWhitelistAlwaysAndAFifthOfEveryoneElseReachTheCanary() throws Exception {
        ApiClient api = new ApiClient(port);
        registerProject(api, "prod");
        deploy(api, "shop", app("1.0"), "prod", 1);
        assertThat(version()).isEqualTo("1.0");

        assertThat(api.yaml(base + "/apps", app("2.0")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        JsonNode paused = runUntil(api, RELEASES + "/2", r -> r.get("phase").asString().equals("paused"));
        assertThat(paused.get("clusters").get(0).get("position").asString()).isEqualTo("stage 1/1, batch 1/3");
        for (int i = 0; i < 20; i++) {
            assertThat(version("X-User-Id", "u1")).isEqualTo("2.0");
            assertThat(version("X-User-Id", "u2")).isEqualTo("2.0");
            assertThat(version("X-User-Id", "u3")).as("not on the whitelist").isEqualTo("1.0");
            assertThat(version()).isEqualTo("1.0");
        }

        api.post(RELEASES + "/2/promote", null);
        runUntil(api, RELEASES + "/2", r -> r.get("phase").asString().equals("paused")
                && r.get("clusters").get(0).get("position").asString().equals("stage 1/1, batch 2/3"));
        int n = 10_000;
        int canary = onVersion(n, "2.0");
        System.out.println("weight 20: " + canary + " of " + n + " requests reached the canary");
        assertThat((double) canary / n).isBetween(0.18, 0.22);
        for (int i = 0; i < 20; i++) {
            assertThat(version("X-User-Id", "u1")).isEqualTo("2.0");
        }

        ReleasePolling.promoteToTheEnd(runner, clock, api, RELEASES + "/2", cluster.gatewayUrl(), "shop.test", "2.0");
        try (var k = SandboxDeployTest.client(cluster)) {
            assertThat(k.apps().deployments().inNamespace("gray-prod").list().getItems()).extracting(d -> d.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.services().inNamespace("gray-prod").list().getItems()).extracting(s -> s.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.network().v1().ingresses().inNamespace("gray-prod").list().getItems()).extracting(i -> i.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.services().inNamespace("gray-prod").withName("shop-web").get().getSpec().getSelector())
                    .doesNotContainKey("pod-template-hash");
        }
    }
}
