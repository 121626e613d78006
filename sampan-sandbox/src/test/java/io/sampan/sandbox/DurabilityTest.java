package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data DIR}: a sandbox started again on the same directory has every object, with the same
 * resourceVersions and uids; revisions go on after the old ones; watches from before the restart are
 * 410 Gone; the simulation carries on (no pod created twice); a torn last line of the log is dropped;
 * a {@code kill -9} of a standalone sandbox loses nothing.
 */
class DurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private static Simulation.Options manual() {
        return Simulation.Options.defaults().withClock(SimClock.manual(Instant.parse("2026-12-01T10:00:00Z")));
    }

    private JsonNode call(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode n = (ObjectNode) JSON.readTree(r.body());
        n.put("httpCode", r.statusCode());
        return n;
    }

    /** Every object of the cluster by store key: its uid and resourceVersion. */
    private static Map<String, String> versions(Store store) {
        Map<String, String> out = new TreeMap<>();
        ResourceTypes types = new ResourceTypes();
        for (ResourceType t : types.all()) {
            for (ObjectNode o : store.list(t, null, x -> true).items()) {
                out.put(Store.key(t, o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText()),
                        o.path("metadata").path("uid").asText() + "@" + o.path("metadata").path("resourceVersion").asText());
            }
        }
        return out;
    }

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""";

    @Test
    void aRestartedClusterHasEveryObjectWithItsVersionAndUidAndCarriesOn() throws Exception {
        Map<String, String> before;
        Map<String, String> podIps = new TreeMap<>();
        long revision;
        String url;
        try (SandboxCluster c = SandboxCluster.start("durable", 0, manual(), 0, dir)) {
            url = c.url();
            assertThat(call("POST", url + "/api/v1/namespaces/default/configmaps",
                    "{\"metadata\":{\"name\":\"settings\"},\"data\":{\"colour\":\"blue\"}}").path("httpCode").asInt()).isEqualTo(201);
            assertThat(call("POST", url + "/apis/apps/v1/namespaces/default/deployments", DEPLOYMENT).path("httpCode").asInt()).isEqualTo(201);
            c.simulation().advance(Duration.ofSeconds(30));
            assertThat(c.simulation().api().list(io.sampan.sandbox.sim.Kinds.POD, "default", x -> true)).hasSize(3);
            c.simulation().awaitIdle();
            before = versions(c.store());
            c.simulation().api().list(io.sampan.sandbox.sim.Kinds.POD, "default", x -> true)
                    .forEach(p -> podIps.put(p.path("metadata").path("name").asText(), p.path("status").path("podIP").asText()));
            revision = c.store().revision();
        }
        assertThat(before).containsKey("v1/configmaps/default/settings").containsKey("apps/v1/deployments/default/web");
        assertThat(before.keySet().stream().filter(k -> k.startsWith("v1/nodes/"))).hasSize(3);

        Store restored = new Store(java.time.Clock.systemUTC(), dir);
        assertThat(versions(restored)).isEqualTo(before); // every object, its uid and resourceVersion
        assertThat(restored.revision()).isEqualTo(revision);
        restored.close();

        try (SandboxCluster c = SandboxCluster.start("durable", 0, manual(), 0, dir)) {
            Map<String, String> after = versions(c.store());
            assertThat(after.keySet()).containsAll(before.keySet()); // the nodes too: restored, not created again
            before.forEach((k, v) -> assertThat(after.get(k)).startsWith(v.substring(0, v.indexOf('@') + 1)));
            assertThat(after.get("v1/configmaps/default/settings")).isEqualTo(before.get("v1/configmaps/default/settings"));
            assertThat(after.get("v1/nodes//node-0")).isEqualTo(before.get("v1/nodes//node-0"));
            JsonNode cm = call("GET", c.url() + "/api/v1/namespaces/default/configmaps/settings", null);
            assertThat(cm.path("data").path("colour").asText()).isEqualTo("blue");

            // a watch from before the restart is gone; a new write gets a later revision
            JsonNode gone = watchFirstEvent(c.url() + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=5");
            assertThat(gone.path("type").asText()).isEqualTo("ERROR");
            assertThat(gone.path("object").path("code").asInt()).isEqualTo(410);
            JsonNode updated = call("PUT", c.url() + "/api/v1/namespaces/default/configmaps/settings",
                    "{\"metadata\":{\"name\":\"settings\"},\"data\":{\"colour\":\"green\"}}");
            assertThat(updated.path("metadata").path("resourceVersion").asLong()).isGreaterThan(revision);

            // the kubelets adopt the running pods: same IPs, still ready, no restart
            c.simulation().awaitIdle();
            Map<String, String> ipsAfter = new TreeMap<>();
            c.simulation().api().list(io.sampan.sandbox.sim.Kinds.POD, "default", x -> true).forEach(p -> {
                ipsAfter.put(p.path("metadata").path("name").asText(), p.path("status").path("podIP").asText());
                assertThat(p.path("status").path("containerStatuses").get(0).path("ready").asBoolean()).isTrue();
                assertThat(p.path("status").path("containerStatuses").get(0).path("restartCount").asInt()).isZero();
            });
            assertThat(ipsAfter).isEqualTo(podIps);
            // the controllers carry on from the restored state: still exactly 3 pods, the same ones
            c.simulation().advance(Duration.ofSeconds(60));
            List<ObjectNode> pods = c.simulation().api().list(io.sampan.sandbox.sim.Kinds.POD, "default", x -> true);
            assertThat(pods).hasSize(3);
            assertThat(pods).allSatisfy(p -> assertThat(before).containsKey("v1/pods/default/" + p.path("metadata").path("name").asText()));
            JsonNode web = call("GET", c.url() + "/apis/apps/v1/namespaces/default/deployments/web", null);
            assertThat(web.path("status").path("readyReplicas").asInt()).isEqualTo(3);
            assertThat(c.store().list(new ResourceTypes().find("apps/v1", "replicasets").orElseThrow(), "default", x -> true).items()).hasSize(1);
        }
    }

    private JsonNode watchFirstEvent(String url) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            return JSON.readTree(in.readLine());
        }
    }

    @Test
    void aTornLastLineOfTheLogIsDropped() throws Exception {
        String cmRevision;
        try (SandboxCluster c = SandboxCluster.start("torn", 0, manual(), 0, dir)) {
            cmRevision = call("POST", c.url() + "/api/v1/namespaces/default/configmaps",
                    "{\"metadata\":{\"name\":\"kept\"},\"data\":{\"a\":\"1\"}}").path("metadata").path("resourceVersion").asText();
            // what a kill in the middle of a write leaves: the store is not closed, so nothing is compacted
            c.simulation().close();
            Files.writeString(dir.resolve("changes.jsonl"), "{\"rv\":999999,\"op\":\"ADDED\",\"key\":\"v1/configmaps/default/lost\",\"obj",
                    StandardOpenOption.APPEND);
            StoreLog.Restored restored = StoreLog.read(dir);
            assertThat(restored.objects()).containsKey("v1/configmaps/default/kept").doesNotContainKey("v1/configmaps/default/lost");
            assertThat(restored.revision()).isLessThan(999999);
        }
        // closing compacted (a new snapshot, an empty log); open again: the kept object, the torn one absent
        try (SandboxCluster c = SandboxCluster.start("torn", 0, manual(), 0, dir)) {
            JsonNode kept = call("GET", c.url() + "/api/v1/namespaces/default/configmaps/kept", null);
            assertThat(kept.path("metadata").path("resourceVersion").asText()).isEqualTo(cmRevision);
            assertThat(call("GET", c.url() + "/api/v1/namespaces/default/configmaps/lost", null).path("httpCode").asInt()).isEqualTo(404);
        }
    }

    @Test
    void aTornTailLeftByAKillIsDroppedOnOpen() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("changes.jsonl"), """
                {"rv":7,"op":"ADDED","key":"v1/namespaces//team","type":{"group":"","version":"v1","kind":"Namespace","plural":"namespaces",\
                "namespaced":false,"shortNames":["ns"],"hasStatus":true,"hasScale":false},\
                "object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team","uid":"u-1","resourceVersion":"7"}}}
                {"rv":8,"op":"ADDED","key":"v1/namespaces//half","type":{"gro""");
        try (SandboxCluster c = SandboxCluster.start("tail", 0, manual(), 0, dir)) {
            JsonNode team = call("GET", c.url() + "/api/v1/namespaces/team", null);
            assertThat(team.path("metadata").path("uid").asText()).isEqualTo("u-1");
            assertThat(team.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
            assertThat(call("GET", c.url() + "/api/v1/namespaces/half", null).path("httpCode").asInt()).isEqualTo(404);
            assertThat(c.store().revision()).isGreaterThan(7); // the default namespaces and nodes came after it
        }
    }

    @Test
    void aKilledStandaloneSandboxLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        Process p = startMain(data);
        String url;
        String rv;
        try {
            url = awaitUrl(p);
            JsonNode created = call("POST", url + "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"survivor\"},\"data\":{\"a\":\"1\"}}");
            assertThat(created.path("httpCode").asInt()).isEqualTo(201);
            rv = created.path("metadata").path("resourceVersion").asText();
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no compaction
            p.waitFor(30, TimeUnit.SECONDS);
        }
        try (SandboxCluster c = SandboxCluster.start("again", 0, manual(), 0, data)) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Store(java.time.Clock.systemUTC(), data)))
                    .hasMessageContaining("is in use by another sandbox");
            JsonNode survivor = call("GET", c.url() + "/api/v1/namespaces/default/configmaps/survivor", null);
            assertThat(survivor.path("httpCode").asInt()).isEqualTo(200);
            assertThat(survivor.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
        }
    }

    private static Process startMain(Path data) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"), SandboxMain.class.getName(),
                "start", "--nodes", "1", "--data", data.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String awaitUrl(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            int at = line.indexOf("serving at ");
            if (at >= 0) {
                String url = line.substring(at + "serving at ".length()).split(" ")[0];
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (IOException ignored) {
                        // the process is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return url;
            }
        }
        throw new IllegalStateException("the sandbox did not start");
    }
}
