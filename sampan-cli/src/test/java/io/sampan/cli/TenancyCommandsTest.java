package io.sampan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.SampanServer;
import io.sampan.server.access.OidcProvider;
import io.sampan.server.deploy.ClusterDrivers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

/** Logging in through OIDC, reading the audit log with filters, and usage app by app, as a CLI user does. */
class TenancyCommandsTest {
    static final String ADMIN_TOKEN = "spn_0a1b2c3d4e5f_" + "d".repeat(64);
    static OidcProvider provider;
    static ConfigurableApplicationContext server;
    static String url;

    @Configuration
    static class Clusters {
        @Bean
        @Primary
        ClusterDrivers tenancyDrivers() {
            FakeCluster c = new FakeCluster();
            return name -> c;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        provider = new OidcProvider();
        server = new SpringApplicationBuilder(SampanServer.class, Clusters.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:cli-tenancy;DB_CLOSE_DELAY=-1", "--sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "--sampan.data=target/test-data", "--sampan.bootstrap-token=" + ADMIN_TOKEN, "--sampan.release.runner=false",
                "--spring.main.banner-mode=off", "--sampan.webhooks.sender=false", "--sampan.oidc.issuer=" + provider.issuer(),
                "--sampan.oidc.client-id=sampan-cli");
        url = "http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.close();
    }

    static SampanCommandTest.Result admin(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--server";
        all[args.length + 1] = url;
        all[args.length + 2] = "--token";
        all[args.length + 3] = ADMIN_TOKEN;
        return SampanCommandTest.run(all);
    }

    static String idToken(String sub, String name, long expiresIn) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", provider.issuer());
        claims.put("aud", "sampan-cli");
        claims.put("sub", sub);
        claims.put("preferred_username", name);
        claims.put("iat", now);
        claims.put("exp", now + expiresIn);
        return provider.sign(claims);
    }

    @Test
    void loginWithAnIdTokenRemembersAnApiTokenAndRefusesABadOne(@TempDir Path home) throws Exception {
        System.setProperty("sampan.home", home.toString());
        try {
            var login = SampanCommandTest.run("login", "--server", url, "--id-token", idToken("sub-olga", "olga", 600));
            assertThat(login.code()).as(login.err()).isZero();
            assertThat(login.out()).isEqualTo("logged in to " + url + " as olga\n");
            assertThat(Files.readString(home.resolve("cli.properties"))).containsPattern("token=spn_[0-9a-f]{12}_");
            assertThat(SampanCommandTest.run("projects").code()).as("no role yet: the organisation is not there for olga").isEqualTo(1);
            assertThat(admin("audit", "--actor", "olga", "--action", "POST", "--path", "/tokens").out()).contains("/api/v1/tokens")
                    .contains("succeeded");

            var expired = SampanCommandTest.run("login", "--server", url, "--id-token", idToken("sub-olga", "olga", -3600));
            assertThat(expired.code()).isEqualTo(1);
            assertThat(expired.err()).contains("not valid");
        } finally {
            System.clearProperty("sampan.home");
        }
    }

    @Test
    void memoryOvercommitNeedsTheFlagWarnsAndUsageShowsEachApp(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"http://127.0.0.1:1\"}}]\n"
                + "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
        admin("clusters", "add", "k1", "--kubeconfig", kubeconfig.toString());
        admin("projects", "--create", "usage");
        var refused = admin("envs", "-p", "usage", "--create", "batch", "--cluster", "k1", "--memory-overcommit", "2");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("allowMemoryOvercommit");
        var accepted = admin("envs", "-p", "usage", "--create", "batch", "--cluster", "k1", "--cpu-overcommit", "2", "--memory-overcommit", "2",
                "--allow-memory-overcommit");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.err()).contains("warning: memory overcommit 2.0").contains("OOM-killed");
        Path app = dir.resolve("app.yaml");
        Files.writeString(app, "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: etl}\nspec:\n  services:\n    web: {image: r/etl:1, port: 8080, "
                + "replicas: 2, resources: {cpu: \"1\", memory: 1Gi}}\n");
        admin("apply", "-f", app.toString(), "-p", "usage");
        assertThat(admin("deploy", "etl", "-p", "usage", "-e", "batch").code()).isZero();

        var usage = admin("quota", "usage", "-p", "usage");
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out()).contains("CPU LIMITS").contains("CPU REQUESTS").contains("MEMORY SAVED")
                .containsPattern("etl\\s+batch\\s+k1\\s+2\\s+1\\s+1\\s+2Gi\\s+1Gi\\s+1Gi\\s+2");
        assertThat(usage.err()).contains("warning: environment batch overcommits memory 2.0x");
    }
}
