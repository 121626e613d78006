package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ClusterDriver;
import io.sampan.release.FakeCluster;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import io.sampan.server.api.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The server dies (an Error escapes, as when the process is killed) after the N-th call to a
 * cluster, for every N a release makes; a fresh pass of the runner — all a restarted server has —
 * then carries the release to the same outcome, with the same objects on the cluster.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:crash-resume;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7", "sampan.data=target/test-data", "sampan.release.runner=false"})
class CrashResumeTest {
    static final Map<String, FakeCluster> CLUSTERS = new ConcurrentHashMap<>();
    static final AtomicInteger CALLS_BEFORE_CRASH = new AtomicInteger(-1);
    static final String KUBECONFIG = "{\"name\":\"%s\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: "
            + "{server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]"
            + "\\ncurrent-context: x\\n\"}";

    /** A process death: not a RuntimeException, so nothing on the way catches it. */
    static final class Crash extends Error {
        Crash() {
            super("simulated kill -9");
        }
    }

    /** Wraps the fake cluster; when armed, the N-th call dies after its effect took place. */
    record Crashing(FakeCluster cluster) implements ClusterDriver {
        private static void count() {
            if (CALLS_BEFORE_CRASH.get() >= 0 && CALLS_BEFORE_CRASH.getAndDecrement() == 0) {
                throw new Crash();
            }
        }

        @Override
        public void apply(List<HasMetadata> objects) {
            cluster.apply(objects);
            count();
        }

        @Override
        public List<ObjectRef> list(String namespace, Map<String, String> labels) {
            count();
            return cluster.list(namespace, labels);
        }

        @Override
        public Optional<HasMetadata> get(ObjectRef ref) {
            return cluster.get(ref);
        }

        @Override
        public void delete(ObjectRef ref) {
            cluster.delete(ref);
            count();
        }

        @Override
        public ObservedState observe(String namespace, Map<String, String> labels) {
            count();
            return cluster.observe(namespace, labels);
        }
    }

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        ClusterDrivers crashingDrivers() {
            return name -> new Crashing(CLUSTERS.computeIfAbsent(name, n -> {
                FakeCluster c = new FakeCluster();
                c.autoReady = true;
                return c;
            }));
        }

        @Bean
        @Primary
        MutableClock crashClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    @Test
    void aReleaseKilledAtAnyPointEndsTheSameAfterRestart() {
        ApiClient api = new ApiClient(port);
        String app = """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "r.local/web:1", port: 8080, replicas: 2}
                    worker: {image: "r.local/worker:1"}
                  jobs:
                    migrate: {image: "r.local/web:1", trigger: pre-release}
                    notify: {image: "r.local/web:1", trigger: post-release}
                """;
        Map<String, String> reference = null;
        int crashPoints = 0;
        for (int crashAfter = 0; crashAfter < 12; crashAfter++) {
            String project = "p" + crashAfter;
            assertThat(api.post("/api/v1/orgs/default/projects", "{\"name\":\"" + project + "\"}").status()).isEqualTo(201);
            var cluster = api.post("/api/v1/clusters", KUBECONFIG.formatted("c" + crashAfter));
            assertThat(cluster.status()).as(cluster.body()).isEqualTo(201);
            var env = api.post("/api/v1/orgs/default/projects/" + project + "/environments",
                    "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"c" + crashAfter + "\"}]}");
            assertThat(env.status()).as(env.body()).isEqualTo(201);
            assertThat(api.yaml("/api/v1/orgs/default/projects/" + project + "/apps", app).status()).isEqualTo(201);
            String release = "/api/v1/orgs/default/projects/" + project + "/apps/shop/environments/prod/releases";
            assertThat(api.post(release, "{}").status()).isEqualTo(201);

            CALLS_BEFORE_CRASH.set(crashAfter);
            boolean crashed = false;
            for (int pass = 0; pass < 10 && "running".equals(api.get(release + "/1").json().get("phase").asString()); pass++) {
                clock.advance(Duration.ofSeconds(1));
                try {
                    runner.runOnce();
                } catch (Crash c) {
                    crashed = true;
                }
            }
            CALLS_BEFORE_CRASH.set(-1);
            crashPoints += crashed ? 1 : 0;
            var outcome = api.get(release + "/1").json();
            assertThat(outcome.get("phase").asString()).as("crash after %d calls", crashAfter).isEqualTo("succeeded");
            Map<String, String> objects = new TreeMap<>();
            CLUSTERS.get("c" + crashAfter).objects.forEach((k, v) -> objects.put(k, v.toString().replace("namespace=" + project + "-prod", "")
                    .replace(project, "P")));
            if (reference == null) {
                reference = objects;
            }
            assertThat(objects).as("objects after a crash at call %d", crashAfter).isEqualTo(reference);
        }
        assertThat(crashPoints).as("the release was really interrupted at several points").isGreaterThanOrEqualTo(6);
        assertThatThrownBy(() -> {
            throw new Crash();
        }).isInstanceOf(Error.class);
    }
}
