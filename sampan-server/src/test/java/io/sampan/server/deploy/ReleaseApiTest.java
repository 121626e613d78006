package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Deploy, serialised releases, supersede and rollback through the HTTP API, with in-memory
 * clusters. The runner is driven tick by tick here; against the sandbox it runs on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:release-api;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data",
        "sampan.release.runner=false"})
class ReleaseApiTest {
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: ctx, context: {cluster: c, user: u}}]
            current-context: ctx
            """;
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 3}
            """;
    static final String BASE = "/api/v1/orgs/retail/projects/shop";
    static final String RELEASES = BASE + "/apps/shop/environments/prod/releases";

    @TestConfiguration
    static class Clusters {
        static final Map<String, FakeCluster> CLUSTERS = new ConcurrentHashMap<>();

        @Bean
        @Primary
        ClusterDrivers fakeDrivers() {
            return name -> CLUSTERS.computeIfAbsent(name, n -> new FakeCluster());
        }

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        if (api.get("/api/v1/orgs/retail").status() == 404) {
            api.post("/api/v1/orgs", "{\"name\":\"retail\"}");
            api.post("/api/v1/orgs/retail/projects", "{\"name\":\"shop\"}");
            for (String c : new String[] {"dc1", "dc2"}) {
                api.post("/api/v1/clusters", "{\"name\":\"" + c + "\",\"kubeconfig\":" + tools.jackson.databind.json.JsonMapper.builder().build()
                        .writeValueAsString(KUBECONFIG) + "}");
            }
            api.post(BASE + "/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"dc1\",\"weight\":2},{\"cluster\":\"dc2\",\"weight\":1}]}");
        }
    }

    void tick() {
        clock.advance(Duration.ofSeconds(1));
        runner.runOnce();
    }

    void allReady() {
        Clusters.CLUSTERS.values().forEach(c -> c.objects.keySet().forEach(c.ready::add));
    }

    @Test
    void deployRollbackAndSerialisedReleases() {
        api.yaml(BASE + "/apps", APP.formatted("1"));
        ApiClient.Response first = api.post(RELEASES, "{\"message\":\"first\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("number").asInt()).isEqualTo(1);
        assertThat(first.json().get("phase").asString()).isEqualTo("running");
        assertThat(first.json().get("inputs").get("clusters").get(0).get("weight").asInt()).as("the environment as it was").isEqualTo(2);
        assertThat(api.get(RELEASES + "/1/objects").json().get("dc1").get("yaml").asString()).contains("kind: Deployment")
                .contains("replicas: 2");

        ApiClient.Response refused = api.post(RELEASES, "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("release 1 of this app is still running");

        tick();
        FakeCluster dc1 = Clusters.CLUSTERS.get("dc1");
        FakeCluster dc2 = Clusters.CLUSTERS.get("dc2");
        assertThat(dc1.objects).containsKey("Deployment/shop-web");
        assertThat(((io.fabric8.kubernetes.api.model.apps.Deployment) dc1.objects.get("Deployment/shop-web")).getSpec().getReplicas())
                .as("3 instances split 2:1").isEqualTo(2);
        assertThat(((io.fabric8.kubernetes.api.model.apps.Deployment) dc2.objects.get("Deployment/shop-web")).getSpec().getReplicas()).isEqualTo(1);
        assertThat(api.get(RELEASES + "/1").json().get("clusters").get(0).get("message").asString())
                .contains("shop-web: 0 of 2 updated instances are available");
        allReady();
        tick();
        assertThat(api.get(RELEASES + "/1").json().get("phase").asString()).isEqualTo("succeeded");

        Clusters.CLUSTERS.values().forEach(c -> c.ready.clear());
        api.yaml(BASE + "/apps", APP.formatted("2"));
        assertThat(api.post(RELEASES, "{}").json().get("revision").asInt()).isEqualTo(2);
        tick();
        assertThat(dc1.objects.get("Deployment/shop-web").toString()).contains("r.local/web:2");
        ApiClient.Response superseding = api.post(RELEASES, "{\"rollbackTo\":1,\"supersede\":true}");
        assertThat(superseding.status()).as(superseding.body()).isEqualTo(201);
        assertThat(superseding.json().get("number").asInt()).isEqualTo(3);
        assertThat(superseding.json().get("rollbackOf").asInt()).isEqualTo(1);
        assertThat(superseding.json().get("revision").asInt()).isEqualTo(1);
        ApiClient.Response two = api.get(RELEASES + "/2");
        assertThat(two.json().get("phase").asString()).isEqualTo("failed");
        assertThat(two.json().get("reason").asString()).contains("superseded by release 3");

        tick();
        assertThat(dc1.objects.get("Deployment/shop-web").toString()).as("release 1's exact objects again").contains("r.local/web:1");
        allReady();
        tick();
        dc1.nodeZones.put("node-1", "zone-a");
        dc1.pods.add(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("shop-web-x")
                .withLabels(Map.of("sampan.io/app", "shop", "sampan.io/service", "web")).withCreationTimestamp("2026-11-24T09:59:00Z").endMetadata()
                .withNewSpec().withNodeName("node-1").endSpec().withNewStatus().withPhase("Running").addNewContainerStatus().withName("web")
                .withReady(true).withRestartCount(0).endContainerStatus().endStatus().build());
        ApiClient.Response status = api.get(BASE + "/apps/shop/environments/prod/status");
        assertThat(status.json().get("release").get("number").asInt()).isEqualTo(3);
        var topology = status.json().get("clusters").get(0);
        assertThat(topology.get("cluster").asString()).isEqualTo("dc1");
        assertThat(topology.get("services").get(0).get("ready").asInt()).isEqualTo(2);
        assertThat(topology.get("pods").get(0).get("zone").asString()).isEqualTo("zone-a");
        assertThat(topology.get("pods").get(0).get("node").asString()).isEqualTo("node-1");
        assertThat(status.json().get("release").get("phase").asString()).isEqualTo("succeeded");
        assertThat(api.get(RELEASES).json().get("items")).extracting(n -> n.get("number").asInt()).containsExactly(3, 2, 1);
        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("sampan_releases_total\\{[^}]*outcome=\"succeeded\"[^}]*\\} 2.0")
                .contains("sampan_release_duration_seconds_count").contains("sampan_cluster_tick_seconds_count{cluster=\"dc1\"");
    }

    @Test
    void deployingToAnUnknownEnvironmentOrRevisionSaysWhichIsMissing() {
        api.yaml(BASE + "/apps", APP.formatted("1"));
        assertThat(api.post(BASE + "/apps/shop/environments/staging/releases", "{}").json().get("detail").asString())
                .isEqualTo("environment \"shop/staging\" not found");
        assertThat(api.post(RELEASES, "{\"revision\":99,\"supersede\":true}").json().get("detail").asString()).isEqualTo("revision \"shop#99\" not found");
    }
}
