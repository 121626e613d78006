package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.json.JsonMapper;

/**
 * A release that does not become ready fails at its deadline with the reason the cluster shows,
 * end to end: the real API and driver against a sandbox whose simulated pods fail to pull, crash,
 * run out of memory, fit nowhere or never pass their readiness probe. The sandbox runs 30 times
 * faster than the wall clock; the server's clock is moved past the deadline by the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:diagnosis-e2e;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class DiagnosisTest {
    static SandboxCluster cluster;
    static final String BASE = "/api/v1/orgs/default/projects/diag";

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        MutableClock diagnosisClock() {
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
    static void startCluster() {
        cluster = SandboxCluster.start("diag", 0, Simulation.Options.defaults().withClock(SimClock.scaled(30)));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    void register(ApiClient api) throws Exception {
        if (api.get(BASE).status() == 200) {
            return;
        }
        JsonMapper json = JsonMapper.builder().build();
        assertThat(api.post("/api/v1/clusters", json.writeValueAsString(Map.of("name", "diag", "kubeconfig", cluster.kubeconfig()))).status())
                .isEqualTo(201);
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"diag\"}");
        assertThat(api.post(BASE + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"diag\",\"weight\":1}]}").status())
                .isEqualTo(201);
    }

    static String app(String name, String image, String cpu) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  services:
                    web:
                      image: %s
                      port: 8080
                      resources: {cpu: %s, memory: 256Mi}
                      health: {http: /healthz}
                """.formatted(name, image, cpu);
    }

    static void await(KubernetesClient k, String app, Predicate<Pod> seen) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<Pod> pods = k.pods().inNamespace("diag-dev").list().getItems().stream()
                    .filter(p -> p.getMetadata().getName().startsWith(app + "-")).toList();
            if (!pods.isEmpty() && pods.stream().allMatch(seen)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError("the sandbox did not show the expected state of " + app + " within 20 s");
    }

    static boolean waiting(Pod p, String reason) {
        return p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().stream()
                .anyMatch(cs -> cs.getState().getWaiting() != null && reason.equals(cs.getState().getWaiting().getReason()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pull   | registry.local/diag/web:1.0-missing | 100m | IMAGE_PULL     | image registry.local/diag/web:1.0-missing cannot be pulled",
        "crash  | registry.local/diag/web:crash-1     | 100m | CRASH_LOOP     | exit code 1",
        "oom    | registry.local/diag/web:oom         | 100m | OUT_OF_MEMORY  | OOMKilled",
        "fit    | registry.local/diag/web:1.0         | 64   | UNSCHEDULABLE  | 0/3 nodes are available: 3 Insufficient cpu.",
        "probe  | registry.local/diag/web:never-ready | 100m | PROBE_FAILING  | Readiness probe failed"})
    void aStuckReleaseFailsWithTheReasonTheClusterShows(String name, String image, String cpu, String kind, String message) throws Exception {
        ApiClient api = new ApiClient(port);
        register(api);
        assertThat(api.yaml(BASE + "/apps", app(name, image, cpu)).status()).isEqualTo(201);
        String releases = BASE + "/apps/" + name + "/environments/dev/releases";
        var created = api.post(releases, "{}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        runner.runOnce();
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            await(k, name + "-web", switch (name) {
                case "pull" -> p -> waiting(p, "ImagePullBackOff");
                case "crash", "oom" -> p -> p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().stream()
                        .anyMatch(cs -> cs.getRestartCount() >= 1);
                case "fit" -> p -> p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("False"));
                default -> p -> "Running".equals(p.getStatus().getPhase());
            });
        }
        runner.runOnce();
        var running = api.get(releases + "/1");
        assertThat(running.json().get("phase").asString()).as("still within its deadline").isEqualTo("running");
        assertThat(running.body()).as("the reason shows while it waits").contains(message.replace("\"", "\\\""));
        clock.advance(Duration.ofMinutes(11));
        runner.runOnce();
        var release = api.get(releases + "/1").json();
        assertThat(release.get("phase").asString()).isEqualTo("failed");
        assertThat(release.toString()).contains(kind).contains(message);
        var status = api.get(BASE + "/apps/" + name + "/environments/dev/status").body();
        assertThat(status).contains(message.replace("\"", "\\\""));
    }

    @org.junit.jupiter.api.Test
    void aNamespaceQuotaThatRefusesPodsIsTheReason() throws Exception {
        ApiClient api = new ApiClient(port);
        register(api);
        assertThat(api.post(BASE + "/environments", "{\"name\":\"quota\",\"clusters\":[{\"cluster\":\"diag\",\"weight\":1}]}").status())
                .isEqualTo(201);
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            k.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("diag-quota").endMetadata()
                    .build()).create();
            k.resourceQuotas().inNamespace("diag-quota").resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder().withNewMetadata()
                    .withName("team-limit").endMetadata().withNewSpec().addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity("0"))
                    .endSpec().build()).create();
        }
        assertThat(api.yaml(BASE + "/apps", app("capped", "registry.local/diag/web:1.0", "100m")).status()).isEqualTo(201);
        String releases = BASE + "/apps/capped/environments/quota/releases";
        assertThat(api.post(releases, "{}").status()).isEqualTo(201);
        runner.runOnce();
        try (KubernetesClient k = SandboxDeployTest.client(cluster)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (k.v1().events().inNamespace("diag-quota").list().getItems().stream().noneMatch(e -> "FailedCreate".equals(e.getReason()))) {
                assertThat(System.nanoTime()).as("a FailedCreate event within 20 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        clock.advance(Duration.ofMinutes(11));
        runner.runOnce();
        var release = api.get(releases + "/1").json();
        assertThat(release.get("phase").asString()).isEqualTo("failed");
        assertThat(release.toString()).contains("QUOTA_EXCEEDED").contains("exceeded quota: team-limit");
    }

    @org.junit.jupiter.api.Test
    void aClusterThatFailsMidDeployIsRetriedAndOneThatStaysDownFailsTheReleaseAtItsDeadline() throws Exception {
        ApiClient api = new ApiClient(port);
        register(api);
        assertThat(api.yaml(BASE + "/apps", app("flaky", "registry.local/diag/web:1.0", "100m")).status()).isEqualTo(201);
        String releases = BASE + "/apps/flaky/environments/dev/releases";
        cluster.faults().fail("PATCH", "/deployments/flaky-web", 503, 2);
        assertThat(api.post(releases, "{}").status()).isEqualTo(201);
        String phase = "running";
        for (int i = 0; i < 400 && phase.equals("running"); i++) {
            runner.runOnce();
            var r = api.get(releases + "/1").json();
            phase = r.get("phase").asString();
            if (i == 0) {
                assertThat(r.toString()).as("the first apply met the fault and waits to retry").contains("unreachable");
            }
            clock.advance(Duration.ofSeconds(5)); // past the retry backoff
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
        assertThat(phase).as("retried until applied and ready").isEqualTo("succeeded");

        assertThat(api.yaml(BASE + "/apps", app("flaky", "registry.local/diag/web:1.1", "100m")).status()).isEqualTo(201);
        cluster.faults().down();
        try {
            assertThat(api.post(releases, "{}").status()).isEqualTo(201);
            runner.runOnce();
            var waiting = api.get(releases + "/2").json();
            assertThat(waiting.get("phase").asString()).isEqualTo("running");
            assertThat(waiting.toString()).contains("cluster diag unreachable").contains("retrying");
            clock.advance(Duration.ofMinutes(11));
            runner.runOnce();
            var failed = api.get(releases + "/2").json();
            assertThat(failed.get("phase").asString()).isEqualTo("failed");
            assertThat(failed.toString()).contains("CLUSTER_UNREACHABLE").contains("cluster diag unreachable");
        } finally {
            cluster.faults().clear();
        }
    }
}
