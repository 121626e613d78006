package io.sampan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * The audit log as an auditor reads it: each change of a scenario, refused ones included, is there
 * exactly once with who, what, the outcome and what it changed (before and after), no secret
 * anywhere; reads are not changes; the filters find what they name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:audit;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false",
        "sampan.webhooks.allow-private-targets=true"})
class AuditTest {
    static final String SHOP = "/api/v1/orgs/retail/projects/shop";

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        ClusterDrivers auditDrivers() {
            FakeCluster c = new FakeCluster();
            return name -> c;
        }

        @Bean
        @Primary
        MutableClock auditClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    final List<String> changes = new ArrayList<>();

    ApiClient.Response change(ApiClient client, String method, String path, String type, String body) {
        clock.advance(Duration.ofSeconds(1));
        changes.add(method + " " + path);
        return client.send(method, path, type, body);
    }

    ApiClient.Response change(ApiClient client, String method, String path, String json) {
        return change(client, method, path, "application/json", json);
    }

    @Test
    void everyChangeOfAScenarioIsThereOnceWithWhatItChangedAndNoSecret() {
        ApiClient admin = new ApiClient(port);
        String kubeToken = "kube-credential-5e4d3c2b1a";
        change(admin, "POST", "/api/v1/orgs", "{\"name\":\"retail\"}");
        change(admin, "POST", "/api/v1/orgs/retail/projects", "{\"name\":\"shop\"}");
        change(admin, "POST", "/api/v1/users", "{\"name\":\"alice\"}");
        change(admin, "PUT", SHOP + "/members/alice", "{\"role\":\"developer\"}");
        String aliceToken = change(admin, "POST", "/api/v1/tokens", "{\"user\":\"alice\"}").json().get("token").asString();
        ApiClient alice = admin.as(aliceToken);
        change(admin, "POST", "/api/v1/clusters", "{\"name\":\"dc1\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, "
                + "cluster: {server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: " + kubeToken + "}}]\\ncontexts: [{name: x, "
                + "context: {cluster: c, user: u}}]\\ncurrent-context: x\\n\"}");
        long version = change(admin, "POST", SHOP + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"dc1\"}]}").json()
                .get("version").asLong();
        Instant beforeUpdate = clock.instant().plusMillis(1);
        change(admin, "PUT", SHOP + "/environments/dev", "{\"version\":" + version + ",\"profile\":{\"cpuOvercommit\":2},"
                + "\"clusters\":[{\"cluster\":\"dc1\"}]}");
        change(admin, "PUT", SHOP + "/quota", "{\"cpu\":\"8\"}");
        Instant afterQuota = clock.instant().plusMillis(1);
        admin.get(SHOP + "/environments/dev");
        alice.get(SHOP + "/quota");
        change(alice, "POST", SHOP + "/apps", "application/yaml",
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: cart}\nspec:\n  services:\n    web: {image: r/cart:1, port: 8080}\n");
        assertThat(change(alice, "POST", SHOP + "/apps/cart/environments/dev/releases", "{}").status()).isEqualTo(201);
        String hookSecret = change(admin, "POST", SHOP + "/webhooks", "{\"url\":\"http://127.0.0.1:9/h\"}").json().get("secret").asString();
        assertThat(change(alice, "PUT", SHOP + "/quota", "{\"cpu\":\"800\"}").status()).isEqualTo(403);
        assertThat(alice.get(SHOP + "/audit").status()).as("a developer does not read the project's audit log").isEqualTo(403);
        String tokenId = aliceToken.substring(4, 16);
        assertThat(change(admin, "DELETE", "/api/v1/tokens/" + tokenId, null, null).status()).isEqualTo(204);

        ApiClient.Response all = admin.get("/api/v1/audit?limit=500");
        List<String> recorded = new ArrayList<>();
        all.json().forEach(e -> recorded.add(e.get("action").asString() + " " + e.get("target").asString()));
        assertThat(recorded.reversed()).as("each change once, reads not at all").containsExactlyElementsOf(changes);
        for (String secret : List.of(kubeToken, aliceToken, aliceToken.substring(17), hookSecret, ApiClient.ADMIN_TOKEN.substring(17))) {
            assertThat(all.body()).doesNotContain(secret);
        }

        JsonNode update = one(admin, "/api/v1/audit?path=/environments/dev&action=PUT");
        assertThat(update.get("before").asString()).contains("\"cpuOvercommit\":1.0");
        assertThat(update.get("after").asString()).contains("\"cpuOvercommit\":2.0");
        assertThat(update.get("outcome").asString()).isEqualTo("succeeded");
        assertThat(update.get("org").asString()).isEqualTo("retail");
        assertThat(update.get("project").asString()).isEqualTo("shop");
        JsonNode quota = one(admin, "/api/v1/audit?path=/quota&outcome=succeeded");
        assertThat(quota.get("before").asString()).contains("\"cpuQuota\":null");
        assertThat(quota.get("after").asString()).contains("\"cpuQuota\":\"8\"");
        JsonNode create = one(admin, "/api/v1/audit?path=/tokens&action=POST");
        assertThat(create.get("before").isNull()).as("a creation has no before").isTrue();
        assertThat(create.get("after").asString()).contains("\"token\":\"[redacted]\"").contains("\"user\":\"alice\"");
        JsonNode refused = one(admin, "/api/v1/audit?outcome=refused");
        assertThat(refused.get("actor").asString()).isEqualTo("alice");
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(refused.get("after").asString()).contains("needs the owner role");

        assertThat(admin.get("/api/v1/audit?actor=alice").json()).hasSize(3);
        assertThat(admin.get("/api/v1/audit?org=retail&project=shop").json()).hasSize(8);
        assertThat(admin.get("/api/v1/audit?since=" + beforeUpdate + "&until=" + afterQuota).json()).hasSize(2);
        assertThat(admin.get(SHOP + "/audit?actor=alice").json()).hasSize(3);
        assertThat(admin.get("/api/v1/audit?outcome=maybe").json().get("errors").get(0).get("field").asString()).isEqualTo("outcome");
        assertThat(admin.get("/api/v1/audit?since=yesterday").json().get("errors").get(0).get("field").asString()).isEqualTo("since");
    }

    static JsonNode one(ApiClient client, String query) {
        JsonNode found = client.get(query).json();
        assertThat(found).as(query).hasSize(1);
        return found.get(0);
    }
}
