package io.sampan.server.e2e;

import static io.sampan.server.e2e.ServerProcess.freePort;
import static io.sampan.server.e2e.ServerProcess.ok;
import static io.sampan.server.e2e.ServerProcess.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.api.ApiClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server is a separate process on a file database, killed with SIGKILL at several moments of a
 * deploy and started again on the same data: the release ends as it would have, once, with the
 * objects applied once (the Deployments' revision stays 1) and nothing lost.
 */
class KillNineTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String APPS = "/api/v1/orgs/default/projects/demo/apps";
    @TempDir
    Path data;
    SandboxCluster cluster;
    Process server;
    int port;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDeployKilledWhileRecordedAndWhileWaitingEndsOnceAfterRestarts() throws Exception {
        // pulling an image takes 4 s: the release waits for ready instances long enough to be killed there
        cluster = SandboxCluster.start("local", 0, Simulation.Options.defaults().withImagePull(Duration.ofSeconds(4)));
        port = freePort();
        start();
        ApiClient api = new ApiClient(port, ApiClient.ADMIN_TOKEN);
        ok(api.post("/api/v1/clusters", JSON.writeValueAsString(Map.of("name", "local", "kubeconfig", cluster.kubeconfig()))));
        ok(api.post("/api/v1/orgs/default/projects", "{\"name\":\"demo\"}"));
        ok(api.post("/api/v1/orgs/default/projects/demo/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"local\"}]}"));
        ok(api.yaml(APPS, """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web:
                      image: registry.local/shop/web:1.0
                      port: 8080
                      replicas: 3
                      resources: {cpu: 100m, memory: 64Mi}
                      health: {http: /healthz}
                    api:
                      image: registry.local/shop/api:1.0
                      replicas: 2
                      resources: {cpu: 100m, memory: 64Mi}
                """));
        String release = APPS + "/shop/environments/dev/releases";
        ok(api.post(release, "{\"message\":\"killed and resumed\"}"));

        // killed as soon as the release is recorded, then while it waits for the pods to become ready
        List<String> killedAt = new ArrayList<>();
        killedAt.add(awaitRelease(api, release + "/1", r -> true));
        kill9AndRestart();
        killedAt.add(awaitRelease(api, release + "/1", r -> r.get("clusters").get(0).get("step").asString().equals("wait-ready")));
        kill9AndRestart();
        JsonNode done = waitDone(api, release + "/1");
        System.out.println("killed at steps " + killedAt + "; release " + done.get("phase").asString());

        assertThat(done.get("phase").asString()).as("steps killed at: %s", killedAt).isEqualTo("succeeded");
        assertThat(api.get(release).json().get("items")).hasSize(1);
        for (String name : List.of("shop-web", "shop-api")) {
            var d = cluster.simulation().api().get(Kinds.DEPLOYMENT, "demo-dev", name).orElseThrow();
            assertThat(d.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText())
                    .as(name + " applied once: one rollout").isEqualTo("1");
            assertThat(d.path("status").path("availableReplicas").asInt()).isEqualTo(d.path("spec").path("replicas").asInt()).isPositive();
        }
        var status = api.get(APPS + "/shop/environments/dev/status").json();
        assertThat(status.get("release").get("number").asInt()).isEqualTo(1);
    }

    private void start() throws IOException, InterruptedException {
        server = ServerProcess.start(port, data, Duration.ofSeconds(60));
    }

    private void kill9AndRestart() throws Exception {
        server.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no orderly close of the database
        server.waitFor();
        start();
    }

    /** The release's phase/step once {@code condition} holds or it is no longer running. */
    private static String awaitRelease(ApiClient api, String release, Predicate<JsonNode> condition) throws InterruptedException {
        JsonNode r = poll("release " + release + " to move", Duration.ofSeconds(30), () -> {
            JsonNode now = release(api, release);
            return now != null && (condition.test(now) || !now.get("phase").asString().equals("running")) ? now : null;
        });
        return r.get("phase").asString() + "/" + r.get("clusters").get(0).get("step").asString();
    }

    private static JsonNode waitDone(ApiClient api, String release) throws InterruptedException {
        return poll("release " + release + " to end", Duration.ofSeconds(60), () -> {
            JsonNode now = release(api, release);
            return now != null && !now.get("phase").asString().equals("running") ? now : null;
        });
    }

    /** The release as the server shows it, or null while a just-restarted server does not answer it fully. */
    private static JsonNode release(ApiClient api, String release) {
        ApiClient.Response answer = api.get(release);
        JsonNode r = answer.status() == 200 ? answer.json() : null;
        return r == null || r.get("phase") == null || r.get("clusters") == null || r.get("clusters").isEmpty() ? null : r;
    }

}
