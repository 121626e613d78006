package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Through the HTTP API, a status never outlives a change: a pod deleted in the cluster, the clock
 * passing a shown age and a new release each show in the next status reads, whether the status
 * was kept ({@code StatusViews}, when the mirror answers) or read afresh. The server's clock runs
 * three hours ahead of the cluster's, so pods read as hours old and a kept status may stand for up
 * to an hour rather than a second: one kept too long would stay wrong here. That the kept one
 * follows each change of the app's objects, and only of its own, is {@code ClusterMirrorTest}'s.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:status-views-e2e;DB_CLOSE_DELAY=-1")
class StatusViewsTest extends SandboxApiTest {
    static final String BASE = "/api/v1/orgs/default/projects/views";
    static final String STATUS = BASE + "/apps/shop/environments/dev/status";

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        MutableClock statusClock() {
            return MutableClock.ticking(Duration.ofHours(3));
        }
    }

    StatusViewsTest() {
        super("views");
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
        registerProject(api, "dev");
        deploy(api, "shop", app("registry.local/views/web:1.0"), "dev", 1);

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
        deploy(api, "shop", app("registry.local/views/web:1.1"), "dev", 2);
        assertThat(api.get(STATUS).json().get("release").get("number").asInt()).isEqualTo(2);
    }
}
