package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch release over two zones, end to end through the real API and driver against two sandbox
 * clusters: the bastion batch runs in zone-a only (a stable/canary pair), waits for approval, zone-b
 * stays untouched until zone-a succeeds, and the release ends with one Deployment per service at the
 * new version and nothing left over. Then a release that cannot become ready in zone-b returns both
 * zones to the previous release. The services go in dependsOn order; every transition is an event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:progressive-e2e;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class ProgressiveDeliveryTest {
    static final String BASE = "/api/v1/orgs/default/projects/pd";
    static final String RELEASES = BASE + "/apps/shop/environments/prod/releases";
    static final String NS = "pd-prod";
    static SandboxCluster zoneA;
    static SandboxCluster zoneB;

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        MutableClock progressiveClock() {
            return new MutableClock(Instant.now());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    @BeforeAll
    static void startClusters() {
        zoneA = SandboxCluster.start("pa");
        zoneB = SandboxCluster.start("pb");
    }

    @AfterAll
    static void stopClusters() {
        zoneA.close();
        zoneB.close();
    }

    static String app(String version) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "registry.local/shop/web:%1$s", port: 8080, replicas: 4, dependsOn: [api], resources: {cpu: 100m, memory: 128Mi}}
                    api: {image: "registry.local/shop/api:%1$s", port: 8000, replicas: 8, resources: {cpu: 100m, memory: 128Mi}}
                  environments:
                    prod:
                      release: {strategy: batch, batches: [1, 50%%, 100%%], pause: manual, waves: [zone-a, zone-b], autoRollback: true}
                """.formatted(version);
    }

    JsonNode runUntil(ApiClient api, String release, Predicate<JsonNode> done) {
        return ReleasePolling.runUntil(runner, api, release, done);
    }

    static Predicate<JsonNode> phase(String phase) {
        return r -> r.get("phase").asString().equals(phase);
    }

    static Deployment deployment(SandboxCluster c, String name) {
        try (KubernetesClient k = SandboxDeployTest.client(c)) {
            return k.apps().deployments().inNamespace(NS).withName(name).get();
        }
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static List<String> canaries(SandboxCluster c) {
        try (KubernetesClient k = SandboxDeployTest.client(c)) {
            List<String> left = new ArrayList<>();
            k.apps().deployments().inNamespace(NS).list().getItems().stream().map(d -> d.getMetadata().getName()).filter(n -> n.endsWith("-canary"))
                    .forEach(left::add);
            return left;
        }
    }

    static void cordon(SandboxCluster c, boolean unschedulable) {
        try (KubernetesClient k = SandboxDeployTest.client(c)) {
            for (Node n : k.nodes().list().getItems()) {
                k.nodes().withName(n.getMetadata().getName()).edit(x -> {
                    x.getSpec().setUnschedulable(unschedulable);
                    return x;
                });
            }
        }
    }

    @Test
    void batchesWithABastionOverTwoZonesThenAnAutomaticRollbackOfBoth() throws Exception {
        ApiClient api = new ApiClient(port);
        JsonMapper json = JsonMapper.builder().build();
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            assertThat(api.post("/api/v1/clusters", json.writeValueAsString(Map.of("name", c.name(), "kubeconfig", c.kubeconfig()))).status())
                    .isEqualTo(201);
        }
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"pd\"}");
        var env = api.post(BASE + "/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"pa\",\"weight\":1,\"zone\":\"zone-a\"},"
                + "{\"cluster\":\"pb\",\"weight\":1,\"zone\":\"zone-b\"}]}");
        assertThat(env.status()).as(env.body()).isEqualTo(201);

        // release 1: nothing runs yet, so nothing to batch: straight through, zone by zone
        assertThat(api.yaml(BASE + "/apps", app("1")).status()).isEqualTo(201);
        var first = api.post(RELEASES, "{}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("plan").get("waves").toString()).isEqualTo("[[\"pa\"],[\"pb\"]]");
        assertThat(first.json().get("plan").get("stages").toString()).isEqualTo("[[\"api\"],[\"web\"]]");
        runUntil(api, RELEASES + "/1", phase("succeeded"));

        // release 2: the bastion (1 of 4 api instances in zone-a) then a pause for approval
        assertThat(api.yaml(BASE + "/apps", app("2")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{}").status()).isEqualTo(201);
        JsonNode paused = runUntil(api, RELEASES + "/2", phase("paused"));
        JsonNode a = paused.get("clusters").get(0);
        assertThat(a.get("step").asString()).isEqualTo("paused");
        assertThat(a.get("position").asString()).isEqualTo("stage 1/2, batch 1/3");
        assertThat(a.get("message").asString()).contains("batch 1 of 3 of shop-api ready").contains("waiting for approval");
        assertThat(paused.get("clusters").get(1).get("step").asString()).isEqualTo("await-wave");
        assertThat(paused.get("clusters").get(1).get("message").asString()).isEqualTo("waiting for wave 1 (pa) to succeed");
        Deployment canary = deployment(zoneA, "shop-api-canary");
        assertThat(canary.getSpec().getReplicas()).isEqualTo(1);
        assertThat(image(canary)).endsWith("api:2");
        assertThat(canary.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(deployment(zoneA, "shop-api").getSpec().getReplicas()).isEqualTo(3);
        assertThat(image(deployment(zoneA, "shop-api"))).endsWith("api:1");
        assertThat(image(deployment(zoneA, "shop-web"))).as("web depends on api: it waits for api's batches").endsWith("web:1");
        assertThat(image(deployment(zoneB, "shop-api"))).as("zone-b untouched").endsWith("api:1");
        assertThat(canaries(zoneB)).isEmpty();

        var approved = api.post(RELEASES + "/2/approve", null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        JsonNode second = runUntil(api, RELEASES + "/2", r -> r.get("clusters").get(0).get("position").asString("").equals("stage 1/2, batch 2/3")
                && r.get("phase").asString().equals("paused"));
        assertThat(second.get("clusters").get(1).get("step").asString()).isEqualTo("await-wave");
        assertThat(deployment(zoneA, "shop-api-canary").getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment(zoneA, "shop-api").getSpec().getReplicas()).isEqualTo(2);

        var full = api.post(RELEASES + "/2/promote", "{\"full\":true,\"reason\":\"bastion looks good\"}");
        assertThat(full.status()).as(full.body()).isEqualTo(200);
        runUntil(api, RELEASES + "/2", phase("succeeded"));
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            assertThat(image(deployment(c, "shop-api"))).endsWith("api:2");
            assertThat(deployment(c, "shop-api").getSpec().getReplicas()).isEqualTo(4);
            assertThat(image(deployment(c, "shop-web"))).endsWith("web:2");
            assertThat(canaries(c)).as("one Deployment per service, nothing left over").isEmpty();
        }
        var events = api.get(RELEASES + "/2/events").json();
        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add(e.get("actor").asString() + " " + e.path("cluster").asString("-") + " " + e.get("step").asString()));
        assertThat(lines).containsSubsequence("admin pa prerequisites", "admin pb await-wave", "sampan pa paused", "admin - promote",
                "sampan pa paused", "admin - promote --full", "sampan pa done", "sampan pb prerequisites", "sampan pb done");
        assertThat(events.toString()).contains("bastion looks good");

        // release 3: zone-a goes through; zone-b cannot place the new instances; both zones return to release 2
        assertThat(api.yaml(BASE + "/apps", app("3")).status()).isEqualTo(201);
        assertThat(api.post(RELEASES, "{\"release\":{\"pause\":\"none\",\"progressDeadline\":\"2m\"}}").status()).isEqualTo(201);
        cordon(zoneB, true);
        JsonNode stuck = runUntil(api, RELEASES + "/3", r -> r.get("clusters").get(1).get("step").asString().equals("wait-ready")
                && r.get("clusters").get(1).get("message").asString().contains("cannot be placed"));
        assertThat(stuck.get("clusters").get(0).get("step").asString()).isEqualTo("done");
        assertThat(image(deployment(zoneA, "shop-api"))).endsWith("api:3");
        clock.advance(Duration.ofMinutes(3));
        runUntil(api, RELEASES + "/3", phase("rolling-back"));
        cordon(zoneB, false);
        JsonNode rolledBack = runUntil(api, RELEASES + "/3", phase("rolled-back"));
        assertThat(rolledBack.get("reason").asString()).startsWith("pb: shop-api").contains("cannot be placed on any node");
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            assertThat(image(deployment(c, "shop-api"))).endsWith("api:2");
            assertThat(image(deployment(c, "shop-web"))).endsWith("web:2");
            assertThat(canaries(c)).isEmpty();
        }
    }
}
