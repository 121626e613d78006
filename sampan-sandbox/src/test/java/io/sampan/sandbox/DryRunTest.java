package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dryRun=All}: answered as the write would be, through admission, with nothing stored and no revision used. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DryRunTest {
    @TempDir
    static Path dir;
    static SandboxHttp api;

    @BeforeAll
    static void start() {
        api = new SandboxHttp("dryrun", dir);
        api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"dry\"}}");
        api.post("/api/v1/namespaces/dry/configmaps", "{\"metadata\":{\"name\":\"kept\"},\"data\":{\"k\":\"v\"}}");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static long revision() {
        return api.cluster.store().revision();
    }

    @Test
    void createAnswersWithTheObjectButStoresNothing() {
        long before = revision();
        SandboxHttp.Response r = api.post("/api/v1/namespaces/dry/configmaps?dryRun=All", "{\"metadata\":{\"name\":\"ghost\"},\"data\":{\"k\":\"v\"}}");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body().path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(r.body().path("metadata").path("creationTimestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(api.get("/api/v1/namespaces/dry/configmaps/ghost").code()).isEqualTo(404);
        assertThat(revision()).isEqualTo(before);
        assertThat(api.post("/api/v1/namespaces/dry/configmaps?dryRun=All", "{\"metadata\":{\"name\":\"kept\"}}").code())
                .as("still checked against what exists").isEqualTo(409);
        assertThat(api.post("/api/v1/namespaces/dry/configmaps?dryRun=Some", "{\"metadata\":{\"name\":\"x\"}}").message())
                .isEqualTo("dryRun: Unsupported value: \"Some\": supported values: \"All\"");
    }

    @Test
    void updatesAndEveryKindOfPatchChangeNothing() {
        JsonNode kept = api.get("/api/v1/namespaces/dry/configmaps/kept").body();
        long before = revision();
        String path = "/api/v1/namespaces/dry/configmaps/kept";
        com.fasterxml.jackson.databind.node.ObjectNode changed = kept.deepCopy();
        changed.with("data").put("k", "put");
        SandboxHttp.Response put = api.put(path + "?dryRun=All", changed.toString());
        assertThat(put.code()).isEqualTo(200);
        assertThat(put.body().path("data").path("k").asText()).isEqualTo("put");
        assertThat(api.patch(path + "?dryRun=All", "application/merge-patch+json", "{\"data\":{\"k\":\"merge\"}}").body().path("data").path("k")
                .asText()).isEqualTo("merge");
        assertThat(api.patch(path + "?dryRun=All", "application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"json\"}]")
                .body().path("data").path("k").asText()).isEqualTo("json");
        assertThat(api.patch(path + "?dryRun=All", "application/strategic-merge-patch+json", "{\"data\":{\"k\":\"smp\"}}").body().path("data")
                .path("k").asText()).isEqualTo("smp");
        assertThat(api.patch(path + "?dryRun=All&fieldManager=me&force=true", "application/apply-patch+yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\ndata: {k: applied}\n").body().path("data").path("k").asText()).isEqualTo("applied");
        assertThat(api.patch("/api/v1/namespaces/dry/configmaps/new?dryRun=All&fieldManager=me", "application/apply-patch+yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\ndata: {k: applied}\n").code()).as("apply creating").isEqualTo(201);
        assertThat(api.get(path).body()).isEqualTo(kept);
        assertThat(api.get("/api/v1/namespaces/dry/configmaps/new").code()).isEqualTo(404);
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    void deleteAnswersButKeepsTheObject() {
        long before = revision();
        SandboxHttp.Response r = api.delete("/api/v1/namespaces/dry/configmaps/kept", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                + "\"dryRun\":[\"All\"]}");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("metadata").path("name").asText()).isEqualTo("kept");
        assertThat(api.delete("/api/v1/namespaces/dry/configmaps/kept?dryRun=All").code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/dry/configmaps/kept").code()).isEqualTo(200);
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    void admissionStillRefuses() {
        api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"quota\"}}");
        api.post("/api/v1/namespaces/quota/resourcequotas", "{\"metadata\":{\"name\":\"small\"},\"spec\":{\"hard\":{\"count/configmaps\":\"0\"}}}");
        SandboxHttp.Response r = api.post("/api/v1/namespaces/quota/configmaps?dryRun=All", "{\"metadata\":{\"name\":\"one\"}}");
        assertThat(r.code()).isEqualTo(403);
        assertThat(r.message()).contains("exceeded quota: small");
    }

    @Test
    void kubectlServerDryRun() {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        Path manifest = api.file("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: planned, namespace: dry}
                data: {mode: fast}
                """);
        long before = revision();
        assertThat(api.kubectl("apply", "--dry-run=server", "-f", manifest.toString()).out()).contains("configmap/planned created (server dry run)");
        assertThat(api.kubectl("apply", "--server-side", "--dry-run=server", "-f", manifest.toString()).out())
                .contains("configmap/planned serverside-applied (server dry run)");
        assertThat(api.kubectl("get", "cm", "planned", "-n", "dry").out()).contains("NotFound");
        assertThat(revision()).isEqualTo(before);
        assertThat(api.kubectl("apply", "-f", manifest.toString()).out()).contains("configmap/planned created");
        Path changed = api.file("cm2.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: planned, namespace: dry}
                data: {mode: slow}
                """);
        assertThat(api.kubectl("apply", "--dry-run=server", "-f", changed.toString()).out()).contains("configmap/planned configured (server dry run)");
        assertThat(api.kubectl("delete", "--dry-run=server", "-f", manifest.toString()).out()).contains("configmap \"planned\" deleted (server dry run)");
        assertThat(api.kubectl("get", "cm", "planned", "-n", "dry", "-o", "jsonpath={.data.mode}").out()).isEqualTo("fast");
    }
}
