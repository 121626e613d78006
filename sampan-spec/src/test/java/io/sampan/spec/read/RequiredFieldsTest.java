package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.formattedErrors;
import static io.sampan.spec.read.Docs.onlyError;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Required fields: missing ones are named, with an example of what to write. */
class RequiredFieldsTest {

    @Test
    void anEmptyFileIsRejected() {
        assertThat(formattedErrors("")).containsExactly("""
                app.yaml: error: the file is empty
                    hint: start from an example: examples/shop/app.yaml""");
    }

    @Test
    void theEnvelopeNeedsApiVersionKindMetadataAndSpec() {
        assertThat(formattedErrors("metadata: {name: shop}\n")).containsExactly("""
                app.yaml:1:1: error: apiVersion: "apiVersion" is required
                    hint: for example `apiVersion: sampan.io/v1`""", """
                app.yaml:1:1: error: kind: "kind" is required
                    hint: for example `kind: App`""", """
                app.yaml:1:1: error: spec: "spec" is required
                    hint: add `spec: {services: {...}}`""");
    }

    @Test
    void theAppNeedsAName() {
        assertThat(onlyError("""
                apiVersion: sampan.io/v1
                kind: App
                metadata: {labels: {team: mall}}
                spec: {services: {web: {image: "r/a:1"}}}
                """).format()).isEqualTo("""
                app.yaml:3:11: error: metadata.name: "name" is required
                    hint: for example `name: shop`""");
        assertThat(onlyError("""
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: ""}
                spec: {services: {web: {image: "r/a:1"}}}
                """).format()).isEqualTo("""
                app.yaml:3:18: error: metadata.name: "name" must not be empty
                    hint: for example `name: shop`""");
    }

    @Test
    void anAppNeedsAServiceOrAJob() {
        assertThat(onlyError(app("env: {A: b}")).format()).isEqualTo("""
                app.yaml:5:3: error: spec.services: the app has no services and no jobs
                    hint: add at least one service, e.g. `services: {web: {image: registry.local/shop/web:1.0.0, port: 8080}}`""");
        assertThat(Docs.errors(app("jobs: {warmup: {image: \"r/a:1\", broadcast: true}}"))).isEmpty();
    }

    @Test
    void servicesAndJobsNeedAnImage() {
        assertThat(onlyError(app("services:\n  web: {port: 8080}")).format()).isEqualTo("""
                app.yaml:6:10: error: spec.services.web.image: "image" is required
                    hint: for example `image: registry.local/shop/web:1.4.2`""");
        assertThat(onlyError(app("services:\n  web: {image: \"  \"}")).message()).isEqualTo("\"image\" must not be empty");
        assertThat(onlyError(app("jobs:\n  migrate: {trigger: pre-release}")).format()).isEqualTo("""
                app.yaml:6:14: error: spec.jobs.migrate.image: "image" is required
                    hint: for example `image: registry.local/shop/web:1.4.2`""");
    }

    @Test
    void aNullImageIsMissing() {
        assertThat(onlyError(app("services:\n  web:\n    image:\n    port: 80")).format()).isEqualTo("""
                app.yaml:7:13: error: spec.services.web.image: "image" is required
                    hint: for example `image: registry.local/shop/web:1.4.2`""");
    }

    @Test
    void addonsNeedATypeAndExternalOnesASecret() {
        assertThat(onlyError(app("services: {web: {image: \"r/a:1\"}}\naddons:\n  db: {version: \"8.0\"}")).format()).isEqualTo("""
                app.yaml:7:9: error: spec.addons.db.type: "type" is required
                    hint: for example `type: mysql`""");
        assertThat(onlyError(app("services: {web: {image: \"r/a:1\"}}\naddons:\n  db: {type: mysql, external: {}}")).format()).isEqualTo("""
                app.yaml:7:33: error: spec.addons.db.external.secret: "secret" is required for an external addon
                    hint: name the Secret that holds host, port, username, password and database""");
    }

    @Test
    void portsNeedANameAndANumber() {
        assertThat(formattedErrors(web("ports: [{port: 9090}, {name: admin}]"))).containsExactly("""
                app.yaml:8:15: error: spec.services.web.ports[0].name: "name" is required
                    hint: for example `name: grpc`""", """
                app.yaml:8:29: error: spec.services.web.ports[1].port: "port" is required
                    hint: for example `{name: grpc, port: 9090}`""");
    }

    @Test
    void volumesNeedANamePathAndSize() {
        assertThat(formattedErrors(web("stateful: true\nvolumes: [{storageClass: ssd}]"))).containsExactly("""
                app.yaml:9:17: error: spec.services.web.volumes[0].name: "name" is required
                    hint: for example `name: data`""", """
                app.yaml:9:17: error: spec.services.web.volumes[0].path: "path" is required
                    hint: for example `path: /var/lib/data`""", """
                app.yaml:9:17: error: spec.services.web.volumes[0].size: "size" is required
                    hint: for example `size: 10Gi`""");
    }

    @Test
    void autoscaleNeedsAMax() {
        assertThat(onlyError(web("autoscale: {min: 2, cpu: 60}")).format()).isEqualTo("""
                app.yaml:8:18: error: spec.services.web.autoscale.max: "max" is required
                    hint: for example `autoscale: {min: 2, max: 10}`""");
    }
}
