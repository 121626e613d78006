package io.sampan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.deploy.ReleaseRunner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** An environment that wants approval: releases wait, touch nothing, and start only when someone allowed approves. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:approval;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class ApprovalTest {
    static final FakeCluster CLUSTER = new FakeCluster();

    @TestConfiguration
    static class Clusters {
        @Bean
        @Primary
        ClusterDrivers approvalDrivers() {
            CLUSTER.autoReady = true;
            return name -> CLUSTER;
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;

    @Test
    void releasesWaitForAnApproverWhoIsNotTheRequester() {
        ApiClient admin = new ApiClient(port);
        String base = "/api/v1/orgs/default/projects/pay";
        admin.post("/api/v1/orgs/default/projects", "{\"name\":\"pay\"}");
        admin.unreachableCluster("ap");
        var env = admin.post(base + "/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"ap\"}],"
                + "\"approval\":{\"role\":\"maintainer\",\"separateApprover\":true}}");
        assertThat(env.json().get("approval").get("role").asString()).isEqualTo("maintainer");
        ApiClient dave = admin.as(token(admin, "dave", "maintainer"));
        ApiClient alice = admin.as(token(admin, "alice", "developer"));
        ApiClient mia = admin.as(token(admin, "mia", "maintainer"));
        dave.yaml(base + "/apps", "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: pay}\nspec:\n  services:\n    api: {image: r/p:1, port: 8080}\n");
        String releases = base + "/apps/pay/environments/prod/releases";

        var pending = dave.post(releases, "{\"message\":\"fix rounding\"}");
        assertThat(pending.json().get("phase").asString()).isEqualTo("awaiting-approval");
        runner.runOnce();
        assertThat(CLUSTER.applyLog).as("nothing touches a cluster before approval").isEmpty();
        assertThat(dave.post(releases, "{}").status()).as("it holds its place in line").isEqualTo(409);

        var own = dave.post(releases + "/1/approve", null);
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json().get("detail").asString()).contains("approved by someone other than the one who asked for it (dave)");
        assertThat(alice.post(releases + "/1/approve", null).json().get("detail").asString())
                .isEqualTo("approving a release in prod needs the maintainer role on project pay; you are developer");
        var approved = mia.post(releases + "/1/approve", null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("approvedBy").asString()).isEqualTo("mia");
        runner.runOnce();
        runner.runOnce();
        assertThat(admin.get(releases + "/1").json().get("phase").asString()).isEqualTo("succeeded");

        dave.post(releases, "{}");
        var rejected = mia.post(releases + "/2/reject", null);
        assertThat(rejected.json().get("phase").asString()).isEqualTo("failed");
        assertThat(rejected.json().get("reason").asString()).isEqualTo("rejected by mia");
        assertThat(dave.post(releases, "{}").status()).as("a rejected release frees its place").isEqualTo(201);
        assertThat(mia.post(releases + "/1/approve", null).status()).isEqualTo(409);
    }

    static String token(ApiClient admin, String user, String role) {
        admin.post("/api/v1/users", "{\"name\":\"" + user + "\"}");
        admin.send("PUT", "/api/v1/orgs/default/projects/pay/members/" + user, "application/json", "{\"role\":\"" + role + "\"}");
        return admin.post("/api/v1/tokens", "{\"user\":\"" + user + "\"}").json().get("token").asString();
    }
}
