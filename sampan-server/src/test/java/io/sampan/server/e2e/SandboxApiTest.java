package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.sandbox.SandboxCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the end-to-end tests through the server's HTTP API and one sandbox cluster share: the
 * cluster (started before the class's tests, named as the project the test registers), the server's
 * port, release runner (the tests tick it; {@code sampan.release.runner=false}) and clock (a
 * {@link MutableClock} bean each test class provides), and the first steps of every such test. Each
 * test class names its own database ({@code @TestPropertySource} of {@code spring.datasource.url}), so
 * it has a server of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxApiTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The cluster's name, and the project's. */
    final String name;
    /** {@code /api/v1/orgs/default/projects/<name>}. */
    final String base;
    SandboxCluster cluster;

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    SandboxApiTest(String name) {
        this.name = name;
        this.base = "/api/v1/orgs/default/projects/" + name;
    }

    @BeforeAll
    void startCluster() {
        cluster = SandboxCluster.start(name);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    JsonNode runUntil(ApiClient api, String release, Predicate<JsonNode> done) {
        return ReleasePolling.runUntil(runner, api, release, done);
    }

    /** The sandbox registered as cluster {@code as}. */
    void registerCluster(ApiClient api, String as) throws Exception {
        assertThat(api.post("/api/v1/clusters", JSON.writeValueAsString(Map.of("name", as, "kubeconfig", cluster.kubeconfig()))).status())
                .isEqualTo(201);
    }

    /** The sandbox as cluster {@code name}, a project {@code name} and its environment {@code environment} on that cluster. */
    void registerProject(ApiClient api, String environment) throws Exception {
        registerCluster(api, name);
        assertThat(api.post("/api/v1/orgs/default/projects", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        assertThat(api.post(base + "/environments", "{\"name\":\"" + environment + "\",\"clusters\":[{\"cluster\":\"" + name + "\"}]}").status())
                .isEqualTo(201);
    }

    /** {@code appYaml} stored as the app's next revision and deployed to {@code environment}: release {@code number}, run until it succeeded. */
    JsonNode deploy(ApiClient api, String app, String appYaml, String environment, int number) {
        assertThat(api.yaml(base + "/apps", appYaml).status()).isIn(200, 201);
        String releases = base + "/apps/" + app + "/environments/" + environment + "/releases";
        ApiClient.Response created = api.post(releases, "{}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return runUntil(api, releases + "/" + number, r -> r.get("phase").asString().equals("succeeded"));
    }
}
