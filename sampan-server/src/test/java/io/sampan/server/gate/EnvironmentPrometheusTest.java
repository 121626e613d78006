package io.sampan.server.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * An environment names its own Prometheus ({@code profile.prometheus}): the release's gates query it
 * (the server has no {@code sampan.gates.prometheus} setting at all); a value that is not an http(s)
 * URL is refused naming the field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:environment-prometheus;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class EnvironmentPrometheusTest {
    static final FakeCluster CLUSTER = new FakeCluster();
    static final String BASE = "/api/v1/orgs/default/projects/prom";
    static final String KUBECONFIG = "{\"name\":\"dc1\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: "
            + "{server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]"
            + "\\ncurrent-context: x\\n\"}";

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        ClusterDrivers fakeDrivers() {
            CLUSTER.autoReady = true;
            return name -> CLUSTER;
        }

        @Bean
        @Primary
        MutableClock promClock() {
            return new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    static String app(String version) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "r.local/web:%s", port: 8080, replicas: 4}
                  release:
                    strategy: batch
                    batches: [1, 100%%]
                    gates: [{name: error-rate, prometheus: 'sum(rate(errors[1m]))', max: 0.01, for: 1m}]
                """.formatted(version);
    }

    JsonNode runUntilDone(ApiClient api, String release) {
        JsonNode r = api.get(release).json();
        for (int pass = 0; pass < 30 && r.get("phase").asString().equals("running"); pass++) {
            clock.advance(Duration.ofSeconds(1));
            runner.runOnce();
            r = api.get(release).json();
        }
        return r;
    }

    @Test
    void gatesQueryThePrometheusOfTheEnvironmentsProfile() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", ex -> {
            asked.add(ex.getRequestURI().getQuery());
            byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.5\"]}]}}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        prometheus.start();
        try {
            ApiClient api = new ApiClient(port);
            assertThat(api.post("/api/v1/clusters", KUBECONFIG).status()).isEqualTo(201);
            api.post("/api/v1/orgs/default/projects", "{\"name\":\"prom\"}");
            for (String bad : List.of("prometheus.monitoring:9090", "ftp://prometheus", "http://")) {
                ApiClient.Response refused = api.post(BASE + "/environments", "{\"name\":\"prod\",\"profile\":{\"prometheus\":\"" + bad
                        + "\"},\"clusters\":[{\"cluster\":\"dc1\"}]}");
                assertThat(refused.status()).as(bad).isEqualTo(422);
                assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("profile.prometheus");
                assertThat(refused.body()).contains("http:// or https:// URL");
            }
            String url = "http://127.0.0.1:" + prometheus.getAddress().getPort();
            assertThat(api.post(BASE + "/environments", "{\"name\":\"prod\",\"profile\":{\"prometheus\":\"" + url
                    + "\"},\"clusters\":[{\"cluster\":\"dc1\"}]}").status()).isEqualTo(201);
            assertThat(api.get(BASE + "/environments/prod").json().get("profile").get("prometheus").asString()).isEqualTo(url);
            String releases = BASE + "/apps/shop/environments/prod/releases";
            assertThat(api.yaml(BASE + "/apps", app("1")).status()).isEqualTo(201);
            api.post(releases, "{}");
            assertThat(runUntilDone(api, releases + "/1").get("phase").asString()).isEqualTo("succeeded");
            assertThat(api.yaml(BASE + "/apps", app("2")).status()).isEqualTo(201);
            api.post(releases, "{}");
            JsonNode failed = runUntilDone(api, releases + "/2");
            assertThat(failed.get("phase").asString()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.toString()).contains("gate error-rate").contains("0.5");
            assertThat(asked).isNotEmpty().allMatch(q -> q.equals("query=sum(rate(errors[1m]))"));
        } finally {
            prometheus.stop(0);
        }
    }
}
