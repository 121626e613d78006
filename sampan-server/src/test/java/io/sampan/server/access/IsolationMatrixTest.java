package io.sampan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint of the API, found from the server's own mappings (a new endpoint is checked without
 * anyone remembering to), called as a user of another organisation — who must learn nothing, not
 * even that the names exist — and, for changes, as a viewer of the project, who may only look.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:isolation;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false", "sampan.api.burst=10000"})
class IsolationMatrixTest {
    static final Map<String, String> VALUES = Map.of("org", "bank", "project", "pay", "app", "pay", "env", "prod", "number", "1",
            "user", "viewer", "id", "0123456789ab", "name", "dc9");

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(String method, String path) {
    }

    List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                    String path = pattern;
                    for (var v : VALUES.entrySet()) {
                        path = path.replace("{" + v.getKey() + "}", v.getValue());
                    }
                    out.add(new Endpoint(m.name(), path));
                }
            }
        }
        return out;
    }

    /** An empty body of the kind the endpoint takes (app.yaml text for applying an app, JSON elsewhere). */
    static ApiClient.Response send(ApiClient client, Endpoint e) {
        if (e.method().equals("GET") || e.method().equals("DELETE")) {
            return client.send(e.method(), e.path(), null, null);
        }
        return e.path().endsWith("/apps") ? client.send(e.method(), e.path(), "application/yaml", "kind: App\n")
                : client.send(e.method(), e.path(), "application/json", "{}");
    }

    @Test
    void foreignersLearnNothingAndViewersChangeNothing() {
        ApiClient admin = new ApiClient(port);
        admin.post("/api/v1/orgs", "{\"name\":\"bank\"}");
        admin.post("/api/v1/orgs", "{\"name\":\"other\"}");
        admin.post("/api/v1/orgs/bank/projects", "{\"name\":\"pay\"}");
        admin.post("/api/v1/orgs/other/projects", "{\"name\":\"mine\"}");
        admin.unreachableCluster("dc9");
        admin.post("/api/v1/orgs/bank/projects/pay/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"dc9\"}]}");
        admin.yaml("/api/v1/orgs/bank/projects/pay/apps", "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: pay}\nspec:\n  services:\n"
                + "    api: {image: r/p:1, port: 8080}\n");
        admin.post("/api/v1/orgs/bank/projects/pay/apps/pay/environments/prod/releases", "{}");
        for (String user : List.of("outsider", "viewer")) {
            admin.post("/api/v1/users", "{\"name\":\"" + user + "\"}");
        }
        admin.send("PUT", "/api/v1/orgs/other/members/outsider", "application/json", "{\"role\":\"owner\"}");
        admin.send("PUT", "/api/v1/orgs/bank/projects/pay/members/viewer", "application/json", "{\"role\":\"viewer\"}");
        ApiClient outsider = admin.as(admin.post("/api/v1/tokens", "{\"user\":\"outsider\"}").json().get("token").asString());
        ApiClient viewer = admin.as(admin.post("/api/v1/tokens", "{\"user\":\"viewer\"}").json().get("token").asString());

        List<Endpoint> all = endpoints();
        assertThat(all).hasSizeGreaterThan(30);
        List<String> leaks = new ArrayList<>();
        int orgScoped = 0;
        for (Endpoint e : all) {
            if (!e.path().startsWith("/api/v1/orgs/bank")) {
                continue;
            }
            orgScoped++;
            ApiClient.Response r = send(outsider, e);
            if (r.status() != 404 || !r.body().contains("not found") || r.body().contains("\"pay\"")) {
                leaks.add(e + " → " + r.status() + " " + r.body());
            }
        }
        assertThat(orgScoped).isGreaterThan(25);
        assertThat(leaks).as("what a user of another organisation got").isEmpty();

        List<String> allowed = new ArrayList<>();
        for (Endpoint e : all) {
            boolean mutation = !e.method().equals("GET");
            if (!mutation || !e.path().startsWith("/api/v1/orgs/bank/projects/pay")) {
                continue;
            }
            ApiClient.Response r = send(viewer, e);
            if (r.status() != 403) {
                allowed.add(e + " → " + r.status() + " " + r.body());
            }
        }
        assertThat(allowed).as("changes a viewer could make").isEmpty();
        for (Endpoint e : all) {
            if (e.method().equals("GET") && e.path().startsWith("/api/v1/orgs/bank/projects/pay")) {
                boolean maintainers = e.path().contains("/webhooks") || e.path().endsWith("/audit");
                assertThat(viewer.get(e.path()).status()).as("a viewer reads " + e.path()).isIn(maintainers ? List.of(403) : List.of(200, 404));
            }
        }
    }
}
