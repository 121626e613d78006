package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.sampan.spec.AppSchema;
import io.sampan.spec.JobSpec;
import io.sampan.spec.PortSpec;
import io.sampan.spec.Problem;
import io.sampan.spec.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schema agrees with the reader: the examples validate, structurally broken
 * documents the reader rejects are rejected by the schema too, and the field names cannot drift apart.
 */
class AppSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema SCHEMA = FACTORY.getSchema(AppSchema.json());

    private static JsonNode schemaTree() throws IOException {
        return MAPPER.readTree(AppSchema.json());
    }

    private static Set<ValidationMessage> validate(String yaml) {
        return SCHEMA.validate(YamlToJson.convert(yaml));
    }

    /** {@code $.spec.services.web} plus property {@code prot} → {@code spec.services.web.prot}. */
    private static String path(ValidationMessage m) {
        JsonNodePath location = m.getInstanceLocation();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(element);
            }
        }
        if (m.getProperty() != null && "additionalProperties".equals(m.getType())) {
            sb.append(sb.isEmpty() ? "" : ".").append(m.getProperty());
        }
        return sb.toString();
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws IOException {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(schemaTree())).isEmpty();
        assertThat(schemaTree().get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(AppSchema.json()).isEqualTo(new String(
                AppSchema.class.getResourceAsStream(AppSchema.RESOURCE).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    static Stream<Path> examples() throws IOException {
        return ValidateAllTest.Examples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleValidates(Path file) throws IOException {
        assertThat(validate(Files.readString(file))).as("%s", file).isEmpty();
    }

    @Test
    void thereAreExamples() throws IOException {
        assertThat(examples()).isNotEmpty();
    }

    @Test
    void aDocumentUsingEveryFieldValidates() {
        String yaml = """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop, labels: {team: mall, tier: "1"}, annotations: {owner: mall@example.com}}
                spec:
                  env: {TZ: Asia/Shanghai, DEBUG: false, WORKERS: 4}
                  services:
                    web:
                      image: registry.local/shop/web:1.4.2
                      runtime: java
                      command: [java, -jar, app.jar]
                      args: [--threads, 8]
                      port: 8080
                      ports: [{name: grpc, port: 9090, protocol: grpc}, {name: metrics, port: 9100}]
                      replicas: 3
                      resources: {cpu: 2, memory: 2Gi}
                      env: {SPRING_PROFILES_ACTIVE: prod}
                      config: {/app/config/application.yaml: "a: 1"}
                      health: {http: /actuator/health, port: 8081, startupSeconds: 60}
                      dependsOn: [api]
                      addons: [db, cache, legacy]
                      expose: [{host: shop.example.com, path: /, tls: {secret: shop-tls}}, {host: www.shop.example.com, tls: true}]
                      autoscale: {min: 3, max: 20, cpu: 70, memory: 80, cooldown: 5m}
                      placement: {nodeSelector: {machine: compute}, spread: topology.kubernetes.io/zone, tolerate: [dedicated=mall, gpu]}
                    api:
                      image: registry.local/shop/api:1.4.2
                      runtime: python
                      port: 8000
                      resources: {cpu: 0.5, memory: 512Mi}
                      health: {tcp: true}
                    db-proxy:
                      image: registry.local/shop/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                      port: 3306
                      stateful: true
                      volumes: [{name: data, path: /var/lib/data, size: 10Gi, storageClass: ssd}]
                      health: {exec: [pg_isready, -q]}
                    front: {image: "registry.local/shop/front:2", runtime: static}
                  jobs:
                    migrate: {image: "r/api:1", command: [migrate], trigger: pre-release, retries: 0, deadline: 10m, addons: [db]}
                    report: {image: "r/api:1", schedule: "0 2 * * *", timezone: Asia/Shanghai, concurrency: replace}
                    warmup: {image: "r/api:1", broadcast: true, placement: {nodeSelector: {pool: web}}, resources: {cpu: 100m}}
                  addons:
                    db: {type: mysql, version: "8.0", plan: small}
                    cache: {type: redis, version: 7, shared: true}
                    legacy: {type: mysql, external: {secret: legacy-db}}
                  environments:
                    prod:
                      env: {LOG_LEVEL: warn}
                      services:
                        web: {replicas: 6, autoscale: {min: 6}, health: {startupSeconds: 120}, resources: {memory: 4Gi}}
                        extra: {image: "r/extra:1"}
                      jobs: {report: {schedule: "0 3 * * *"}}
                      addons: {db: {plan: ha}, legacy: {external: {}}}
                    test: {}
                """;
        assertThat(Docs.errors(yaml)).isEmpty();
        assertThat(validate(yaml)).isEmpty();
    }

    static Stream<String> structurallyBroken() {
        return Stream.of(
                // unknown fields, at every level
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\nstatus: {}\n",
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop, label: {a: b}}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                app("services: {web: {image: \"r/a:1\"}}\nservice: {}"),
                web("prot: 8080"),
                web("resources: {cpu: \"1\", mem: 1Gi}"),
                web("port: 80\nhealth: {http: /, timeout: 3}"),
                web("ports: [{name: grpc, port: 9090, tls: true}]"),
                web("port: 80\nexpose: [{host: a.example.com, tls: {secret: x, key: y}}]"),
                web("port: 80\nexpose: [{hostname: a.example.com}]"),
                web("autoscale: {max: 3, target: 50}"),
                web("placement: {affinity: {}}"),
                web("stateful: true\nvolumes: [{name: d, path: /d, size: 1Gi, mode: rw}]"),
                app("jobs: {j: {image: \"r/a:1\", broadcast: true, parallelism: 2}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, size: 10Gi}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, external: {secret: x, namespace: y}}}"),
                app("services: {web: {image: \"r/a:1\"}}\nenvironments: {prod: {replicas: 2}}"),
                app("services: {web: {image: \"r/a:1\"}}\nenvironments: {prod: {services: {web: {replica: 2}}}}"),
                app("services: {web: {image: \"r/a:1\"}}\nenvironments: {prod: {services: {web: {health: {path: /}}}}}"),
                // wrong types
                web("port: \"eighty\""),
                web("port: [80]"),
                web("replicas: many"),
                web("replicas: 1.5"),
                web("command: \"celery worker\""),
                web("args: [a, {b: c}]"),
                web("env: [A=1]"),
                web("env: {A: [x]}"),
                web("config: {/a: {b: c}}"),
                web("resources: 2"),
                web("stateful: maybe"),
                web("ports: {name: grpc, port: 9090}"),
                web("port: 80\nexpose: {host: a.example.com}"),
                web("port: 80\nexpose: [{host: a.example.com, tls: on-demand}]"),
                web("port: 80\nhealth: /healthz"),
                web("port: 80\nhealth: {tcp: yes-please}"),
                web("autoscale: 3"),
                web("placement: {tolerate: dedicated=mall}"),
                web("dependsOn: api"),
                web("addons: db"),
                app("services: []"),
                app("services: {web: nginx}"),
                app("jobs: {j: {image: \"r/a:1\", broadcast: \"yes please\"}}"),
                app("jobs: {j: {image: \"r/a:1\", trigger: pre-release, retries: lots}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, shared: 1}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: mysql, external: legacy-db}}"),
                app("services: {web: {image: \"r/a:1\"}}\nenvironments: [prod]"),
                app("services: {web: {image: \"r/a:1\"}}\nenvironments: {prod: 6}"),
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: shop\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec: [web]\n",
                "- apiVersion: sampan.io/v1\n",
                // missing required fields
                "kind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                "apiVersion: sampan.io/v1\nkind: App\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                "apiVersion: sampan.io/v1\nkind: App\nmetadata: {labels: {a: b}}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                app("env: {A: b}"),
                app("services: {web: {port: 80}}"),
                app("jobs: {j: {trigger: pre-release}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {version: \"8.0\"}}"),
                web("autoscale: {min: 2}"),
                web("ports: [{port: 9090}]"),
                web("stateful: true\nvolumes: [{name: data, path: /d}]"),
                // values outside their enums and ranges
                web("runtime: jvm"),
                web("port: 70000"),
                web("replicas: 1001"),
                web("ports: [{name: grpc, port: 9090, protocol: sctp}]"),
                web("autoscale: {max: 3, cpu: 101}"),
                web("port: 80\nhealth: {http: /, startupSeconds: 0}"),
                app("jobs: {j: {image: \"r/a:1\", trigger: before}}"),
                app("jobs: {j: {image: \"r/a:1\", schedule: \"@daily\", concurrency: sometimes}}"),
                app("services: {web: {image: \"r/a:1\"}}\naddons: {db: {type: oracle}}"),
                "apiVersion: sampan.io/v2\nkind: App\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                "apiVersion: sampan.io/v1\nkind: Deployment\nmetadata: {name: shop}\nspec: {services: {web: {image: \"r/a:1\"}}}\n",
                // kinds of a job, and health
                app("jobs: {j: {image: \"r/a:1\"}}"),
                app("jobs: {j: {image: \"r/a:1\", trigger: pre-release, schedule: \"@daily\"}}"),
                app("jobs: {j: {image: \"r/a:1\", trigger: pre-release, timezone: UTC}}"),
                web("port: 80\nhealth: {http: /, tcp: true}"),
                web("port: 80\nhealth: {startupSeconds: 30}"),
                // names and simple formats
                app("services: {Web: {image: \"r/a:1\"}}"),
                web("env: {1A: x}"),
                web("config: {relative/path: x}"),
                app("services: {web: {image: nginx}}"),
                app("services: {web: {image: \"nginx:latest\"}}"),
                web("resources: {cpu: two}"),
                web("resources: {memory: 2GB}"),
                web("autoscale: {max: 3, cooldown: soon}"),
                app("jobs: {j: {image: \"r/a:1\", schedule: \"0 2 * *\"}}"),
                web("port: 80\nexpose: [{host: Shop.Example.com}]"),
                web("placement: {tolerate: [\"gpu=true:Never\"]}"));
    }

    @ParameterizedTest
    @MethodSource("structurallyBroken")
    void whatTheReaderRejectsForItsStructureTheSchemaRejectsToo(String yaml) {
        List<Problem> readerErrors = Docs.errorsInAnyEnvironment(yaml);
        assertThat(readerErrors).as("the reader must reject%n%s", yaml).isNotEmpty();
        Set<ValidationMessage> schemaErrors = validate(yaml);
        assertThat(schemaErrors).as("the schema must reject%n%s", yaml).isNotEmpty();
        // and point at the same place: some schema error is at, or above, some reader error's path
        List<String> schemaPaths = schemaErrors.stream().map(AppSchemaTest::path).toList();
        assertThat(readerErrors).as("reader %s vs schema %s", readerErrors.stream().map(Problem::path).toList(), schemaPaths)
                .anySatisfy(p -> assertThat(schemaPaths).anySatisfy(s -> assertThat(isAtOrAbove(s, p.path())).isTrue()));
    }

    private static boolean isAtOrAbove(String schemaPath, String readerPath) {
        return schemaPath.isEmpty() || readerPath.equals(schemaPath)
                || readerPath.startsWith(schemaPath + ".") || readerPath.startsWith(schemaPath + "[");
    }

    /** Each object of the schema and the reader's set of known fields for it. */
    private static Map<String, Set<String>> fieldSets() {
        return Map.ofEntries(
                Map.entry("", AppReader.TOP_FIELDS),
                Map.entry("Metadata", AppReader.METADATA_FIELDS),
                Map.entry("Spec", AppReader.SPEC_FIELDS),
                Map.entry("Environment", AppReader.ENVIRONMENT_FIELDS),
                Map.entry("Service", ServiceReader.FIELDS),
                Map.entry("ServiceOverride", ServiceReader.FIELDS),
                Map.entry("Port", ServiceReader.PORT_FIELDS),
                Map.entry("HealthFields", ServiceReader.HEALTH_FIELDS),
                Map.entry("Expose", ServiceReader.EXPOSE_FIELDS),
                Map.entry("Tls", ServiceReader.TLS_FIELDS),
                Map.entry("AutoscaleFields", ServiceReader.AUTOSCALE_FIELDS),
                Map.entry("Volume", ServiceReader.VOLUME_FIELDS),
                Map.entry("Resources", ContainerReader.RESOURCE_FIELDS),
                Map.entry("Placement", ContainerReader.PLACEMENT_FIELDS),
                Map.entry("Job", JobReader.FIELDS),
                Map.entry("JobOverride", JobReader.FIELDS),
                Map.entry("Addon", AddonReader.FIELDS),
                Map.entry("AddonOverride", AddonReader.FIELDS),
                Map.entry("External", AddonReader.EXTERNAL_FIELDS),
                Map.entry("ExternalFields", AddonReader.EXTERNAL_FIELDS),
                Map.entry("ReleasePolicy", ReleasePolicyReader.FIELDS),
                Map.entry("ReleaseGate", ReleasePolicyReader.GATE_FIELDS),
                Map.entry("ReleaseStep", ReleasePolicyReader.STEP_FIELDS),
                Map.entry("ReleaseMatch", ReleasePolicyReader.MATCH_FIELDS));
    }

    private static Set<String> names(Iterator<String> it) {
        Set<String> out = new TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyObjectOfTheSchemaHasExactlyTheReadersFields() throws IOException {
        JsonNode root = schemaTree();
        for (var e : fieldSets().entrySet()) {
            JsonNode object = e.getKey().isEmpty() ? root : root.get("$defs").get(e.getKey());
            assertThat(object).as(e.getKey()).isNotNull();
            assertThat(names(object.get("properties").fieldNames())).as("properties of %s", e.getKey().isEmpty() ? "the document" : e.getKey())
                    .isEqualTo(new TreeSet<>(e.getValue()));
        }
        // and every object with properties in the schema is one of those
        Set<String> withProperties = new TreeSet<>();
        root.get("$defs").fields().forEachRemaining(d -> {
            if (d.getValue().has("properties")) {
                withProperties.add(d.getKey());
            }
        });
        assertThat(withProperties).isEqualTo(new TreeSet<>(fieldSets().keySet().stream().filter(k -> !k.isEmpty()).toList()));
    }

    @Test
    void enumsAreTheReadersValues() throws IOException {
        JsonNode defs = schemaTree().get("$defs");
        assertThat(texts(defs.at("/Service/properties/runtime/enum"))).isEqualTo(Runtime.ids());
        assertThat(texts(defs.at("/Addon/properties/type/enum"))).isEqualTo(AddonReader.TYPES);
        assertThat(texts(defs.at("/Port/properties/protocol/enum")))
                .isEqualTo(Arrays.stream(PortSpec.Protocol.values()).map(PortSpec.Protocol::id).toList());
        assertThat(texts(defs.at("/Job/properties/trigger/enum")))
                .isEqualTo(Arrays.stream(JobSpec.Trigger.values()).map(JobSpec.Trigger::id).toList());
        assertThat(texts(defs.at("/Job/properties/concurrency/enum")))
                .isEqualTo(Arrays.stream(JobSpec.Concurrency.values()).map(JobSpec.Concurrency::id).toList());
        assertThat(defs.at("/Job/properties/concurrency/default").asText()).isEqualTo(JobSpec.Concurrency.FORBID.id());
        assertThat(defs.at("/Service/properties/replicas/maximum").asInt()).isEqualTo(ServiceReader.MAX_REPLICAS);
        assertThat(defs.at("/AutoscaleFields/properties/cpu/default").asInt()).isEqualTo(io.sampan.spec.Autoscale.DEFAULT_CPU);
        assertThat(schemaTree().at("/properties/apiVersion/const").asText()).isEqualTo(io.sampan.spec.AppSpec.API_VERSION);
        assertThat(schemaTree().at("/properties/kind/const").asText()).isEqualTo(io.sampan.spec.AppSpec.KIND);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void everyObjectIsClosedAndEveryPropertyIsDocumented() throws IOException {
        JsonNode root = schemaTree();
        List<String> missing = new ArrayList<>();
        checkObjects(root, root, "#", missing);
        assertThat(missing).isEmpty();
    }

    private static void checkObjects(JsonNode root, JsonNode node, String where, List<String> missing) {
        if (node.isObject()) {
            if (node.has("properties") && "object".equals(node.path("type").asText())) {
                if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
                    missing.add(where + ": additionalProperties is not false");
                }
                node.get("properties").fields().forEachRemaining(p -> {
                    JsonNode property = resolve(root, p.getValue());
                    for (String key : List.of("title", "description")) {
                        if (!property.hasNonNull(key)) {
                            missing.add(where + "/properties/" + p.getKey() + ": no " + key);
                        }
                    }
                });
            }
            node.fields().forEachRemaining(f -> checkObjects(root, f.getValue(), where + "/" + f.getKey(), missing));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkObjects(root, node.get(i), where + "/" + i, missing);
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref") && current.get("$ref").asText().startsWith("#")) {
            current = root.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
