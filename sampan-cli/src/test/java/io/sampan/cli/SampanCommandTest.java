package io.sampan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampanCommandTest {
    static final String SHOP = Path.of("..", "examples", "shop", "app.yaml").toString();

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SampanCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void validateSaysWhatIsInAValidApp() {
        Result r = run("validate", "-f", SHOP);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("valid").contains("app shop, 3 services, 2 jobs, 2 addons").contains("environments: prod, test");
    }

    @Test
    void renderWritesKubernetesYamlForTheEnvironment() {
        Result r = run("render", "-f", SHOP, "--env", "prod");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("---\napiVersion: v1\nkind: ConfigMap").contains("kind: Deployment").contains("namespace: shop-prod")
                .contains("sampan.io/environment: prod");
    }

    @Test
    void renderTakesAProfileANamespaceAndJsonOutput(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("cluster.yaml");
        Files.writeString(profile, "namespace: from-profile\novercommit: {cpu: 4}\ndomainSuffix: apps.dc1.example.com\nnodes: 5\n");
        Result r = run("render", "-f", SHOP, "--profile", profile.toString(), "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{").contains("\"kind\" : \"List\"").contains("\"namespace\" : \"from-profile\"")
                .contains("\"sampan.io/overcommit\" : \"cpu=4,memory=1\"");
        Result ns = run("render", "-f", SHOP, "--profile", profile.toString(), "-n", "override");
        assertThat(ns.out()).contains("namespace: override").doesNotContain("namespace: from-profile");
    }

    @Test
    void invalidInputExitsOneWithEveryErrorAndNoStackTrace(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("app.yaml");
        Files.writeString(app, """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: r.local/web:1, prot: 8080, replicas: -1}
                """);
        Result r = run("render", "-f", app.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(app + ":6:33: error: spec.services.web.prot: unknown field \"prot\" in a service")
                .contains("did you mean \"port\"?")
                .contains("spec.services.web.replicas: expected a whole number from 0 to 1000")
                .contains("2 errors").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run("validate", "-f", app.toString()).code()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsInvalidInput() {
        Result r = run("validate", "-f", "no/such/app.yaml");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no/such/app.yaml: error: no such file");
    }

    @Test
    void schemaPrintsTheJsonSchemaOfAppYaml() throws Exception {
        Result r = run("schema");
        assertThat(r.code()).isZero();
        var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(schema.get("$schema").asText()).contains("2020-12");
        assertThat(schema.toString()).contains("\"services\"").contains("\"autoscale\"").contains("\"dependsOn\"");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"validate", "render", "deploy", "status", "quota"}) {
            Result r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: sampan " + command);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("render").code()).isEqualTo(2);
        assertThat(run("render", "-f", SHOP, "-o", "xml").code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
    }
}
