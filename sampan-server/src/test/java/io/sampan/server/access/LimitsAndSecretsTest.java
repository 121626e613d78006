package io.sampan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Abuse limits (body size, rate per token) and the rule that secrets — cluster credentials, API
 * tokens, webhook secrets — appear in no response but the one that creates them, in no audit entry
 * and in no log line.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:limits;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false",
        "sampan.api.max-body=4096", "sampan.api.rate=0.001", "sampan.api.burst=60", "logging.level.io.sampan=DEBUG"})
class LimitsAndSecretsTest {
    @LocalServerPort
    int port;

    @Test
    void secretsNeverShowAfterTheirCreationAndAbuseIsRefused(CapturedOutput logs) {
        ApiClient admin = new ApiClient(port);
        List<String> seen = new ArrayList<>();
        String kubeToken = "kube-credential-9f8e7d6c5b4a";
        String kubeconfig = "apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:1'}}]\\n"
                + "users: [{name: u, user: {token: " + kubeToken + "}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]\\ncurrent-context: x\\n";
        seen.add(admin.post("/api/v1/clusters", "{\"name\":\"sec\",\"kubeconfig\":\"" + kubeconfig + "\"}").body());
        seen.add(admin.post("/api/v1/clusters/sec/check", null).body());
        seen.add(admin.get("/api/v1/clusters").body());
        seen.add(admin.post("/api/v1/orgs/default/projects", "{\"name\":\"sec\"}").body());
        seen.add(admin.post("/api/v1/users", "{\"name\":\"frank\"}").body());
        String userToken = admin.post("/api/v1/tokens", "{\"user\":\"frank\"}").json().get("token").asString();
        String hookSecret = "webhook-signing-secret-0123456789";
        admin.post("/api/v1/orgs/default/projects/sec/webhooks", "{\"url\":\"https://203.0.113.10/h\",\"secret\":\"" + hookSecret + "\"}");
        seen.add(admin.get("/api/v1/orgs/default/projects/sec/webhooks").body());
        seen.add(admin.as(userToken).get("/api/v1/tokens").body());
        seen.add(admin.get("/api/v1/audit?limit=500").body());
        for (String secret : List.of(kubeToken, userToken, userToken.substring(17), hookSecret, ApiClient.ADMIN_TOKEN.substring(17))) {
            assertThat(seen).as("responses").noneMatch(body -> body.contains(secret));
            assertThat(logs.getAll()).as("logs").doesNotContain(secret);
        }

        ApiClient.Response big = admin.send("POST", "/api/v1/orgs/default/projects/sec/apps", "application/yaml", "#".repeat(5000));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("detail").asString()).contains("at most 4096");

        ApiClient frank = admin.as(userToken);
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 70; i++) {
            ApiClient.Response r = frank.get("/api/v1/whoami");
            if (r.status() == 429) {
                limited++;
                retryAfter = r.json().get("detail").asString();
            }
        }
        assertThat(limited).as("beyond a burst of 60, with almost no refill").isGreaterThanOrEqualTo(9);
        assertThat(retryAfter).contains("retry after");
        assertThat(admin.get("/api/v1/whoami").status()).as("other tokens have their own budget").isEqualTo(200);
    }
}
