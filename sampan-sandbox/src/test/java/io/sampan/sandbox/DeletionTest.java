package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Finalizers, graceful deletion, propagation policies and namespace termination, over HTTP and with kubectl. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeletionTest {
    @TempDir
    static Path dir;
    static SandboxHttp api;

    @BeforeAll
    static void start() {
        api = new SandboxHttp("deletion", dir);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static void namespace(String ns) {
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}").code()).isEqualTo(201);
    }

    static JsonNode configMap(String ns, String name, String extraMetadata) {
        SandboxHttp.Response r = api.post("/api/v1/namespaces/" + ns + "/configmaps",
                "{\"metadata\":{\"name\":\"" + name + "\"" + extraMetadata + "},\"data\":{\"k\":\"v\"}}");
        assertThat(r.code()).as(r.body().toString()).isEqualTo(201);
        return r.body();
    }

    static String ownedBy(JsonNode owner, boolean block) {
        return ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"" + owner.path("metadata").path("name").asText()
                + "\",\"uid\":\"" + owner.path("metadata").path("uid").asText() + "\",\"blockOwnerDeletion\":" + block + "}]";
    }

    @Test
    void aFinalizerHoldsTheObjectUntilTheLastOneIsRemoved() throws Exception {
        namespace("fin");
        JsonNode created = configMap("fin", "held", ",\"finalizers\":[\"example.com/hold\"]");
        BlockingQueue<JsonNode> events = api.watch("/api/v1/namespaces/fin/configmaps?resourceVersion=" + created.path("metadata")
                .path("resourceVersion").asText());

        SandboxHttp.Response deleted = api.delete("/api/v1/namespaces/fin/configmaps/held");
        assertThat(deleted.code()).as("accepted, not yet gone").isEqualTo(202);
        assertThat(deleted.body().path("metadata").path("deletionTimestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(deleted.body().path("metadata").path("deletionGracePeriodSeconds").asInt(-1)).isZero();
        assertThat(SandboxHttp.next(events)).isEqualTo("MODIFIED held");
        assertThat(api.get("/api/v1/namespaces/fin/configmaps/held").code()).isEqualTo(200);
        assertThat(api.delete("/api/v1/namespaces/fin/configmaps/held").code()).as("deleting again changes nothing").isEqualTo(202);

        SandboxHttp.Response added = api.patch("/api/v1/namespaces/fin/configmaps/held", "application/merge-patch+json",
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\",\"example.com/more\"]}}");
        assertThat(added.code()).isEqualTo(422);
        assertThat(added.message()).contains("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted");

        SandboxHttp.Response edited = api.patch("/api/v1/namespaces/fin/configmaps/held", "application/merge-patch+json",
                "{\"data\":{\"k\":\"changed\"},\"metadata\":{\"deletionTimestamp\":null}}");
        assertThat(edited.code()).as("an object being deleted can still be updated").isEqualTo(200);
        assertThat(edited.body().path("data").path("k").asText()).isEqualTo("changed");
        assertThat(edited.body().path("metadata").path("deletionTimestamp").asText()).as("the server's field").isEqualTo("2026-12-01T10:00:00Z");
        assertThat(SandboxHttp.next(events)).isEqualTo("MODIFIED held");

        SandboxHttp.Response released = api.patch("/api/v1/namespaces/fin/configmaps/held", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        assertThat(released.code()).isEqualTo(200);
        assertThat(SandboxHttp.next(events)).isEqualTo("DELETED held");
        assertThat(api.get("/api/v1/namespaces/fin/configmaps/held").code()).isEqualTo(404);
    }

    @Test
    void preconditionsAndOptionsAreChecked() {
        namespace("pre");
        configMap("pre", "p", "");
        SandboxHttp.Response wrongUid = api.delete("/api/v1/namespaces/pre/configmaps/p", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                + "\"preconditions\":{\"uid\":\"not-it\"}}");
        assertThat(wrongUid.code()).isEqualTo(409);
        assertThat(wrongUid.message()).contains("Precondition failed: UID in precondition: not-it");
        assertThat(api.delete("/api/v1/namespaces/pre/configmaps/p?propagationPolicy=Sideways").message())
                .contains("propagationPolicy: Unsupported value: \"Sideways\"");
        SandboxHttp.Response gone = api.delete("/api/v1/namespaces/pre/configmaps/p", "{\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}");
        assertThat(gone.code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/pre/configmaps/p").code()).isEqualTo(404);
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() throws Exception {
        namespace("fg");
        JsonNode owner = configMap("fg", "owner", "");
        configMap("fg", "plain-child", ownedBy(owner, true));
        configMap("fg", "held-child", ownedBy(owner, true).replace("}]", "}],\"finalizers\":[\"example.com/hold\"]"));
        configMap("fg", "free-child", ownedBy(owner, false).replace("}]", "}],\"finalizers\":[\"example.com/hold\"]"));

        SandboxHttp.Response deleting = api.delete("/api/v1/namespaces/fg/configmaps/owner",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\"}");
        assertThat(deleting.code()).isEqualTo(202);
        assertThat(deleting.body().path("metadata").path("finalizers").toString()).isEqualTo("[\"foregroundDeletion\"]");
        api.settle();
        assertThat(api.get("/api/v1/namespaces/fg/configmaps/plain-child").code()).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/fg/configmaps/held-child").body().path("metadata").has("deletionTimestamp")).isTrue();
        assertThat(api.get("/api/v1/namespaces/fg/configmaps/owner").code()).as("held by a blocking dependent").isEqualTo(200);

        api.patch("/api/v1/namespaces/fg/configmaps/held-child", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}");
        api.settle();
        assertThat(api.get("/api/v1/namespaces/fg/configmaps/held-child").code()).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/fg/configmaps/owner").code()).as("the non-blocking dependent does not hold it").isEqualTo(404);
    }

    @Test
    void orphanDeletionFreesTheDependents() {
        namespace("orph");
        JsonNode owner = configMap("orph", "owner", "");
        configMap("orph", "child", ownedBy(owner, true));
        SandboxHttp.Response deleting = api.delete("/api/v1/namespaces/orph/configmaps/owner?propagationPolicy=Orphan");
        assertThat(deleting.code()).isEqualTo(202);
        assertThat(deleting.body().path("metadata").path("finalizers").toString()).isEqualTo("[\"orphan\"]");
        api.settle();
        assertThat(api.get("/api/v1/namespaces/orph/configmaps/owner").code()).isEqualTo(404);
        JsonNode child = api.get("/api/v1/namespaces/orph/configmaps/child").body();
        assertThat(child.path("metadata").path("name").asText()).isEqualTo("child");
        assertThat(child.path("metadata").has("ownerReferences")).isFalse();
    }

    @Test
    void backgroundDeletionRemovesDependentsAfterTheOwner() {
        namespace("bg");
        JsonNode owner = configMap("bg", "owner", "");
        configMap("bg", "child", ownedBy(owner, true));
        assertThat(api.delete("/api/v1/namespaces/bg/configmaps/owner").code()).isEqualTo(200);
        api.settle();
        assertThat(api.get("/api/v1/namespaces/bg/configmaps/child").code()).isEqualTo(404);
    }

    @Test
    void aNamespaceTerminatesAndGoesWhenItsContentIsGone() throws Exception {
        namespace("term");
        configMap("term", "plain", "");
        configMap("term", "held", ",\"finalizers\":[\"example.com/hold\"]");
        assertThat(api.get("/api/v1/namespaces/term").body().path("spec").path("finalizers").toString()).isEqualTo("[\"kubernetes\"]");

        SandboxHttp.Response deleting = api.delete("/api/v1/namespaces/term");
        assertThat(deleting.code()).isEqualTo(202);
        JsonNode ns = api.get("/api/v1/namespaces/term").body();
        assertThat(ns.path("status").path("phase").asText()).isEqualTo("Terminating");
        assertThat(api.get("/api/v1/namespaces/term/configmaps/plain").code()).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/term/configmaps/held").body().path("metadata").has("deletionTimestamp")).isTrue();

        SandboxHttp.Response refused = api.post("/api/v1/namespaces/term/configmaps", "{\"metadata\":{\"name\":\"late\"}}");
        assertThat(refused.code()).isEqualTo(403);
        assertThat(refused.message()).isEqualTo("configmaps \"late\" is forbidden: unable to create new content in namespace term because it is being "
                + "terminated");

        api.patch("/api/v1/namespaces/term/configmaps/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}");
        assertThat(api.get("/api/v1/namespaces/term").code()).as("the namespace goes with its last object").isEqualTo(404);
    }

    @Test
    void theFinalizeSubresourceLetsAStuckNamespaceGo() {
        namespace("stuck");
        configMap("stuck", "held", ",\"finalizers\":[\"example.com/never\"]");
        assertThat(api.delete("/api/v1/namespaces/stuck").code()).isEqualTo(202);
        assertThat(api.get("/api/v1/namespaces/stuck").body().path("status").path("phase").asText()).isEqualTo("Terminating");
        SandboxHttp.Response edited = api.patch("/api/v1/namespaces/stuck", "application/merge-patch+json", "{\"spec\":{\"finalizers\":null}}");
        assertThat(edited.body().path("spec").path("finalizers").toString()).as("only through finalize").isEqualTo("[\"kubernetes\"]");
        assertThat(api.get("/api/v1/namespaces/stuck").code()).isEqualTo(200);
        SandboxHttp.Response finalized = api.put("/api/v1/namespaces/stuck/finalize", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                + "\"metadata\":{\"name\":\"stuck\"},\"spec\":{\"finalizers\":[]}}");
        assertThat(finalized.code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/stuck").code()).isEqualTo(404);
    }

    @Test
    void kubectlDeleteWithCascadeOptions() throws Exception {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        namespace("kc");
        api.file("web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: kc}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "r/web:1"}]}
                """);
        assertThat(api.kubectl("apply", "-f", dir.resolve("web.yaml").toString()).out()).contains("deployment.apps/web created");
        api.settle();
        assertThat(api.kubectl("get", "rs,pods", "-n", "kc", "-o", "name").out().lines()).hasSize(3);
        assertThat(api.kubectl("get", "all", "-n", "kc", "-o", "name").out().lines()).as("the 'all' category").hasSize(4);

        SandboxHttp.Run orphaned = api.kubectl("delete", "deploy", "web", "-n", "kc", "--cascade=orphan");
        assertThat(orphaned.out()).contains("deployment.apps \"web\" deleted");
        api.settle();
        assertThat(api.kubectl("get", "rs", "-n", "kc", "-o", "jsonpath={.items[*].metadata.ownerReferences}").out()).isEmpty();
        assertThat(api.kubectl("get", "pods", "-n", "kc", "-o", "name").out().lines()).hasSize(2);

        // (the simulated Deployment controller does not adopt orphans: the next one has another name)
        api.file("api.yaml", Files.readString(dir.resolve("web.yaml")).replace("web", "api"));
        assertThat(api.kubectl("apply", "-f", dir.resolve("api.yaml").toString()).out()).contains("deployment.apps/api created");
        api.settle();
        SandboxHttp.Run foreground = api.kubectl("delete", "deploy", "api", "-n", "kc", "--cascade=foreground");
        assertThat(foreground.out()).contains("deployment.apps \"api\" deleted");
        api.settle();
        assertThat(api.kubectl("get", "deploy", "api", "-n", "kc").out()).contains("NotFound");
        assertThat(api.kubectl("get", "rs,pods", "-n", "kc", "-l", "app=api", "-o", "name").out()).isEmpty();
        assertThat(api.kubectl("get", "pods", "-n", "kc", "-o", "name").out().lines()).as("the orphans are still there").hasSize(2);

        api.file("held.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: held, namespace: kc, finalizers: [example.com/hold]}
                """);
        api.kubectl("apply", "-f", dir.resolve("held.yaml").toString());
        assertThat(api.kubectl("delete", "cm", "held", "-n", "kc", "--wait=false").out()).contains("configmap \"held\" deleted");
        assertThat(api.kubectl("get", "cm", "held", "-n", "kc", "-o", "jsonpath={.metadata.deletionTimestamp}").out()).isEqualTo("2026-12-01T10:00:00Z");
        api.kubectl("patch", "cm", "held", "-n", "kc", "--type", "merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        assertThat(api.kubectl("get", "cm", "held", "-n", "kc").out()).contains("NotFound");

        api.kubectl("apply", "-f", dir.resolve("held.yaml").toString());
        assertThat(api.kubectl("delete", "ns", "kc", "--wait=false").out()).contains("namespace \"kc\" deleted");
        assertThat(api.kubectl("get", "ns", "kc").out()).containsPattern("kc\\s+Terminating");
        SandboxHttp.Run refused = api.kubectl("apply", "-f", api.file("late.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, "
                + "namespace: kc}\n").toString());
        assertThat(refused.out()).contains("unable to create new content in namespace kc because it is being terminated");
        api.kubectl("patch", "cm", "held", "-n", "kc", "--type", "json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        assertThat(api.kubectl("get", "ns", "kc").out()).contains("NotFound");
    }
}
