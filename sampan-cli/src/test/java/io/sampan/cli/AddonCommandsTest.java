package io.sampan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.SampanServer;
import io.sampan.server.deploy.ClusterDrivers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

/** {@code sampan addons} as a user runs it against a real server (clusters that roll out instantly). */
class AddonCommandsTest {
    static ConfigurableApplicationContext server;
    static String url;
    static final FakeCluster CLUSTER = new FakeCluster();
    static final String ADMIN_TOKEN = "spn_0a1b2c3d4e5f_" + "c".repeat(64);

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
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:cli-addons;DB_CLOSE_DELAY=-1",
                "--sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "--sampan.data=target/test-data",
                "--sampan.bootstrap-token=" + ADMIN_TOKEN, "--sampan.release.tick=100ms", "--spring.main.banner-mode=off",
                "--sampan.webhooks.sender=false");
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
    void registerBindListAndDeleteAddonsWithoutEverPrintingAPassword(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                current-context: ctx
                """);
        sampan("clusters", "add", "local", "--kubeconfig", kubeconfig.toString());
        sampan("projects", "--create", "mall");
        assertThat(sampan("envs", "-p", "mall", "--create", "prod", "--cluster", "local").code()).isZero();
        assertThat(sampan("apply", "-f", Path.of("..", "examples", "shop", "app.yaml").toString(), "-p", "mall").code()).isZero();

        assertThat(sampan("addons", "catalog").out()).containsPattern("mysql\\s+5.7,8.0,8.4\\s+ha,small\\s+template,operator,external");
        var policy = sampan("addons", "policy", "-p", "mall", "-e", "prod", "mysql=external", "*=template");
        assertThat(policy.out()).as(policy.err()).containsPattern("\\*\\s+template").containsPattern("mysql\\s+external");
        assertThat(sampan("addons", "policy", "-p", "mall", "-e", "prod", "mysql=cloud").err())
                .contains("provider must be template, operator or external, not \"cloud\"");

        String password = "managed-db-password-0a9b8c";
        InputStream stdin = System.in;
        SampanCommandTest.Result created;
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            created = sampan("addons", "create", "orders", "-p", "mall", "-e", "prod", "--type", "mysql", "--external", "--host",
                    "orders.mysql.example.com", "--username", "shop", "--database", "orders", "--tls", "--password-stdin");
        } finally {
            System.setIn(stdin);
        }
        assertThat(created.out()).as(created.err()).isEqualTo("addon orders (mysql, external) created: ready\n");
        var bound = sampan("addons", "bind", "orders", "-p", "mall", "-e", "prod", "--app", "shop", "--as", "db");
        assertThat(bound.out()).as(bound.err()).isEqualTo("shop's db is bound to orders\n");
        var deployed = sampan("deploy", "shop", "-p", "mall", "-e", "prod", "--wait");
        assertThat(deployed.out()).as(deployed.err()).contains("succeeded");

        var list = sampan("addons", "list", "-p", "mall", "-e", "prod");
        assertThat(list.out()).containsPattern("orders\\s+mysql\\s+external\\s+ready")
                .containsPattern("shop-cache\\s+redis\\s+7\\s+small\\s+template\\s+ready\\s+addon-shop-cache-credentials");
        var shown = sampan("addons", "show", "orders", "-p", "mall", "-e", "prod");
        assertThat(shown.out()).contains("host:      orders.mysql.example.com").contains("bound to:  shop:db");
        for (var r : new SampanCommandTest.Result[] {created, list, shown, sampan("addons", "list", "-p", "mall", "-e", "prod", "-o", "json")}) {
            assertThat(r.out() + r.err()).doesNotContain(password);
        }

        assertThat(sampan("addons", "delete", "shop-cache", "-p", "mall", "-e", "prod").err()).contains("holds data").contains("--delete-data");
        assertThat(sampan("addons", "delete", "shop-cache", "-p", "mall", "-e", "prod", "--delete-data").out())
                .isEqualTo("addon shop-cache deleted with its data\n");
        assertThat(sampan("addons", "list", "-p", "mall", "-e", "prod").out()).doesNotContain("shop-cache");
    }
}
