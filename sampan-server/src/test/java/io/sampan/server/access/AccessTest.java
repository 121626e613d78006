package io.sampan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Who may do what, as API users see it: no token is 401; a project of an organisation one has no
 * role in does not exist (404); too small a role is 403 naming the role needed; production can ask
 * for more than developers; tokens expire and can be revoked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:access;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false"})
class AccessTest {
    static final String APP = "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n  services:\n    web: {image: r.local/web:1, port: 8080}\n";

    @TestConfiguration
    static class Clock {
        @Bean
        @Primary
        MutableClock accessClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    ApiClient admin;

    @BeforeEach
    void setUp() {
        admin = new ApiClient(port);
    }

    String user(String name) {
        if (admin.get("/api/v1/users").body().contains("\"" + name + "\"")) {
            return admin.post("/api/v1/tokens", "{\"user\":\"" + name + "\"}").json().get("token").asString();
        }
        assertThat(admin.post("/api/v1/users", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        return admin.post("/api/v1/tokens", "{\"user\":\"" + name + "\",\"name\":\"test\"}").json().get("token").asString();
    }

    void grant(String project, String user, String role) {
        assertThat(admin.send("PUT", "/api/v1/orgs/retail/projects/" + project + "/members/" + user, "application/json",
                "{\"role\":\"" + role + "\"}").status()).isEqualTo(200);
    }

    @Test
    void rolesDecideAndForeignersSeeNothing() {
        admin.post("/api/v1/orgs", "{\"name\":\"retail\"}");
        admin.post("/api/v1/orgs/retail/projects", "{\"name\":\"shop\"}");
        admin.post("/api/v1/orgs/retail/projects/shop/environments", "{\"name\":\"dev\"}");
        admin.post("/api/v1/orgs/retail/projects/shop/environments", "{\"name\":\"prod\",\"deployRole\":\"maintainer\"}");
        ApiClient alice = admin.as(user("alice"));
        ApiClient bob = admin.as(user("bob"));
        ApiClient carol = admin.as(user("carol"));
        ApiClient dave = admin.as(user("dave"));
        grant("shop", "alice", "developer");
        grant("shop", "bob", "viewer");
        grant("shop", "dave", "maintainer");

        assertThat(carol.get("/api/v1/orgs/retail").status()).isEqualTo(404);
        assertThat(carol.get("/api/v1/orgs/retail/projects/shop").status()).isEqualTo(404);
        assertThat(carol.get("/api/v1/orgs/retail/projects/nope").json().get("detail").asString()).isEqualTo("organisation \"retail\" not found");
        assertThat(carol.get("/api/v1/orgs").json().get("items")).isEmpty();
        assertThat(carol.yaml("/api/v1/orgs/retail/projects/shop/apps", APP).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/orgs").json().get("items").get(0).get("name").asString()).isEqualTo("retail");

        assertThat(bob.get("/api/v1/orgs/retail/projects/shop").status()).isEqualTo(200);
        ApiClient.Response refused = bob.yaml("/api/v1/orgs/retail/projects/shop/apps", APP);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).isEqualTo("applying an app needs the developer role on project shop; you are viewer");

        assertThat(alice.yaml("/api/v1/orgs/retail/projects/shop/apps", APP).status()).isEqualTo(201);
        String releases = "/api/v1/orgs/retail/projects/shop/apps/shop/environments/%s/releases";
        admin.post("/api/v1/clusters", "{\"name\":\"dc1\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: "
                + "{server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]"
                + "\\ncurrent-context: x\\n\"}");
        admin.send("PUT", "/api/v1/orgs/retail/projects/shop/environments/dev", "application/json",
                "{\"version\":1,\"clusters\":[{\"cluster\":\"dc1\"}]}");
        admin.send("PUT", "/api/v1/orgs/retail/projects/shop/environments/prod", "application/json",
                "{\"version\":1,\"clusters\":[{\"cluster\":\"dc1\",\"namespace\":\"shop-live\"}],\"deployRole\":\"maintainer\"}");
        assertThat(alice.post(releases.formatted("dev"), "{}").status()).isEqualTo(201);
        ApiClient.Response prod = alice.post(releases.formatted("prod"), "{}");
        assertThat(prod.status()).isEqualTo(403);
        assertThat(prod.json().get("detail").asString()).isEqualTo("deploying to prod needs the maintainer role on project shop; you are developer");
        assertThat(dave.post(releases.formatted("prod"), "{}").status()).isEqualTo(201);
        assertThat(bob.get(releases.formatted("prod") + "/1").json().get("requestedBy").asString()).isEqualTo("dave");

        ApiClient.Response rule = dave.send("PUT", "/api/v1/orgs/retail/projects/shop/environments/prod", "application/json",
                "{\"version\":3,\"clusters\":[{\"cluster\":\"dc1\"}],\"deployRole\":\"developer\"}");
        assertThat(rule.status()).isEqualTo(403);
        assertThat(rule.json().get("detail").asString()).contains("needs the owner role");
        assertThat(alice.post("/api/v1/clusters", "{\"name\":\"x\",\"kubeconfig\":\"\"}").json().get("detail").asString())
                .isEqualTo("registering a cluster needs a platform administrator");
        assertThat(alice.get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/audit").body()).contains("\"actor\":\"dave\"").doesNotContain(ApiClient.ADMIN_TOKEN);
    }

    @Test
    void tokensAreRequiredShownOnceAndCanExpireOrBeRevoked() {
        assertThat(admin.as(null).get("/api/v1/whoami").status()).isEqualTo(401);
        assertThat(admin.as("spn_000000000000_" + "0".repeat(64)).get("/api/v1/whoami").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/whoami").json().get("name").asString()).isEqualTo("admin");
        assertThat(admin.get("/actuator/health").status()).as("health stays open").isEqualTo(200);

        String erin = user("erin");
        ApiClient asErin = admin.as(erin);
        assertThat(asErin.get("/api/v1/whoami").json().get("admin").asBoolean()).isFalse();
        var own = asErin.post("/api/v1/tokens", "{\"name\":\"laptop\",\"validDays\":1}").json();
        String laptop = own.get("token").asString();
        assertThat(asErin.get("/api/v1/tokens").body()).contains("laptop").doesNotContain(laptop).doesNotContain(erin);
        assertThat(admin.as(laptop).get("/api/v1/whoami").status()).isEqualTo(200);
        clock.advance(Duration.ofDays(2));
        assertThat(admin.as(laptop).get("/api/v1/whoami").status()).as("expired").isEqualTo(401);

        String id = erin.substring(4, 16);
        assertThat(asErin.send("DELETE", "/api/v1/tokens/" + id, null, null).status()).isEqualTo(204);
        assertThat(asErin.get("/api/v1/whoami").status()).as("revoked").isEqualTo(401);
        assertThat(admin.post("/api/v1/tokens", "{\"validDays\":0}").json().get("errors").get(0).get("field").asString()).isEqualTo("validDays");
    }
}
