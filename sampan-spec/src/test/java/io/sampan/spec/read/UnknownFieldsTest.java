package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.onlyError;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unknown fields are errors at the key's position, with a "did you mean" when a known field is close. */
class UnknownFieldsTest {

    @Test
    void aMistypedServiceFieldSuggestsTheKnownOne() {
        Problem p = onlyError(web("prot: 8080"));
        assertThat(p.format()).isEqualTo("""
                app.yaml:8:7: error: spec.services.web.prot: unknown field "prot" in a service
                    hint: did you mean "port"?""");
        assertThat(p.path()).isEqualTo("spec.services.web.prot");
        assertThat(p.position().line()).isEqualTo(8);
        assertThat(p.position().column()).isEqualTo(7);
        assertThat(p.hint()).isEqualTo("did you mean \"port\"?");
    }

    @Test
    void aFieldFarFromEveryKnownOneListsThemAll() {
        assertThat(onlyError(web("colour: red")).format()).isEqualTo("""
                app.yaml:8:7: error: spec.services.web.colour: unknown field "colour" in a service
                    hint: known fields: addons, args, autoscale, command, config, dependsOn, env, expose, health, image, \
                placement, port, ports, replicas, resources, runtime, stateful, volumes""");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            replica        | replicas
            Replicas       | replicas
            depends_on     | dependsOn
            dependson      | dependsOn
            comand         | command
            volume         | volumes
            exposes        | expose
            autoscaling    | autoscale
            statefull      | stateful
            """)
    void commonMistakesAreRecognised(String typo, String meant) {
        assertThat(onlyError(web(typo + ": x")).hint()).isEqualTo("did you mean \"" + meant + "\"?");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            resources: {cpu: "1", mem: 1Gi}                      | 8:29 | spec.services.web.resources.mem             | resources              | known fields: cpu, memory
            resources: {cpu: "1", memroy: 1Gi}                   | 8:29 | spec.services.web.resources.memroy          | resources              | did you mean "memory"?
            port: 80\\nhealth: {tcp: true, prot: 81}               | 9:27 | spec.services.web.health.prot               | a health check         | did you mean "port"?
            port: 80\\nhealth: {http: /h, startup: 60}             | 9:26 | spec.services.web.health.startup            | a health check         | known fields: exec, http, port, startupSeconds, tcp
            ports: [{name: grpc, port: 9090, proto: grpc}]       | 8:40 | spec.services.web.ports[0].proto            | a port                 | known fields: name, port, protocol
            port: 80\\nexpose: [{hostname: a.example.com}]        | 9:17 | spec.services.web.expose[0].hostname        | an exposure            | known fields: host, path, tls
            port: 80\\nexpose: [{host: a.b.com, tls: {secrt: x}}] | 9:38 | spec.services.web.expose[0].tls.secrt       | a TLS setting          | did you mean "secret"?
            autoscale: {max: 3, maxi: 4}                         | 8:27 | spec.services.web.autoscale.maxi            | an autoscale setting   | did you mean "max"?
            placement: {nodeselector: {a: b}}                    | 8:19 | spec.services.web.placement.nodeselector    | a placement            | did you mean "nodeSelector"?
            placement: {tolerations: [a]}                        | 8:19 | spec.services.web.placement.tolerations     | a placement            | known fields: nodeSelector, spread, tolerate
            stateful: true\\nvolumes: [{name: d, path: /d, size: 1Gi, class: ssd}] | 9:48 | spec.services.web.volumes[0].class | a volume | known fields: name, path, size, storageClass
            """)
    void unknownFieldsOfNestedObjects(String fields, String at, String path, String what, String hint) {
        Problem p = onlyError(web(fields.replace("\\n", "\n")));
        assertThat(p.position()).hasToString(at);
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.message()).isEqualTo("unknown field \"" + path.substring(path.lastIndexOf('.') + 1) + "\" in " + what);
        assertThat(p.hint()).isEqualTo(hint);
    }

    @Test
    void unknownFieldsOfJobsAddonsAndTheSpec() {
        assertThat(onlyError(app("""
                services: {web: {image: "r/a:1"}}
                jobs:
                  report: {image: "r/a:1", schedule: "@daily", timeZone: UTC}
                """)).format()).isEqualTo("""
                app.yaml:7:50: error: spec.jobs.report.timeZone: unknown field "timeZone" in a job
                    hint: did you mean "timezone"?""");
        assertThat(onlyError(app("""
                services: {web: {image: "r/a:1"}}
                addons:
                  db: {type: mysql, versoin: "8.0"}
                """)).format()).isEqualTo("""
                app.yaml:7:23: error: spec.addons.db.versoin: unknown field "versoin" in an addon
                    hint: did you mean "version"?""");
        assertThat(Docs.formattedErrors(app("""
                services: {web: {image: "r/a:1"}}
                addons:
                  db: {type: mysql, external: {secretName: legacy}}
                """))).containsExactly("""
                app.yaml:7:34: error: spec.addons.db.external.secretName: unknown field "secretName" in an external addon binding
                    hint: known fields: secret""", """
                app.yaml:7:33: error: spec.addons.db.external.secret: "secret" is required for an external addon
                    hint: name the Secret that holds host, port, username, password and database""");
        assertThat(onlyError(app("""
                services: {web: {image: "r/a:1"}}
                service: {api: {image: "r/a:1"}}
                """)).format()).isEqualTo("""
                app.yaml:6:3: error: spec.service: unknown field "service" in an app spec
                    hint: did you mean "services"?""");
    }

    @Test
    void unknownFieldsOfTheEnvelope() {
        assertThat(onlyError("""
                apiVersion: sampan.io/v1
                kind: App
                metdata: {name: shop}
                metadata: {name: shop, label: {team: mall}}
                spec: {services: {web: {image: "r/a:1"}}}
                """.replace("metdata: {name: shop}\n", "")).format()).isEqualTo("""
                app.yaml:3:24: error: metadata.label: unknown field "label" in metadata
                    hint: did you mean "labels"?""");
        assertThat(Docs.formattedErrors("""
                apiVersion: sampan.io/v1
                kind: App
                metdata: {name: shop}
                spec: {services: {web: {image: "r/a:1"}}}
                """)).containsExactly("""
                app.yaml:3:1: error: metdata: unknown field "metdata" in an App document
                    hint: did you mean "metadata"?""", """
                app.yaml:1:1: error: metadata: "metadata" is required
                    hint: for example `metadata: {name: shop}`""");
    }

    @Test
    void unknownFieldsOfAnEnvironmentOverrideAreReportedOnce() {
        String yaml = app("""
                services: {web: {image: "r/a:1"}}
                environments:
                  prod:
                    services: {web: {replicas: 2}}
                    envs: {A: b}
                """);
        assertThat(onlyError(yaml).format()).isEqualTo("""
                app.yaml:9:7: error: spec.environments.prod.envs: unknown field "envs" in an environment override
                    hint: did you mean "env"?""");
        assertThat(Docs.formatted(Docs.problems(yaml, "prod"))).containsExactly("""
                app.yaml:9:7: error: spec.environments.prod.envs: unknown field "envs" in an environment override
                    hint: did you mean "env"?""");
        assertThat(AppReader.read(yaml, "app.yaml").validateAll()).hasSize(1);
    }

    @Test
    void suggestionsUseTheEditDistanceWithTranspositions() {
        assertThat(Diagnostics.distance("prot", "port")).isEqualTo(1);
        assertThat(Diagnostics.distance("replica", "replicas")).isEqualTo(1);
        assertThat(Diagnostics.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Diagnostics.closest("xyz", java.util.List.of("port", "image"))).isNull();
        assertThat(Diagnostics.closest("IMAGE", java.util.List.of("port", "image"))).isEqualTo("image");
    }
}
