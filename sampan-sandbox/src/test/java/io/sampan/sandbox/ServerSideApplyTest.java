package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Server-side apply between field managers: managedFields in FieldsV1, conflicts, forcing, and kubectl's move from client-side apply. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerSideApplyTest {
    @TempDir
    static Path dir;
    static SandboxHttp api;
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ssa}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "r/web:1"}]}
            """;

    @BeforeAll
    static void start() {
        api = new SandboxHttp("ssa", dir);
        api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"ssa\"}}");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<String> managers(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.path("metadata").path("managedFields").forEach(m -> out.add(m.path("manager").asText() + "/" + m.path("operation").asText()));
        return out;
    }

    @Test
    void aSecondManagerConflictsUntilItForces() {
        String path = "/apis/apps/v1/namespaces/ssa/deployments/web";
        SandboxHttp.Response created = api.patch(path + "?fieldManager=kubectl-client-side-apply", "application/merge-patch+json", "{}");
        assertThat(created.code()).as("a merge patch does not create").isEqualTo(404);
        api.send("POST", "/apis/apps/v1/namespaces/ssa/deployments?fieldManager=kubectl-client-side-apply", DEPLOYMENT, "application/yaml");
        JsonNode live = api.get(path).body();
        assertThat(managers(live)).containsExactly("kubectl-client-side-apply/Update");
        JsonNode fields = live.path("metadata").path("managedFields").get(0).path("fieldsV1");
        assertThat(fields.path("f:spec").has("f:replicas")).isTrue();
        assertThat(fields.path("f:spec").path("f:template").path("f:spec").path("f:containers").has("k:{\"name\":\"web\"}")).isTrue();

        String mine = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ssa}\nspec: {replicas: 5}\n";
        SandboxHttp.Response conflict = api.patch(path + "?fieldManager=sampan", "application/apply-patch+yaml", mine);
        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
        assertThat(conflict.body().path("details").path("causes").get(0).path("field").asText()).isEqualTo(".spec.replicas");

        SandboxHttp.Response same = api.patch(path + "?fieldManager=sampan", "application/apply-patch+yaml", mine.replace("5", "2"));
        assertThat(same.code()).as("the same value is shared, not a conflict").isEqualTo(200);

        SandboxHttp.Response forced = api.patch(path + "?fieldManager=sampan&force=true", "application/apply-patch+yaml", mine);
        assertThat(forced.code()).isEqualTo(200);
        assertThat(forced.body().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(managers(forced.body())).containsExactly("kubectl-client-side-apply/Update", "sampan/Apply");
        assertThat(forced.body().path("metadata").path("managedFields").get(0).path("fieldsV1").path("f:spec").has("f:replicas"))
                .as("taken over").isFalse();

        SandboxHttp.Response update = api.patch(path + "?fieldManager=kubectl-edit", "application/merge-patch+json", "{\"spec\":{\"replicas\":7}}");
        assertThat(update.code()).as("an update never conflicts: it takes the field").isEqualTo(200);
        assertThat(managers(update.body())).containsExactly("kubectl-client-side-apply/Update", "kubectl-edit/Update");
        SandboxHttp.Response again = api.patch(path + "?fieldManager=sampan", "application/apply-patch+yaml", mine);
        assertThat(again.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas");
    }

    @Test
    void kubectlServerSideApplyConflictsAndForces() {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        Path manifest = api.file("api.yaml", DEPLOYMENT.replace("web", "api"));
        assertThat(api.kubectl("apply", "-f", manifest.toString()).out()).contains("deployment.apps/api created");
        Path scaled = api.file("api3.yaml", DEPLOYMENT.replace("web", "api").replace("replicas: 2", "replicas: 3"));
        SandboxHttp.Run conflict = api.kubectl("apply", "--server-side", "--field-manager=sampan", "-f", scaled.toString());
        assertThat(conflict.code()).isNotZero();
        assertThat(conflict.out()).contains("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas")
                .contains("--force-conflicts");
        assertThat(api.kubectl("apply", "--server-side", "--field-manager=sampan", "--force-conflicts", "-f", scaled.toString()).out())
                .contains("deployment.apps/api serverside-applied");
        assertThat(api.kubectl("get", "deploy", "api", "-n", "ssa", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
        assertThat(api.kubectl("get", "deploy", "api", "-n", "ssa", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}").out())
                .as("after a successful server-side apply kubectl moves the client-side apply's fields to its manager (a JSON patch of "
                        + "managedFields the server takes as given)").isEqualTo("sampan");
    }

    @Test
    void concurrentAppliesOfAnAbsentObjectAllSucceedOneCreatingIt() throws Exception {
        // as the API server's patch handler retries a conflict: the applies that lose the race to create apply to what the winner created
        java.util.Map<Integer, Integer> codes = new java.util.concurrent.ConcurrentSkipListMap<>();
        int objects = 40;
        int racers = 5; // each try lost is another racer's write: five tries always suffice
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> all = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                String name = "raced-" + i;
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int r = 0; r < racers; r++) {
                    String manager = "racer-" + r;
                    all.add(threads.submit(() -> {
                        go.await();
                        SandboxHttp.Response applied = api.patch("/api/v1/namespaces/" + name + "?fieldManager=" + manager,
                                "application/apply-patch+yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + ", labels: {"
                                        + manager + ": \"yes\"}}\n");
                        codes.merge(applied.code(), 1, Integer::sum);
                        return null;
                    }));
                }
                go.countDown();
            }
            for (var f : all) {
                f.get();
            }
        }
        assertThat(codes.keySet()).as("answers: %s", codes).containsOnly(200, 201);
        assertThat(codes.get(201)).as("one creation per object: %s", codes).isEqualTo(objects);
        for (int i = 0; i < objects; i++) {
            JsonNode ns = api.get("/api/v1/namespaces/raced-" + i).body();
            assertThat(managers(ns)).as("every racer's apply is in raced-%d", i).hasSize(racers);
        }
    }

    @Test
    void concurrentMergePatchesKeepEachOthersChanges() throws Exception {
        api.post("/api/v1/namespaces/ssa/configmaps", "{\"metadata\":{\"name\":\"patched\"}}");
        int writers = 5;
        int rounds = 20;
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Integer>> all = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int w = 0; w < writers; w++) {
                    String key = "k" + round + "-" + w;
                    all.add(threads.submit(() -> {
                        go.await();
                        return api.patch("/api/v1/namespaces/ssa/configmaps/patched", "application/merge-patch+json",
                                "{\"data\":{\"" + key + "\":\"v\"}}").code();
                    }));
                }
                go.countDown();
            }
            for (var f : all) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
        assertThat(api.get("/api/v1/namespaces/ssa/configmaps/patched").body().path("data").size()).as("no patch lost").isEqualTo(writers * rounds);
    }
}
