package io.sampan.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The registry API as a client sees it: real HTTP against a server on an embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:registry-api;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data"})
class RegistryApiTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: u, user: {token: very-secret-token}}]
            contexts: [{name: ctx, context: {cluster: c, user: u}}]
            current-context: ctx
            """;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    record Response(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Response send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        b.header("Authorization", "Bearer " + ApiClient.ADMIN_TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    Response post(String path, String json) throws Exception {
        return send("POST", path, "application/json", json);
    }

    Response get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    @Test
    void aProjectWithAnEnvironmentOnAClusterAndAnAppWithRevisions() throws Exception {
        assertThat(post("/api/v1/orgs", "{\"name\":\"retail\",\"displayName\":\"Retail\"}").status()).isEqualTo(201);
        assertThat(post("/api/v1/orgs/retail/projects", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        Response cluster = post("/api/v1/clusters", JSON.writeValueAsString(java.util.Map.of("name", "dc1", "kubeconfig", KUBECONFIG)));
        assertThat(cluster.status()).isEqualTo(201);
        assertThat(cluster.json().get("server").asString()).isEqualTo("http://127.0.0.1:1/");
        assertThat(cluster.body()).doesNotContain("very-secret-token");
        assertThat(get("/api/v1/clusters/dc1").body()).doesNotContain("very-secret-token").doesNotContain("kubeconfig");

        Response check = post("/api/v1/clusters/dc1/check", null);
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.json().get("health").asString()).isEqualTo("unreachable");
        assertThat(check.json().get("healthReason").asString()).startsWith("unreachable: connection refused");

        Response env = post("/api/v1/orgs/retail/projects/shop/environments",
                "{\"name\":\"prod\",\"profile\":{\"cpuOvercommit\":2,\"memoryOvercommit\":1},\"clusters\":[{\"cluster\":\"dc1\",\"weight\":1}]}");
        assertThat(env.status()).as(env.body()).isEqualTo(201);
        assertThat(env.json().get("clusters").get(0).get("namespace").asString()).isEqualTo("shop-prod");

        String app = "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n  services:\n    web: {image: r.local/web:1, port: 8080}\n";
        Response applied = send("POST", "/api/v1/orgs/retail/projects/shop/apps", "application/yaml", app);
        assertThat(applied.status()).isEqualTo(201);
        assertThat(applied.json().get("revision").get("number").asInt()).isEqualTo(1);
        Response same = send("POST", "/api/v1/orgs/retail/projects/shop/apps", "application/yaml", app);
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("created").asBoolean()).isFalse();
        send("POST", "/api/v1/orgs/retail/projects/shop/apps", "application/yaml", app.replace("web:1", "web:2"));
        Response revisions = get("/api/v1/orgs/retail/projects/shop/apps/shop/revisions");
        assertThat(revisions.json().get("items")).hasSize(2);
        assertThat(get("/api/v1/orgs/retail/projects/shop/apps/shop/revisions/1").json().get("spec").asString()).isEqualTo(app);
        assertThat(get("/api/v1/orgs/retail/projects/shop/apps/shop").json().get("latestRevision").asInt()).isEqualTo(2);

        JsonNode audit = get("/api/v1/audit?limit=500").json();
        assertThat(audit.toString()).doesNotContain("very-secret-token");
        java.util.List<String> events = new java.util.ArrayList<>();
        audit.forEach(e -> events.add(e.get("action").asString() + " " + e.get("target").asString() + " " + e.get("status").asInt()));
        assertThat(events).contains("POST /api/v1/orgs 201", "POST /api/v1/clusters 201", "POST /api/v1/clusters/dc1/check 200",
                "POST /api/v1/orgs/retail/projects/shop/apps 201", "POST /api/v1/orgs/retail/projects/shop/apps 200");
        assertThat(audit.get(0).get("actor").asString()).isEqualTo("admin");
        assertThat(get("/api/v1/audit?since=yesterday").status()).isEqualTo(422);
    }

    @Test
    void badInputIsAProblemDocumentNamingTheFieldAndLine() throws Exception {
        post("/api/v1/orgs", "{\"name\":\"acme\"}");
        post("/api/v1/orgs/acme/projects", "{\"name\":\"web\"}");
        Response bad = send("POST", "/api/v1/orgs/acme/projects/web/apps", "application/yaml",
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: site}\nspec:\n  services:\n    web: {image: r.local/web:1, port: eighty}\n");
        assertThat(bad.status()).isEqualTo(422);
        JsonNode problem = bad.json();
        assertThat(problem.get("type").asString()).endsWith("/invalid-app");
        JsonNode error = problem.get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("spec.services.web.port");
        assertThat(error.get("line").asInt()).isEqualTo(6);
        assertThat(error.get("message").asString()).contains("expected a whole number from 1 to 65535");

        Response invalidName = post("/api/v1/orgs", "{\"name\":\"Not Valid\"}");
        assertThat(invalidName.status()).isEqualTo(422);
        assertThat(invalidName.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(post("/api/v1/orgs", "{\"name\":").status()).isEqualTo(400);
        Response wrongMedia = send("POST", "/api/v1/orgs/acme/projects/web/apps", "application/json", "{}");
        assertThat(wrongMedia.status()).isEqualTo(415);
        assertThat(wrongMedia.json().get("detail").asString()).contains("application/yaml");
        Response wrongType = post("/api/v1/orgs/acme/projects/web/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"x\",\"weight\":\"heavy\"}]}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("clusters[0].weight");
        assertThat(post("/api/v1/orgs", "{\"name\":\"acme\"}").status()).isEqualTo(409);
        assertThat(get("/api/v1/audit").json().get(0).get("status").asInt()).as("refusals are audited too").isEqualTo(409);
        assertThat(get("/api/v1/orgs/nope/projects").status()).isEqualTo(404);
        assertThat(get("/api/v1/orgs/acme/projects/nope").json().get("detail").asString()).isEqualTo("project \"acme/nope\" not found");
        assertThat(get("/api/v1/orgs?limit=0").status()).isEqualTo(422);
        Response badKubeconfig = post("/api/v1/clusters", "{\"name\":\"x\",\"kubeconfig\":\"not: [a kubeconfig\"}");
        assertThat(badKubeconfig.status()).isEqualTo(422);
        assertThat(badKubeconfig.json().get("errors").get(0).get("field").asString()).isEqualTo("kubeconfig");
    }

    @Test
    void aStaleEnvironmentUpdateIsRefusedNotLost() throws Exception {
        post("/api/v1/orgs", "{\"name\":\"bank\"}");
        post("/api/v1/orgs/bank/projects", "{\"name\":\"pay\"}");
        post("/api/v1/orgs/bank/projects/pay/environments", "{\"name\":\"dev\"}");
        String path = "/api/v1/orgs/bank/projects/pay/environments/dev";
        assertThat(send("PUT", path, "application/json", "{\"version\":1,\"profile\":{\"cpuOvercommit\":3,\"memoryOvercommit\":1}}").body())
                .contains("\"version\":2");
        Response stale = send("PUT", path, "application/json", "{\"version\":1,\"profile\":{\"cpuOvercommit\":4,\"memoryOvercommit\":1}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(get(path).json().get("profile").get("cpuOvercommit").asDouble()).isEqualTo(3.0);
        assertThat(send("PUT", path, "application/json", "{\"profile\":{}}").json().get("errors").get(0).get("field").asString())
                .isEqualTo("version");
        Response overcommit = send("PUT", path, "application/json", "{\"version\":2,\"profile\":{\"cpuOvercommit\":1,\"memoryOvercommit\":2}}");
        assertThat(overcommit.status()).as(overcommit.body()).isIn(400, 422);
    }
}
