package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A blue-green release seen from the outside: real HTTP requests through the sandbox cluster's
 * traffic gateway, by host. Before the switch the live host answers the old version and the preview
 * host the new one; after promote the live host answers the new version only, while the old
 * Deployment is kept for the switch-back delay; after the delay one Deployment at the new version is
 * left and no preview object. Then a release aborted during the delay switches the live host back.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:blue-green-e2e;DB_CLOSE_DELAY=-1")
class BlueGreenTrafficTest extends SandboxApiTest {
    static final String BASE = "/api/v1/orgs/default/projects/bg";
    static final String RELEASES = BASE + "/apps/shop/environments/prod/releases";
    static final String NS = "bg-prod";

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        MutableClock blueGreenClock() {
            return new MutableClock(Instant.now());
        }
    }

    BlueGreenTrafficTest() {
        super("bg");
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
                      replicas: 3
                      resources: {cpu: 100m, memory: 128Mi}
                      expose: [{host: shop.test, path: /}]
                  release:
                    strategy: blue-green
                    switchBackDelay: 10m
                    autoRollback: true
                """.formatted(version);
    }

    static Predicate<JsonNode> pausedAt(String position) {
        return r -> r.get("phase").asString().equals("paused") && r.get("clusters").get(0).get("position").asString().equals(position);
    }

    /** The version (the pod's image tag) that answered a request for {@code host}, or the status line of another answer. */
    String version(String host) throws Exception {
        return GatewayRequests.version(cluster.gatewayUrl(), host);
    }

    /**
     * The gateway follows the cluster's Endpoints, which its controller updates after a write: waits
     * (by asking, with a deadline) until {@code host} answers {@code version}, then every one of
     * {@code n} requests must.
     */
    void answers(String host, String version, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!version(host).equals(version)) {
            assertThat(System.nanoTime()).as("%s never answered %s", host, version).isLessThan(deadline);
        }
        for (int i = 0; i < n; i++) {
            assertThat(version(host)).as("request %d to %s", i, host).isEqualTo(version);
        }
    }

    static String image(KubernetesClient k, String deployment) {
        return k.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void theLiveHostMovesToTheNewVersionInOneSwitchAndTheOldVersionGoesAfterTheDelay() throws Exception {
        ApiClient api = new ApiClient(port);
        registerProject(api, "prod");
        deploy(api, "shop", app("1.0"), "prod", 1);
        answers("shop.test", "1.0", 5);

        // the preview: the new version beside the old, on its own host; the live host stays on the old one
        assertThat(api.yaml(BASE + "/apps", app("2.0")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        JsonNode paused = runUntil(api, RELEASES + "/2", pausedAt("stage 1/1, preview"));
        assertThat(paused.get("clusters").get(0).get("message").asString())
                .isEqualTo("preview of shop-web ready on preview-shop.test; waiting for approval by a project member who may deploy "
                        + "(sampan release promote 2)");
        assertThat(paused.get("plan").get("batches").toString()).isEqualTo("[\"preview\",\"switch\",\"replace\",\"released\"]");
        assertThat(paused.get("plan").get("previewHost").asString()).isEqualTo("preview-{host}");
        assertThat(paused.get("plan").get("switchBackDelay").isString()).isTrue();
        answers("preview-shop.test", "2.0", 20);
        answers("shop.test", "1.0", 20);

        // the switch: every request to the live host reaches the new version; the old Deployment is kept
        assertThat(api.post(RELEASES + "/2/promote", null).status()).isEqualTo(200);
        JsonNode delay = runUntil(api, RELEASES + "/2", pausedAt("stage 1/1, switch"));
        assertThat(delay.get("clusters").get(0).get("message").asString()).startsWith("live traffic on the new version of shop-web; old version kept until ")
                .contains("(10m 0s left) for switch-back (sampan release abort 2)");
        answers("shop.test", "2.0", 50);
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            assertThat(image(k, "shop-web")).as("kept for an instant switch-back").isEqualTo("registry.local/shop/web:1.0");
            assertThat(image(k, "shop-web-preview")).isEqualTo("registry.local/shop/web:2.0");
        }

        // after the delay: one Deployment at the new version, nothing of the preview left
        clock.advance(Duration.ofMinutes(10));
        runUntil(api, RELEASES + "/2", r -> r.get("phase").asString().equals("succeeded"));
        answers("shop.test", "2.0", 50);
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            assertThat(k.apps().deployments().inNamespace(NS).list().getItems()).extracting(d -> d.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(image(k, "shop-web")).isEqualTo("registry.local/shop/web:2.0");
            assertThat(k.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName()).containsExactly("shop-web");
            assertThat(k.network().v1().ingresses().inNamespace(NS).list().getItems()).extracting(i -> i.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.services().inNamespace(NS).withName("shop-web").get().getSpec().getSelector()).doesNotContainKeys("sampan.io/track",
                    "pod-template-hash");
        }
        assertThat(version("preview-shop.test")).as("no preview host any more").doesNotContain("2.0");

        // a release aborted during the delay: the live host is back on the previous version
        assertThat(api.yaml(BASE + "/apps", app("3.0")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        runUntil(api, RELEASES + "/3", pausedAt("stage 1/1, preview"));
        api.post(RELEASES + "/3/promote", null);
        runUntil(api, RELEASES + "/3", pausedAt("stage 1/1, switch"));
        answers("shop.test", "3.0", 20);
        assertThat(api.post(RELEASES + "/3/abort", "{\"reason\":\"checkout errors\"}").status()).isEqualTo(200);
        runUntil(api, RELEASES + "/3", r -> r.get("phase").asString().equals("rolled-back"));
        answers("shop.test", "2.0", 50);
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            assertThat(k.apps().deployments().inNamespace(NS).list().getItems()).extracting(d -> d.getMetadata().getName())
                    .containsExactly("shop-web");
            assertThat(k.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName()).containsExactly("shop-web");
            assertThat(k.network().v1().ingresses().inNamespace(NS).list().getItems()).extracting(i -> i.getMetadata().getName())
                    .containsExactly("shop-web");
        }
    }
}
