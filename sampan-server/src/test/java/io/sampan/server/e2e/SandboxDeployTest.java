package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ReleaseRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end through the real HTTP API and the real cluster driver against two sandbox clusters:
 * register them, deploy an example to both (server-side apply), see it ready, change it and see
 * the leftovers pruned, roll back, and see nothing left to change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sandbox-e2e;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class SandboxDeployTest {
    static SandboxCluster zoneA;
    static SandboxCluster zoneB;

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;

    @BeforeAll
    static void startClusters() {
        zoneA = SandboxCluster.start("zone-a");
        zoneB = SandboxCluster.start("zone-b");
    }

    @AfterAll
    static void stopClusters() {
        zoneA.close();
        zoneB.close();
    }

    static KubernetesClient client(SandboxCluster c) {
        Config config = Config.fromKubeconfig(c.kubeconfig());
        config.setOnlyHttpWatches(true);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    String runUntilDone(ApiClient api, String release) {
        for (int i = 0; i < 20; i++) {
            runner.runOnce();
            String phase = api.get(release).json().get("phase").asString();
            if (!phase.equals("running")) {
                return phase;
            }
        }
        return api.get(release).json().get("phase").asString();
    }

    @Test
    void deployPruneRollbackOnTwoSandboxClusters() throws Exception {
        ApiClient api = new ApiClient(port);
        JsonMapper json = JsonMapper.builder().build();
        for (SandboxCluster c : new SandboxCluster[] {zoneA, zoneB}) {
            var r = api.post("/api/v1/clusters", json.writeValueAsString(Map.of("name", c.name(), "kubeconfig", c.kubeconfig())));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            var checked = api.post("/api/v1/clusters/" + c.name() + "/check", null).json();
            assertThat(checked.get("health").asString()).isEqualTo("reachable");
            assertThat(checked.get("kubernetesVersion").asString()).startsWith("v1.32");
        }
        String base = "/api/v1/orgs/default/projects/web";
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"web\"}");
        api.post(base + "/environments", "{\"name\":\"prod\",\"profile\":{\"cpuOvercommit\":2,\"domainSuffix\":\"apps.example.com\"},"
                + "\"clusters\":[{\"cluster\":\"zone-a\",\"weight\":1},{\"cluster\":\"zone-b\",\"weight\":1}]}");
        String app = Files.readString(Path.of("..", "examples", "storefront", "app.yaml"));
        assertThat(api.yaml(base + "/apps", app).status()).isEqualTo(201);
        String releases = base + "/apps/storefront/environments/prod/releases";

        assertThat(api.post(releases, "{}").status()).isEqualTo(201);
        assertThat(runUntilDone(api, releases + "/1")).isEqualTo("succeeded");
        try (KubernetesClient a = client(zoneA); KubernetesClient b = client(zoneB)) {
            var front = a.apps().deployments().inNamespace("web-prod").withName("storefront-front").get();
            assertThat(front.getSpec().getReplicas()).as("4 instances split over two zones").isEqualTo(2);
            assertThat(front.getMetadata().getManagedFields()).extracting(f -> f.getManager()).containsExactly("sampan");
            assertThat(b.apps().deployments().inNamespace("web-prod").withName("storefront-catalog").get()).isNotNull();
            assertThat(a.network().v1().ingresses().inNamespace("web-prod").withName("storefront-front").get().getSpec().getRules().get(0)
                    .getHost()).isEqualTo("www.example.com");
            assertThat(a.namespaces().withName("web-prod").get().getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "sampan");
        }
        var status = api.get(base + "/apps/storefront/environments/prod/status").json();
        assertThat(status.get("clusters")).hasSize(2);
        var services = new java.util.ArrayList<tools.jackson.databind.JsonNode>();
        status.get("clusters").get(0).get("services").forEach(services::add);
        assertThat(services).filteredOn(s -> s.get("name").asString().equals("front")).singleElement()
                .satisfies(s -> assertThat(s.get("ready").asInt()).isEqualTo(2));
        assertThat(api.get(base + "/apps/storefront/environments/prod/diff").json().get("clusters").get(0).get("changes"))
                .as("what the cluster holds is what the release applied").isEmpty();

        String changed = app.replace("front:2.3.0", "front:2.4.0").replace("""
                      expose:
                        - {host: www.example.com, path: /api, tls: true}
                """, "");
        assertThat(api.yaml(base + "/apps", changed).status()).isEqualTo(201);
        var diff = api.get(base + "/apps/storefront/environments/prod/diff").body();
        assertThat(diff).contains("front:2.3.0 → registry.local/storefront/front:2.4.0").contains("\"action\":\"DELETE\"");
        api.post(releases, "{}");
        assertThat(runUntilDone(api, releases + "/2")).isEqualTo("succeeded");
        try (KubernetesClient a = client(zoneA)) {
            assertThat(a.network().v1().ingresses().inNamespace("web-prod").withName("storefront-catalog").get())
                    .as("pruned: release 2 no longer exposes the catalog").isNull();
            assertThat(a.apps().deployments().inNamespace("web-prod").withName("storefront-front").get().getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getImage()).endsWith("front:2.4.0");
        }

        api.post(releases, "{\"rollbackTo\":1}");
        assertThat(runUntilDone(api, releases + "/3")).isEqualTo("succeeded");
        try (KubernetesClient a = client(zoneA)) {
            assertThat(a.apps().deployments().inNamespace("web-prod").withName("storefront-front").get().getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getImage()).endsWith("front:2.3.0");
            assertThat(a.network().v1().ingresses().inNamespace("web-prod").withName("storefront-catalog").get()).isNotNull();
        }
        zoneB.close();
        var unreachable = api.post("/api/v1/clusters/zone-b/check", null).json();
        assertThat(unreachable.get("health").asString()).isEqualTo("unreachable");
        assertThat(unreachable.get("healthReason").asString()).startsWith("unreachable: connection refused");
    }
}
