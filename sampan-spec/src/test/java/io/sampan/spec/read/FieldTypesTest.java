package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.errorLines;
import static io.sampan.spec.read.Docs.onlyError;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each field's type and range checks, as the user sees them: file, line, column, path and message.
 * Service fields start on line 8, column 7 (see {@link Docs#web}).
 */
class FieldTypesTest {

    static Stream<Arguments> serviceFields() {
        return Stream.of(
                // port and ports
                Arguments.of("port: 70000", "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got the number 70000"),
                Arguments.of("port: 0", "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got the number 0"),
                Arguments.of("port: http", "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got \"http\""),
                Arguments.of("port: 80.5", "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got the number 80.5"),
                Arguments.of("port: [80]", "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got a list"),
                Arguments.of("ports: {name: grpc}", "app.yaml:8:14: error: spec.services.web.ports: expected a list, got a mapping"),
                Arguments.of("ports: [grpc]", "app.yaml:8:15: error: spec.services.web.ports[0]: expected a port (a mapping of fields), got \"grpc\""),
                Arguments.of("ports: [{name: GRPC, port: 9090}]",
                        "app.yaml:8:22: error: spec.services.web.ports[0].name: \"GRPC\" is not a valid port name"),
                Arguments.of("ports: [{name: a-very-long-port-name, port: 9090}]",
                        "app.yaml:8:22: error: spec.services.web.ports[0].name: \"a-very-long-port-name\" is not a valid port name"),
                Arguments.of("ports: [{name: \"9090\", port: 9090}]",
                        "app.yaml:8:22: error: spec.services.web.ports[0].name: \"9090\" is not a valid port name"),
                Arguments.of("ports: [{name: grpc, port: 99999}]",
                        "app.yaml:8:34: error: spec.services.web.ports[0].port: expected a whole number from 1 to 65535, got the number 99999"),
                Arguments.of("ports: [{name: grpc, port: 9090, protocol: sctp}]",
                        "app.yaml:8:50: error: spec.services.web.ports[0].protocol: unknown protocol \"sctp\""),
                Arguments.of("port: 8080\nports: [{name: http, port: 9090}]",
                        "app.yaml:9:14: error: spec.services.web.ports[0].name: the port name \"http\" is reserved for the main `port`"),
                Arguments.of("port: 8080\nports: [{name: admin, port: 8080}]",
                        "app.yaml:9:14: error: spec.services.web.ports[0].port: port 8080 is used twice"),
                Arguments.of("ports: [{name: a, port: 1}, {name: a, port: 2}]",
                        "app.yaml:8:14: error: spec.services.web.ports[1].name: port name \"a\" is used twice"),
                // replicas
                Arguments.of("replicas: -1", "app.yaml:8:17: error: spec.services.web.replicas: expected a whole number from 0 to 1000, got the number -1"),
                Arguments.of("replicas: 1001", "app.yaml:8:17: error: spec.services.web.replicas: expected a whole number from 0 to 1000, got the number 1001"),
                Arguments.of("replicas: many", "app.yaml:8:17: error: spec.services.web.replicas: expected a whole number from 0 to 1000, got \"many\""),
                Arguments.of("replicas: true", "app.yaml:8:17: error: spec.services.web.replicas: expected a whole number from 0 to 1000, got the boolean true"),
                // runtime
                Arguments.of("runtime: jvm", "app.yaml:8:16: error: spec.services.web.runtime: unknown runtime \"jvm\""),
                Arguments.of("runtime: [java]", "app.yaml:8:16: error: spec.services.web.runtime: expected a string, got a list"),
                // command, args
                Arguments.of("command: celery worker", "app.yaml:8:16: error: spec.services.web.command: expected a list of strings, got \"celery worker\""),
                Arguments.of("args: [a, {b: c}]", "app.yaml:8:17: error: spec.services.web.args[1]: expected a string, got a mapping"),
                Arguments.of("args: [a, ~]", "app.yaml:8:17: error: spec.services.web.args[1]: expected a string, got nothing (null)"),
                // resources
                Arguments.of("resources: 2", "app.yaml:8:18: error: spec.services.web.resources: expected resources (a mapping of fields), got the number 2"),
                Arguments.of("resources: {cpu: two}",
                        "app.yaml:8:24: error: spec.services.web.resources.cpu: expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \"two\""),
                Arguments.of("resources: {cpu: 0}",
                        "app.yaml:8:24: error: spec.services.web.resources.cpu: expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \"0\""),
                Arguments.of("resources: {cpu: 257}",
                        "app.yaml:8:24: error: spec.services.web.resources.cpu: expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \"257\""),
                Arguments.of("resources: {cpu: 0.0005}",
                        "app.yaml:8:24: error: spec.services.web.resources.cpu: expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \"0.0005\""),
                Arguments.of("resources: {memory: 2GB}",
                        "app.yaml:8:27: error: spec.services.web.resources.memory: expected a memory amount such as \"512Mi\" or \"2Gi\" (1Mi to 4Ti), got \"2GB\""),
                Arguments.of("resources: {memory: 512Ki}",
                        "app.yaml:8:27: error: spec.services.web.resources.memory: expected a memory amount such as \"512Mi\" or \"2Gi\" (1Mi to 4Ti), got \"512Ki\""),
                Arguments.of("resources: {memory: 5Ti}",
                        "app.yaml:8:27: error: spec.services.web.resources.memory: expected a memory amount such as \"512Mi\" or \"2Gi\" (1Mi to 4Ti), got \"5Ti\""),
                // env and config
                Arguments.of("env: [A=1]", "app.yaml:8:12: error: spec.services.web.env: expected a mapping of names to values, got a list"),
                Arguments.of("env: {1A: x}", "app.yaml:8:17: error: spec.services.web.env.1A: \"1A\" is not a valid environment variable name (letters, digits, '_', '.', '-', not starting with a digit)"),
                Arguments.of("env: {A: [x]}", "app.yaml:8:16: error: spec.services.web.env.A: expected a value (string, number or boolean), got a list"),
                Arguments.of("env: {A: ~}", "app.yaml:8:16: error: spec.services.web.env.A: expected a value (string, number or boolean), got nothing (null)"),
                Arguments.of("config: {app.yaml: x}",
                        "app.yaml:8:26: error: spec.services.web.config.app.yaml: \"app.yaml\" is not an absolute file path such as /app/config/application.yaml"),
                Arguments.of("config: {/etc/: x}",
                        "app.yaml:8:23: error: spec.services.web.config./etc/: \"/etc/\" is not an absolute file path such as /app/config/application.yaml"),
                // health
                Arguments.of("port: 80\nhealth: /healthz", "app.yaml:9:15: error: spec.services.web.health: expected a health check (a mapping of fields), got \"/healthz\""),
                Arguments.of("port: 80\nhealth: {http: healthz}",
                        "app.yaml:9:22: error: spec.services.web.health.http: expected an HTTP path starting with /, got \"healthz\""),
                Arguments.of("port: 80\nhealth: {tcp: yes, http: /}", "app.yaml:9:15: error: spec.services.web.health: a health check takes only one of http, tcp or exec"),
                Arguments.of("port: 80\nhealth: {startupSeconds: 60}", "app.yaml:9:15: error: spec.services.web.health: a health check needs one of http, tcp or exec"),
                Arguments.of("port: 80\nhealth: {http: /, startupSeconds: 0}",
                        "app.yaml:9:41: error: spec.services.web.health.startupSeconds: expected a whole number from 1 to 3600, got the number 0"),
                Arguments.of("port: 80\nhealth: {tcp: true, port: 65536}",
                        "app.yaml:9:33: error: spec.services.web.health.port: expected a whole number from 1 to 65535, got the number 65536"),
                Arguments.of("port: 80\nhealth: {exec: []}", "app.yaml:9:22: error: spec.services.web.health.exec: the health command is empty"),
                Arguments.of("health: {http: /healthz}", "app.yaml:8:15: error: spec.services.web.health: an http or tcp health check needs a port"),
                // expose
                Arguments.of("port: 80\nexpose: shop.example.com", "app.yaml:9:15: error: spec.services.web.expose: expected a list, got \"shop.example.com\""),
                Arguments.of("port: 80\nexpose: [{host: localhost}]",
                        "app.yaml:9:23: error: spec.services.web.expose[0].host: expected a DNS host name such as shop.example.com, got \"localhost\""),
                Arguments.of("port: 80\nexpose: [{host: a.example.com, path: api}]",
                        "app.yaml:9:44: error: spec.services.web.expose[0].path: expected a URL path starting with /, got \"api\""),
                Arguments.of("port: 80\nexpose: [{host: a.example.com, tls: on-demand}]",
                        "app.yaml:9:43: error: spec.services.web.expose[0].tls: expected true, false or {secret: NAME}, got \"on-demand\""),
                Arguments.of("port: 80\nexpose: [{host: a.example.com, tls: {secret: Bad_Secret}}]",
                        "app.yaml:9:52: error: spec.services.web.expose[0].tls.secret: expected a Secret name, got \"Bad_Secret\""),
                Arguments.of("port: 80\nexpose: [{tls: true}]", "app.yaml:9:22: error: spec.services.web.expose[0].tls: TLS needs an explicit host"),
                Arguments.of("expose: [{host: a.example.com}]", "app.yaml:8:15: error: spec.services.web.expose: a service without a port cannot be exposed"),
                // autoscale
                Arguments.of("autoscale: 3", "app.yaml:8:18: error: spec.services.web.autoscale: expected an autoscale setting (a mapping of fields), got the number 3"),
                Arguments.of("autoscale: {min: 2}", "app.yaml:8:18: error: spec.services.web.autoscale.max: \"max\" is required"),
                Arguments.of("autoscale: {min: 0, max: 3}",
                        "app.yaml:8:24: error: spec.services.web.autoscale.min: expected a whole number from 1 to 1000, got the number 0"),
                Arguments.of("autoscale: {min: 5, max: 3}", "app.yaml:8:18: error: spec.services.web.autoscale: min 5 is greater than max 3"),
                Arguments.of("autoscale: {max: 3, cpu: 0}",
                        "app.yaml:8:32: error: spec.services.web.autoscale.cpu: expected a whole number from 1 to 100, got the number 0"),
                Arguments.of("autoscale: {max: 3, memory: 101}",
                        "app.yaml:8:35: error: spec.services.web.autoscale.memory: expected a whole number from 1 to 100, got the number 101"),
                Arguments.of("autoscale: {max: 3, cooldown: 2h}",
                        "app.yaml:8:37: error: spec.services.web.autoscale.cooldown: expected a duration of at most 1h such as \"5m\" or \"90s\", got \"2h\""),
                Arguments.of("autoscale: {max: 3, cooldown: soon}",
                        "app.yaml:8:37: error: spec.services.web.autoscale.cooldown: expected a duration of at most 1h such as \"5m\" or \"90s\", got \"soon\""),
                // placement
                Arguments.of("placement: {nodeSelector: {\"a b\": x}}",
                        "app.yaml:8:41: error: spec.services.web.placement.nodeSelector.a b: \"a b\" is not a valid node label key"),
                Arguments.of("placement: {spread: \"rack zone\"}",
                        "app.yaml:8:27: error: spec.services.web.placement.spread: expected a node label key such as \"topology.kubernetes.io/zone\" or \"rack\", got \"rack zone\""),
                Arguments.of("placement: {tolerate: [\"gpu=true:Never\"]}",
                        "app.yaml:8:29: error: spec.services.web.placement.tolerate[0]: expected a taint as key, key=value or key=value:Effect, got \"gpu=true:Never\""),
                Arguments.of("placement: {tolerate: dedicated=mall}",
                        "app.yaml:8:29: error: spec.services.web.placement.tolerate: expected a list of strings, got \"dedicated=mall\""),
                // stateful and volumes
                Arguments.of("stateful: maybe", "app.yaml:8:17: error: spec.services.web.stateful: expected true or false, got \"maybe\""),
                Arguments.of("volumes: [{name: data, path: /d, size: 1Gi}]", "app.yaml:8:16: error: spec.services.web.volumes: volumes need a stateful service"),
                Arguments.of("stateful: true\nvolumes: [{name: Data, path: /d, size: 1Gi}]",
                        "app.yaml:9:24: error: spec.services.web.volumes[0].name: \"Data\" is not a valid volume name"),
                Arguments.of("stateful: true\nvolumes: [{name: data, path: data, size: 1Gi}]",
                        "app.yaml:9:36: error: spec.services.web.volumes[0].path: expected an absolute directory path, got \"data\""),
                Arguments.of("stateful: true\nvolumes: [{name: data, path: /d, size: 10GB}]",
                        "app.yaml:9:46: error: spec.services.web.volumes[0].size: expected a storage size such as \"10Gi\", got \"10GB\""),
                Arguments.of("stateful: true\nvolumes: [{name: data, path: /d, size: 1Gi, storageClass: SSD}]",
                        "app.yaml:9:65: error: spec.services.web.volumes[0].storageClass: expected a StorageClass name, got \"SSD\""),
                Arguments.of("stateful: true\nvolumes: [{name: a, path: /d, size: 1Gi}, {name: a, path: /e, size: 1Gi}]",
                        "app.yaml:9:16: error: spec.services.web.volumes: volume name \"a\" is used twice"),
                Arguments.of("stateful: true\nvolumes: [{name: a, path: /d, size: 1Gi}, {name: b, path: /d, size: 1Gi}]",
                        "app.yaml:9:16: error: spec.services.web.volumes: volume path \"/d\" is used twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceFields")
    void serviceFieldIsChecked(String field, String expected) {
        String yaml = web(field);
        assertThat(onlyError(yaml).format().lines().findFirst()).as("%s", yaml).hasValue(expected);
    }

    static Stream<Arguments> otherFields() {
        return Stream.of(
                Arguments.of("services: []", "app.yaml:5:13: error: spec.services: expected a mapping of service names to services, got a list"),
                Arguments.of("services: {Web: {image: \"r/a:1\"}}", "app.yaml:5:19: error: spec.services.Web: \"Web\" is not a valid service name"),
                Arguments.of("services: {user_api: {image: \"r/a:1\"}}", "app.yaml:5:24: error: spec.services.user_api: \"user_api\" is not a valid service name"),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\nenv: {\"bad name\": x}",
                        "app.yaml:6:21: error: spec.env.bad name: \"bad name\" is not a valid environment variable name"),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\njobs: {j: {image: \"r/a:1\", broadcast: true, retries: 101}}",
                        "app.yaml:6:56: error: spec.jobs.j.retries: expected a whole number from 0 to 100, got the number 101"),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\njobs: {j: {image: \"r/a:1\", broadcast: true, deadline: 0s}}",
                        "app.yaml:6:57: error: spec.jobs.j.deadline: expected a duration such as \"10m\" or \"1h\", got \"0s\""),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\njobs: {j: {image: \"r/a:1\", trigger: pre-release, retries: lots}}",
                        "app.yaml:6:61: error: spec.jobs.j.retries: expected a whole number from 0 to 100, got \"lots\""),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, version: \"8 0\"}}",
                        "app.yaml:6:39: error: spec.addons.db.version: expected a version such as \"8.0\", got \"8 0\""),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, plan: Large}}",
                        "app.yaml:6:36: error: spec.addons.db.plan: expected a plan name such as \"small\" or \"ha\", got \"Large\""),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, shared: 1}}",
                        "app.yaml:6:38: error: spec.addons.db.shared: expected true or false, got the number 1"),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, external: {secret: Legacy}}}",
                        "app.yaml:6:49: error: spec.addons.db.external.secret: expected a Secret name, got \"Legacy\""),
                Arguments.of("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, external: legacy-db}}",
                        "app.yaml:6:40: error: spec.addons.db.external: expected an external addon binding (a mapping of fields), got \"legacy-db\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherFields")
    void otherFieldIsChecked(String spec, String expected) {
        String yaml = app(spec);
        assertThat(onlyError(yaml).format().lines().findFirst()).as("%s", yaml).hasValue(expected);
    }

    static Stream<Arguments> envelope() {
        return Stream.of(
                Arguments.of("apiVersion: sampan.io/v2\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:1:13: error: apiVersion: unsupported apiVersion \"sampan.io/v2\"\n    hint: this version of Sampan reads `apiVersion: sampan.io/v1`"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: Deployment\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:2:7: error: kind: unsupported kind \"Deployment\"\n    hint: an app.yaml has `kind: App`"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: My_Shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:18: error: metadata.name: \"My_Shop\" is not a valid app name\n"
                                + "    hint: use at most 40 lower-case letters, digits and '-', starting with a letter (e.g. `shop`)"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: " + "a".repeat(41) + "}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:18: error: metadata.name: \"" + "a".repeat(41) + "\" is not a valid app name\n"
                                + "    hint: use at most 40 lower-case letters, digits and '-', starting with a letter (e.g. `shop`)"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop, labels: {team: \"-mall\"}}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:32: error: metadata.labels.team: \"-mall\" is not a valid label value\n"
                                + "    hint: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop, labels: {\"team name\": mall}}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:46: error: metadata.labels.team name: \"team name\" is not a valid label key"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop, annotations: {\"a/b/c\": x}}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:47: error: metadata.annotations.a/b/c: \"a/b/c\" is not a valid annotation key"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: shop\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                        "app.yaml:3:11: error: metadata: expected metadata (a mapping of fields), got \"shop\"\n"
                                + "    hint: write it as `key: value` lines indented under metadata"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: [web]\n",
                        "app.yaml:4:7: error: spec: expected a mapping, got a list"),
                Arguments.of("- apiVersion: sampan.io/v1\n",
                        "app.yaml:1:1: error: expected an App document (a mapping of fields), got a list\n    hint: write it as `key: value` lines indented under "),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}, environments: [prod]}\n",
                        "app.yaml:4:57: error: spec.environments: expected a mapping of environment names to overrides, got a list\n"
                                + "    hint: for example `environments: {prod: {services: {web: {replicas: 6}}}}`"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}, environments: {Prod: {}}}\n",
                        "app.yaml:4:64: error: spec.environments.Prod: \"Prod\" is not a valid environment name\n"
                                + "    hint: use lower-case letters, digits and '-' (e.g. `prod`)"),
                Arguments.of("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}, environments: {prod: 6}}\n",
                        "app.yaml:4:64: error: spec.environments.prod: expected an environment override (a mapping of fields), got the number 6\n"
                                + "    hint: write it as `key: value` lines indented under prod"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("envelope")
    void envelopeIsChecked(String yaml, String expected) {
        assertThat(onlyError(yaml).format()).isEqualTo(expected);
    }

    /** The rows of {@link #serviceFields} about fields jobs share with services. */
    static Stream<Arguments> sharedFields() {
        return serviceFields().filter(a -> Stream.of("resources", "env", "placement", "command", "args")
                .anyMatch(f -> a.get()[0].toString().startsWith(f + ":")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedFields")
    void theSameFieldsAreCheckedInAJob(String field, String expected) {
        String yaml = app("jobs:\n  web:\n    image: registry.local/shop/web:1.4.2\n    broadcast: true\n" + field.indent(4));
        String shifted = expected.replace("app.yaml:8:", "app.yaml:9:").replace("spec.services.web", "spec.jobs.web");
        assertThat(errorLines(yaml)).as("%s", yaml).containsExactly(shifted);
    }
}
