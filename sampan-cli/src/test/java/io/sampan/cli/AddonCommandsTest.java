package io.sampan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampan addons} as a user runs it against a real server (the one of {@link ClientCommandsTest}: clusters that roll out instantly). */
class AddonCommandsTest {
    @BeforeAll
    static void start() {
        ClientCommandsTest.start();
    }

    @AfterAll
    static void stop() {
        ClientCommandsTest.stop();
    }

    static SampanCommandTest.Result sampan(String... args) {
        return ClientCommandsTest.sampan(args);
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
        sampan("clusters", "add", "addons-local", "--kubeconfig", kubeconfig.toString());
        sampan("projects", "--create", "mall");
        assertThat(sampan("envs", "-p", "mall", "--create", "prod", "--cluster", "addons-local").code()).isZero();
        Path app = dir.resolve("app.yaml"); // the shop under another name: the fake cluster keys objects by kind and name only
        Files.writeString(app, Files.readString(Path.of("..", "examples", "shop", "app.yaml")).replace("name: shop", "name: boutique"));
        assertThat(sampan("apply", "-f", app.toString(), "-p", "mall").code()).isZero();

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
        var bound = sampan("addons", "bind", "orders", "-p", "mall", "-e", "prod", "--app", "boutique", "--as", "db");
        assertThat(bound.out()).as(bound.err()).isEqualTo("boutique's db is bound to orders\n");
        var deployed = sampan("deploy", "boutique", "-p", "mall", "-e", "prod", "--wait");
        assertThat(deployed.out()).as(deployed.err()).contains("succeeded");

        var list = sampan("addons", "list", "-p", "mall", "-e", "prod");
        assertThat(list.out()).containsPattern("orders\\s+mysql\\s+external\\s+ready")
                .containsPattern("boutique-cache\\s+redis\\s+7\\s+small\\s+template\\s+ready\\s+addon-boutique-cache-credentials");
        var shown = sampan("addons", "show", "orders", "-p", "mall", "-e", "prod");
        assertThat(shown.out()).contains("host:      orders.mysql.example.com").contains("bound to:  boutique:db");
        for (var r : new SampanCommandTest.Result[] {created, list, shown, sampan("addons", "list", "-p", "mall", "-e", "prod", "-o", "json")}) {
            assertThat(r.out() + r.err()).doesNotContain(password);
        }

        assertThat(sampan("addons", "delete", "boutique-cache", "-p", "mall", "-e", "prod").err()).contains("holds data").contains("--delete-data");
        assertThat(sampan("addons", "delete", "boutique-cache", "-p", "mall", "-e", "prod", "--delete-data").out())
                .isEqualTo("addon boutique-cache deleted with its data\n");
        assertThat(sampan("addons", "list", "-p", "mall", "-e", "prod").out()).doesNotContain("boutique-cache");
    }
}
