package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Through the HTTP API, a status never outlives a change: a pod deleted in the cluster, the clock
 * passing a shown age and a new release each show in the next status reads, whether the status
 * was kept ({@code StatusViews}, when the mirror answers) or read afresh. The server's clock runs
 * three hours ahead of the cluster's, so pods read as hours old and a kept status may stand for up
 * to an hour rather than a second: one kept too long would stay wrong here. That the kept one
 * follows each change of the app's objects, and only of its own, is {@code ClusterMirrorTest}'s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:status-views-e2e;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class StatusViewsTest {
    static final String BASE = "/api/v1/orgs/default/projects/views";
    static final String STATUS = BASE + "/apps/shop/environments/dev/status";
    static SandboxCluster cluster;

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        MutableClock statusClock() {
            return MutableClock.ticking(Duration.ofHours(3));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    @BeforeAll
    static void startCluster() {
        cluster = SandboxCluster.start("views");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static String app(String image) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web:
                      image: %s
                      port: 8080
                      replicas: 2
                      resources: {cpu: 100m, memory: 128Mi}
                """.formatted(image);
    }

    void deploy(ApiClient api, String image, int number) {
        assertThat(api.yaml(BASE + "/apps", app(image)).status()).isIn(200, 201);
        var created = api.post(BASE + "/apps/shop/environments/dev/releases", "{}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ReleasePolling.runUntil(runner, api, BASE + "/apps/shop/environments/dev/releases/" + number,
                r -> r.get("phase").asString().equals("succeeded"));
    }

    static List<String> pods(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.get("clusters").get(0).get("pods").forEach(p -> names.add(p.get("name").asString()));
        return names;
    }

    /** Reads the status until it shows what {@code expected} accepts, for up to 20 s (the watch's delay); the last read. */
    static JsonNode awaitStatus(ApiClient api, String what, java.util.function.Predicate<JsonNode> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            var r = api.get(STATUS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode status = r.json();
            if (expected.test(status)) {
                return status;
            }
            assertThat(System.nanoTime()).as(what + " within 20 s; the status still reads " + r.body()).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aStatusIsAnsweredAgainOnlyUntilWhatItShowsChanges() throws Exception {
        ApiClient api = new ApiClient(port);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(api.post("/api/v1/clusters", json.writeValueAsString(Map.of("name", "views", "kubeconfig", cluster.kubeconfig()))).status())
                .isEqualTo(201);
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"views\"}");
        assertThat(api.post(BASE + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"views\",\"weight\":1}]}").status())
                .isEqualTo(201);
        deploy(api, "registry.local/views/web:1.0", 1);

        JsonNode first = awaitStatus(api, "two ready pods", s -> pods(s).size() == 2
                && s.get("clusters").get(0).get("services").get(0).get("ready").asInt() == 2);
        var again = api.get(STATUS);
        assertThat(again.json()).as("nothing changed: the same status").isEqualTo(first);

        // a pod deleted in the cluster: the next reads show its replacement, not the kept status
        String gone = pods(first).get(0);
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            k.pods().inNamespace("views-dev").withName(gone).delete();
        }
        JsonNode replaced = awaitStatus(api, "pod " + gone + " replaced", s -> !pods(s).contains(gone) && pods(s).size() == 2);
        assertThat(pods(replaced)).contains(pods(first).get(1));

        // the clock passes the shown ages: they read anew though nothing else changed
        List<String> ages = new ArrayList<>();
        replaced.get("clusters").get(0).get("pods").forEach(p -> ages.add(p.get("age").asString()));
        clock.advance(Duration.ofHours(2));
        JsonNode later = api.get(STATUS).json();
        List<String> agesLater = new ArrayList<>();
        later.get("clusters").get(0).get("pods").forEach(p -> agesLater.add(p.get("age").asString()));
        assertThat(ages).allMatch(a -> a.endsWith("h"));
        assertThat(agesLater).as("ages two hours later, were " + ages).allMatch(a -> a.endsWith("h")).isNotEqualTo(ages);

        // a new release: its number shows at once
        deploy(api, "registry.local/views/web:1.1", 2);
        assertThat(api.get(STATUS).json().get("release").get("number").asInt()).isEqualTo(2);
    }
}
