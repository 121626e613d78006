package io.sampan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.SampanServer;
import io.sampan.server.deploy.ClusterDrivers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** The CLI as a user runs it, against a real server whose clusters roll out instantly. */
class ClientCommandsTest {
    static ConfigurableApplicationContext server;
    static String url;
    static final FakeCluster CLUSTER = new FakeCluster();
    /** The server starts with this as its administrator's bootstrap token. */
    static final String ADMIN_TOKEN = "spn_0a1b2c3d4e5f_" + "b".repeat(64);

    @Configuration
    static class InstantClusters {
        @Bean
        @Primary
        ClusterDrivers instantDrivers() {
            CLUSTER.autoReady = true;
            return name -> CLUSTER;
        }
    }

    @BeforeAll
    static void start() {
        server = new SpringApplicationBuilder(SampanServer.class, InstantClusters.class).run(
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:cli-e2e;DB_CLOSE_DELAY=-1",
                "--sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "--sampan.data=target/test-data",
                "--sampan.bootstrap-token=" + ADMIN_TOKEN,
                "--sampan.release.tick=100ms", "--spring.main.banner-mode=off", "--sampan.webhooks.sender=false");
        url = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SampanCommandTest.Result sampan(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = url;
        all[args.length + 2] = "--token";
        all[args.length + 3] = ADMIN_TOKEN;
        return SampanCommandTest.run(all);
    }

    @Test
    void registerAClusterApplyDeployWaitAndRollBack(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
                users: [{name: u, user: {token: secret-token}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                current-context: ctx
                """);
        var added = sampan("clusters", "add", "local", "--kubeconfig", kubeconfig.toString());
        assertThat(added.out()).as(added.err()).contains("local").contains("unreachable: connection refused");
        assertThat(added.out() + added.err()).doesNotContain("secret-token");
        assertThat(sampan("projects", "--create", "demo").out()).contains("project demo created");
        assertThat(sampan("envs", "-p", "demo", "--create", "dev", "--cluster", "local").code()).isZero();
        assertThat(sampan("envs", "-p", "demo").out()).contains("dev").contains("local:demo-dev×1");
        assertThat(sampan("envs", "-p", "demo", "--create", "edge", "--cluster", "local", "--gateway", "infra/public", "--prometheus",
                "http://prometheus.monitoring:9090").code()).isZero();
        assertThat(sampan("envs", "-p", "demo", "-o", "json").out()).contains("\"gateway\" : \"infra/public\"")
                .contains("\"prometheus\" : \"http://prometheus.monitoring:9090\"");

        Path app = Path.of("..", "examples", "shop", "app.yaml");
        var applied = sampan("apply", "-f", app.toString(), "-p", "demo", "-m", "first");
        assertThat(applied.out()).isEqualTo("shop: revision 1 created\n");
        assertThat(sampan("apply", "-f", app.toString(), "-p", "demo").out()).isEqualTo("shop: unchanged (revision 1)\n");

        var before = sampan("diff", "shop", "-p", "demo", "-e", "dev");
        assertThat(before.out()).contains("cluster local (namespace demo-dev):").contains("+ Deployment/shop-web");
        var deployed = sampan("deploy", "shop", "-p", "demo", "-e", "dev", "--wait");
        assertThat(deployed.code()).as(deployed.err()).isZero();
        assertThat(deployed.out()).startsWith("shop: release 1 started in dev (revision 1)").contains("release 1 succeeded");
        assertThat(CLUSTER.objects).containsKey("Deployment/shop-web");

        var status = sampan("status", "shop", "-p", "demo", "-e", "dev");
        assertThat(status.out()).contains("shop in dev: release 1 (revision 1) succeeded").contains("local").contains("done");
        assertThat(status.out()).contains("SERVICE").containsPattern("web\\s+local\\s+1/1");
        assertThat(sampan("status", "shop", "-p", "demo", "-e", "dev", "-o", "json").out()).contains("\"phase\" : \"succeeded\"");

        assertThat(sampan("diff", "shop", "-p", "demo", "-e", "dev").out()).contains("no changes");
        java.nio.file.Path v2 = dir.resolve("app.yaml");
        Files.writeString(v2, Files.readString(app).replace("registry.local/shop/web:1.4.2", "registry.local/shop/web:1.4.3"));
        sampan("apply", "-f", v2.toString(), "-p", "demo");
        assertThat(sampan("diff", "shop", "-p", "demo", "-e", "dev").out()).contains("~ Deployment/shop-web")
                .contains("spec.template.spec.containers[web].image: registry.local/shop/web:1.4.2 → registry.local/shop/web:1.4.3");
        assertThat(sampan("rollback", "shop", "-p", "demo", "-e", "dev", "--to", "1", "--wait").out()).contains("release 2 succeeded");
        var releases = sampan("releases", "shop", "-p", "demo", "-e", "dev");
        assertThat(releases.out().lines()).hasSize(3);
        assertThat(releases.out()).contains("rollback to 1");
        var quota = sampan("quota", "set", "-p", "demo", "--cpu", "100", "--memory", "200Gi");
        assertThat(quota.code()).as(quota.err()).isZero();
        assertThat(quota.out()).contains("project default/demo:").contains("CPU LIMITS/QUOTA").containsPattern("\\*\\s+\\S+ / 100");
        assertThat(sampan("quota", "show", "-p", "demo", "-e", "dev").out()).contains("environment demo/dev:");
        assertThat(sampan("quota", "show", "-e", "dev").code()).isEqualTo(2);
        assertThat(sampan("release", "approve", "shop", "1", "-p", "demo", "-e", "dev").err()).contains("release 1 is not waiting for approval");
        var hook = sampan("webhooks", "add", "https://203.0.113.10/sampan", "-p", "demo", "--event", "release.failed");
        assertThat(hook.out()).as(hook.err()).contains("added").contains("signing secret (shown once): ");
        assertThat(sampan("webhooks", "list", "-p", "demo").out()).contains("https://203.0.113.10/sampan").contains("release.failed");
        assertThat(sampan("webhooks", "add", "http://127.0.0.1:9/x", "-p", "demo").err()).contains("loopback, link-local or private");
        assertThat(sampan("audit").out()).contains("POST").contains("/api/v1/orgs/default/projects/demo/apps/shop/environments/dev/releases")
                .contains("first");
    }

    @Test
    void loginRemembersServerAndTokenForOwnerOnly(@TempDir Path home) throws Exception {
        System.setProperty("sampan.home", home.toString());
        try {
            var login = SampanCommandTest.run("login", "--server", url, "--token", ADMIN_TOKEN);
            assertThat(login.out()).isEqualTo("logged in to " + url + " as admin (administrator)\n");
            Path saved = home.resolve("cli.properties");
            assertThat(Files.getPosixFilePermissions(saved)).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(SampanCommandTest.run("projects").code()).as("no --server or --token needed now").isZero();
        } finally {
            System.clearProperty("sampan.home");
        }
    }

    @Test
    void refusalsAndAnUnreachableServerAreClearMessagesWithExitCodes(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("app.yaml");
        Files.writeString(bad, "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: x}\nspec:\n  services:\n    web: {image: r/w:1, prot: 80}\n");
        sampan("projects", "--create", "refusals");
        var rejected = sampan("apply", "-f", bad.toString(), "-p", "refusals");
        assertThat(rejected.code()).isEqualTo(1);
        assertThat(rejected.err()).contains("the app.yaml has 1 error").contains("app.yaml:6:25: error: spec.services.web.prot")
                .contains("did you mean \"port\"");
        var missing = sampan("status", "nope", "-p", "refusals", "-e", "dev");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("app \"refusals/nope\" not found");
        var anonymous = SampanCommandTest.run("projects", "--server", url, "--token", "spn_000000000000_" + "0".repeat(64));
        assertThat(anonymous.code()).isEqualTo(1);
        assertThat(anonymous.err()).contains("the token is not valid, expired or revoked");
        var down = SampanCommandTest.run("projects", "--server", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(4);
        assertThat(down.err()).contains("cannot reach the Sampan server at http://127.0.0.1:1");
    }
}
