package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.Up;
import io.sampan.server.api.ApiClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampan up}: a server with a sandbox cluster, a demo project, and the sample app ready in dev. */
class UpTest {
    @Test
    void upServesTheApiAndDeploysTheSampleToDev(@TempDir Path data) throws Exception {
        long started = System.nanoTime();
        Up up = Up.start(0, data, Path.of("..", "examples", "storefront", "app.yaml"));
        try {
            System.out.printf("sampan up: serving and sample ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
            ApiClient api = new ApiClient(Integer.parseInt(up.url().substring(up.url().lastIndexOf(':') + 1)), up.token());
            assertThat(api.get("/api/v1/whoami").json().get("admin").asBoolean()).isTrue();
            assertThat(api.get("/api/v1/clusters/local").json().get("health").asString()).isIn("unknown", "reachable");
            var envs = api.get("/api/v1/orgs/default/projects/demo/environments").json().get("items");
            assertThat(envs).extracting(e -> e.get("name").asString()).containsExactly("dev", "prod");
            var status = api.get("/api/v1/orgs/default/projects/demo/apps/storefront/environments/dev/status").json();
            assertThat(status.get("release").get("phase").asString()).isEqualTo("succeeded");
            assertThat(status.get("clusters").get(0).get("services")).hasSize(2);
            assertThat(data.resolve("local.kubeconfig")).exists();
        } finally {
            up.close();
        }
    }
}
