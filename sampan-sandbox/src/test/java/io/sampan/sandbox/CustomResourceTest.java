package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomResourceDefinitions: a small {@code Widget} and a trimmed Gateway API {@code HTTPRoute},
 * established, discovered, validated against their schemas, printed with their columns, patched,
 * watched, scaled, and deleted with their objects — over HTTP and with kubectl.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CustomResourceTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String WIDGETS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.sampan.io}
            spec:
              group: example.sampan.io
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [sampan]}
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                additionalPrinterColumns:
                - {name: Color, type: string, jsonPath: .spec.color}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                - {name: Ready, type: string, jsonPath: .status.ready}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [color]
                        properties:
                          color: {type: string, enum: [red, green, blue]}
                          replicas: {type: integer, minimum: 0, maximum: 10}
                          labels: {type: object, additionalProperties: {type: string}}
                          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      status:
                        type: object
                        properties:
                          ready: {type: string}
                          replicas: {type: integer}
            """;
    static final String HTTP_ROUTES = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: httproutes.gateway.networking.k8s.io
              annotations: {gateway.networking.k8s.io/bundle-version: v1.2.1, gateway.networking.k8s.io/channel: standard}
            spec:
              group: gateway.networking.k8s.io
              names: {categories: [gateway-api], kind: HTTPRoute, listKind: HTTPRouteList, plural: httproutes, singular: httproute}
              scope: Namespaced
              versions:
              - name: v1beta1
                served: true
                storage: false
                additionalPrinterColumns:
                - {jsonPath: .spec.hostnames, name: Hostnames, type: string}
                - {jsonPath: .metadata.creationTimestamp, name: Age, type: date}
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                subresources: {status: {}}
              - name: v1
                served: true
                storage: true
                additionalPrinterColumns:
                - {jsonPath: .spec.hostnames, name: Hostnames, type: string}
                - {jsonPath: .metadata.creationTimestamp, name: Age, type: date}
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    description: HTTPRoute provides a way to route HTTP requests.
                    type: object
                    required: [spec]
                    properties:
                      apiVersion: {type: string}
                      kind: {type: string}
                      metadata: {type: object}
                      spec:
                        type: object
                        properties:
                          hostnames:
                            type: array
                            maxItems: 16
                            items: {type: string, maxLength: 253, minLength: 1,
                              pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'}
                          parentRefs:
                            type: array
                            maxItems: 32
                            items:
                              type: object
                              required: [name]
                              properties:
                                group: {type: string, default: gateway.networking.k8s.io}
                                kind: {type: string, default: Gateway}
                                name: {type: string, maxLength: 253, minLength: 1}
                                namespace: {type: string}
                                sectionName: {type: string}
                          rules:
                            type: array
                            maxItems: 16
                            items:
                              type: object
                              properties:
                                matches:
                                  type: array
                                  maxItems: 64
                                  items:
                                    type: object
                                    properties:
                                      path:
                                        type: object
                                        properties:
                                          type: {type: string, enum: [Exact, PathPrefix, RegularExpression]}
                                          value: {type: string, maxLength: 1024}
                                backendRefs:
                                  type: array
                                  maxItems: 16
                                  items:
                                    type: object
                                    required: [name]
                                    properties:
                                      name: {type: string}
                                      port: {type: integer, format: int32, minimum: 1, maximum: 65535}
                                      weight: {type: integer, format: int32, minimum: 0, maximum: 1000000, default: 1}
                      status:
                        type: object
                        properties:
                          parents:
                            type: array
                            items: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;
    @TempDir
    static Path dir;
    static SandboxHttp api;

    @BeforeAll
    static void start() {
        api = new SandboxHttp("crds", dir);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static String json(String yaml) throws Exception {
        return YAML.readTree(yaml).toString();
    }

    static void install(String crdYaml) throws Exception {
        SandboxHttp.Response r = api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json(crdYaml));
        assertThat(r.code()).as(r.body().toString()).isEqualTo(201);
    }

    static void namespace(String ns) {
        api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}");
    }

    static String widget(String name, String spec) {
        return "{\"apiVersion\":\"example.sampan.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}";
    }

    @Test
    void aCrdIsEstablishedAndDiscovered() throws Exception {
        install(WIDGETS);
        JsonNode crd = api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.sampan.io").body();
        List<String> conditions = new ArrayList<>();
        crd.path("status").path("conditions").forEach(c -> conditions.add(c.path("type").asText() + "=" + c.path("status").asText()));
        assertThat(conditions).containsExactly("NamesAccepted=True", "Established=True");
        assertThat(crd.path("status").path("acceptedNames").path("kind").asText()).isEqualTo("Widget");
        assertThat(crd.path("status").path("acceptedNames").path("listKind").asText()).isEqualTo("WidgetList");
        assertThat(crd.path("status").path("storedVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(crd.path("metadata").path("finalizers").toString()).isEqualTo("[\"customresourcecleanup.apiextensions.k8s.io\"]");

        assertThat(api.get("/apis").body().toString()).contains("\"name\":\"example.sampan.io\"");
        JsonNode resources = api.get("/apis/example.sampan.io/v1").body().path("resources");
        List<String> names = new ArrayList<>();
        resources.forEach(r -> names.add(r.path("name").asText()));
        assertThat(names).containsExactly("widgets", "widgets/status", "widgets/scale");
        assertThat(resources.get(0).path("shortNames").toString()).isEqualTo("[\"wd\"]");
        assertThat(resources.get(0).path("categories").toString()).isEqualTo("[\"sampan\"]");
        assertThat(resources.get(0).path("singularName").asText()).isEqualTo("widget");

        SandboxHttp.Response badName = api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                json(WIDGETS.replace("name: widgets.example.sampan.io", "name: gadgets.example.sampan.io")));
        assertThat(badName.code()).isEqualTo(422);
        assertThat(badName.message()).contains("metadata.name: Invalid value: \"gadgets.example.sampan.io\": must be spec.names.plural+\".\"+spec.group");
    }

    @Test
    void customResourcesAreValidatedAndPrunedAgainstTheSchema() throws Exception {
        installOnce();
        namespace("val");
        String widgets = "/apis/example.sampan.io/v1/namespaces/val/widgets";
        SandboxHttp.Response wrongType = api.post(widgets, widget("w", "{\"color\":\"red\",\"replicas\":\"three\"}"));
        assertThat(wrongType.code()).isEqualTo(422);
        assertThat(wrongType.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(wrongType.message()).isEqualTo("Widget.example.sampan.io \"w\" is invalid: spec.replicas: Invalid value: \"three\": spec.replicas in "
                + "body must be of type integer: \"string\"");
        assertThat(api.post(widgets, widget("w", "{\"replicas\":11,\"color\":\"pink\"}")).message()).isEqualTo("Widget.example.sampan.io \"w\" is "
                + "invalid: [spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10, spec.color: Unsupported value: "
                + "\"pink\": supported values: \"red\", \"green\", \"blue\"]");
        assertThat(api.post(widgets, widget("w", "{\"replicas\":1}")).message()).endsWith("spec.color: Required value");
        assertThat(api.post(widgets, widget("Bad_Name", "{\"color\":\"red\"}")).message()).startsWith("Widget.example.sampan.io \"Bad_Name\" is "
                + "invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of");

        SandboxHttp.Response strict = api.post(widgets + "?fieldValidation=Strict", widget("w", "{\"color\":\"red\",\"colour\":\"red\"}"));
        assertThat(strict.code()).isEqualTo(400);
        assertThat(strict.message()).isEqualTo("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.colour\"");
        SandboxHttp.Response pruned = api.post(widgets, widget("w", "{\"color\":\"red\",\"colour\":\"red\",\"labels\":{\"a\":\"b\"},\"extra\":{\"any\":"
                + "{\"thing\":1}}}"));
        assertThat(pruned.code()).isEqualTo(201);
        assertThat(pruned.body().path("spec").toString()).isEqualTo("{\"color\":\"red\",\"labels\":{\"a\":\"b\"},\"extra\":{\"any\":{\"thing\":1}}}");
        assertThat(api.get(widgets + "/w").body().path("spec").has("colour")).isFalse();

        SandboxHttp.Response badUpdate = api.patch(widgets + "/w", "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}");
        assertThat(badUpdate.code()).isEqualTo(422);
        assertThat(badUpdate.message()).endsWith("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
    }

    @Test
    void statusScalePatchesAndWatches() throws Exception {
        installOnce();
        namespace("use");
        String widgets = "/apis/example.sampan.io/v1/namespaces/use/widgets";
        JsonNode created = api.post(widgets, "{\"apiVersion\":\"example.sampan.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"color\":\"red\",\"replicas\":1},\"status\":{\"ready\":\"yes\"}}").body();
        assertThat(created.has("status")).as("status is set through its subresource only").isFalse();
        BlockingQueue<JsonNode> events = api.watch(widgets + "?resourceVersion=" + created.path("metadata").path("resourceVersion").asText());

        JsonNode status = api.patch(widgets + "/w/status", "application/merge-patch+json", "{\"status\":{\"ready\":\"yes\",\"replicas\":1},"
                + "\"spec\":{\"color\":\"blue\"}}").body();
        assertThat(status.path("status").path("ready").asText()).isEqualTo("yes");
        assertThat(status.path("spec").path("color").asText()).as("a status write changes only the status").isEqualTo("red");
        assertThat(SandboxHttp.next(events)).isEqualTo("MODIFIED w");
        JsonNode main = api.patch(widgets + "/w", "application/merge-patch+json", "{\"status\":{\"ready\":\"no\"},\"spec\":{\"color\":\"green\"}}").body();
        assertThat(main.path("status").path("ready").asText()).as("a main write keeps the status").isEqualTo("yes");
        assertThat(main.path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(SandboxHttp.next(events)).isEqualTo("MODIFIED w");

        assertThat(api.patch(widgets + "/w", "application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/spec/color\",\"value\":\"blue\"}]").body()
                .path("spec").path("color").asText()).isEqualTo("blue");
        SandboxHttp.Response strategic = api.patch(widgets + "/w", "application/strategic-merge-patch+json", "{\"spec\":{\"color\":\"red\"}}");
        assertThat(strategic.code()).isEqualTo(415);
        String config = "apiVersion: example.sampan.io/v1\nkind: Widget\nmetadata: {name: w}\nspec: {color: green, replicas: 2}\n";
        SandboxHttp.Response conflict = api.patch(widgets + "/w?fieldManager=me", "application/apply-patch+yaml", config);
        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.message()).startsWith("Apply failed with 2 conflicts: conflicts with \"Java-http-client\" using example.sampan.io/v1:");
        SandboxHttp.Response applied = api.patch(widgets + "/w?fieldManager=me&force=true", "application/apply-patch+yaml", config);
        assertThat(applied.body().path("spec").path("replicas").asInt()).isEqualTo(2);

        JsonNode scale = api.get(widgets + "/w/scale").body();
        assertThat(scale.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(scale.path("status").path("replicas").asInt()).isEqualTo(1);
        api.patch(widgets + "/w/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":4}}");
        assertThat(api.get(widgets + "/w").body().path("spec").path("replicas").asInt()).isEqualTo(4);
    }

    @Test
    void deletingTheCrdDeletesItsObjectsAndTheType() throws Exception {
        String crd = WIDGETS.replace("widgets", "gizmos").replace("widget", "gizmo").replace("Widget", "Gizmo").replace("[wd]", "[gz]");
        install(crd);
        namespace("gz");
        String gizmos = "/apis/example.sampan.io/v1/namespaces/gz/gizmos";
        assertThat(api.post(gizmos, widget("g", "{\"color\":\"red\"}").replace("Widget", "Gizmo")).code()).isEqualTo(201);
        BlockingQueue<JsonNode> events = api.watch(gizmos + "?resourceVersion=" + api.get(gizmos).body().path("metadata").path("resourceVersion").asText());
        SandboxHttp.Response deleted = api.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.sampan.io");
        assertThat(deleted.code()).isEqualTo(202);
        assertThat(SandboxHttp.next(events)).isEqualTo("DELETED g");
        assertThat(api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.sampan.io").code()).isEqualTo(404);
        assertThat(api.get(gizmos).code()).isEqualTo(404);
        List<String> names = new ArrayList<>();
        api.get("/apis/example.sampan.io/v1").body().path("resources").forEach(r -> names.add(r.path("name").asText()));
        assertThat(names).doesNotContain("gizmos");
    }

    @Test
    void theFabric8GenericClientWorksWithCustomResources() throws Exception {
        installOnce();
        namespace("f8");
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(api.cluster.kubeconfig());
        config.setOnlyHttpWatches(true);
        try (io.fabric8.kubernetes.client.KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
                .build()) {
            var widgets = client.genericKubernetesResources("example.sampan.io/v1", "Widget").inNamespace("f8");
            io.fabric8.kubernetes.api.model.GenericKubernetesResource w = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion("example.sampan.io/v1").withKind("Widget").withNewMetadata().withName("fw").withNamespace("f8").endMetadata()
                    .addToAdditionalProperties("spec", java.util.Map.of("color", "blue", "replicas", 3)).build();
            widgets.resource(w).fieldManager("sampan").forceConflicts().serverSideApply();
            assertThat(widgets.list().getItems()).extracting(x -> x.getMetadata().getName()).containsExactly("fw");
            assertThat(widgets.withName("fw").get().<Integer>get("spec", "replicas")).isEqualTo(3);
            widgets.withName("fw").scale(5);
            assertThat(widgets.withName("fw").get().<Integer>get("spec", "replicas")).as("through the scale subresource").isEqualTo(5);
            assertThat(widgets.withName("fw").delete()).hasSize(1);
            assertThat(widgets.withName("fw").get()).isNull();
        }
    }

    private static synchronized void installOnce() throws Exception {
        if (api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.sampan.io").code() == 404) {
            install(WIDGETS);
        }
    }

    @Test
    void kubectlWithWidgetsAndHttpRoutes() throws Exception {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        assertThat(api.kubectl("apply", "-f", api.file("crds.yaml", HTTP_ROUTES + "---\n" + WIDGETS.replace("widgets", "doodads")
                .replace("widget", "doodad").replace("Widget", "Doodad").replace("[wd]", "[dd]")).toString()).out())
                .contains("customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io created")
                .contains("customresourcedefinition.apiextensions.k8s.io/doodads.example.sampan.io created");
        assertThat(api.kubectl("wait", "--for", "condition=established", "--timeout=10s", "crd/doodads.example.sampan.io").out())
                .contains("customresourcedefinition.apiextensions.k8s.io/doodads.example.sampan.io condition met");
        assertThat(api.kubectl("api-resources", "--api-group=example.sampan.io").out()).containsPattern("doodads\\s+dd\\s+example.sampan.io/v1\\s+"
                + "true\\s+Doodad");
        namespace("kc");
        Path doodad = api.file("doodad.yaml", """
                apiVersion: example.sampan.io/v1
                kind: Doodad
                metadata: {name: d1, namespace: kc}
                spec: {color: red, replicas: 2}
                """);
        assertThat(api.kubectl("apply", "-f", doodad.toString()).out()).contains("doodad.example.sampan.io/d1 created");
        assertThat(api.kubectl("get", "dd", "-n", "kc").out()).containsPattern("NAME\\s+COLOR\\s+REPLICAS\\s+READY\\s+AGE")
                .containsPattern("d1\\s+red\\s+2\\s+\\d+s"); // no status yet: READY blank
        assertThat(api.kubectl("get", "sampan", "-n", "kc", "-o", "name").out()).contains("doodad.example.sampan.io/d1");
        assertThat(api.kubectl("apply", "-f", api.file("doodad2.yaml", Files.readString(doodad).replace("replicas: 2", "replicas: 3")).toString())
                .out()).contains("doodad.example.sampan.io/d1 configured");
        assertThat(api.kubectl("apply", "--server-side", "-f", doodad.toString()).out()).as("replicas is kubectl-client-side-apply's")
                .contains("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using example.sampan.io/v1: .spec.replicas");
        assertThat(api.kubectl("apply", "--server-side", "-f", dir.resolve("doodad2.yaml").toString()).out())
                .contains("doodad.example.sampan.io/d1 serverside-applied");
        assertThat(api.kubectl("patch", "dd", "d1", "-n", "kc", "--type", "merge", "-p", "{\"spec\":{\"color\":\"blue\"}}").out()).contains("patched");
        assertThat(api.kubectl("patch", "dd", "d1", "-n", "kc", "-p", "{\"spec\":{\"color\":\"green\"}}").out())
                .contains("the body of the request was in an unknown format");
        assertThat(api.kubectl("scale", "dd", "d1", "-n", "kc", "--replicas=5").out()).contains("doodad.example.sampan.io/d1 scaled");
        assertThat(api.kubectl("get", "doodad", "d1", "-n", "kc", "-o", "jsonpath={.spec.color} {.spec.replicas}").out()).isEqualTo("blue 5");
        SandboxHttp.Run invalid = api.kubectl("apply", "-f", api.file("bad.yaml", Files.readString(doodad).replace("d1", "bad")
                .replace("replicas: 2", "replicas: three")).toString());
        assertThat(invalid.code()).isNotZero();
        assertThat(invalid.out()).contains("The Doodad \"bad\" is invalid: spec.replicas: Invalid value: \"three\": spec.replicas in body must be of type "
                + "integer: \"string\"");

        Path route = api.file("route.yaml", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: shop, namespace: kc}
                spec:
                  parentRefs: [{name: public}]
                  hostnames: [shop.example.com]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /}}]
                    backendRefs: [{name: shop, port: 8080}]
                """);
        assertThat(api.kubectl("apply", "-f", route.toString()).out()).contains("httproute.gateway.networking.k8s.io/shop created");
        assertThat(api.kubectl("get", "httproutes", "-n", "kc").out()).containsPattern("NAME\\s+HOSTNAMES\\s+AGE")
                .containsPattern("shop\\s+\\[\"shop.example.com\"\\]\\s+\\d+s");
        assertThat(api.kubectl("get", "httproute", "shop", "-n", "kc", "-o", "jsonpath={.spec.parentRefs[0].group}/{.spec.parentRefs[0].kind} "
                + "{.spec.rules[0].backendRefs[0].weight}").out()).as("the schema's defaults").isEqualTo("gateway.networking.k8s.io/Gateway 1");
        assertThat(api.kubectl("get", "crds").out()).containsPattern("NAME\\s+CREATED AT")
                .containsPattern("httproutes.gateway.networking.k8s.io\\s+2026-12-01T10:00:00Z");
        assertThat(api.kubectl("get", "httproutes.v1beta1.gateway.networking.k8s.io", "shop", "-n", "kc", "-o", "jsonpath={.apiVersion} "
                + "{.spec.hostnames[0]}").out()).as("one object, served in every version").isEqualTo("gateway.networking.k8s.io/v1beta1 shop.example.com");
        JsonNode beta = api.get("/apis/gateway.networking.k8s.io/v1beta1/namespaces/kc/httproutes").body();
        assertThat(beta.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1beta1");
        assertThat(beta.path("items").get(0).path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1beta1");
        assertThat(api.get("/apis/gateway.networking.k8s.io/v1/namespaces/kc/httproutes/shop").body().path("apiVersion").asText())
                .isEqualTo("gateway.networking.k8s.io/v1");
        SandboxHttp.Run badPort = api.kubectl("apply", "-f", api.file("route2.yaml", Files.readString(route).replace("8080", "80800")).toString());
        assertThat(badPort.out()).contains("spec.rules[0].backendRefs[0].port: Invalid value: 80800: spec.rules[0].backendRefs[0].port in body should be "
                + "less than or equal to 65535");
        assertThat(api.kubectl("get", "gateway-api", "-n", "kc", "-o", "name").out()).contains("httproute.gateway.networking.k8s.io/shop");

        try (SandboxHttp.Running watch = api.kubectlRunning("get", "dd", "-n", "kc", "-w")) {
            assertThat(watch.await("COLOR")).containsPattern("NAME\\s+COLOR\\s+REPLICAS\\s+READY\\s+AGE");
            assertThat(watch.await("d1")).containsPattern("d1\\s+blue\\s+5");
            api.kubectl("patch", "dd", "d1", "-n", "kc", "--type", "merge", "-p", "{\"spec\":{\"color\":\"green\"}}");
            assertThat(watch.await("d1")).as("a watch event printed with the CRD's columns").containsPattern("d1\\s+green\\s+5");
        }
        assertThat(api.kubectl("delete", "crd", "doodads.example.sampan.io").out()).contains("deleted");
        // with its discovery cache kubectl still knows "dd" and gets the API server's 404; without, it does not know the name
        assertThat(api.kubectl("get", "dd", "-n", "kc").out()).containsAnyOf("the server could not find the requested resource",
                "the server doesn't have a resource type \"dd\"");
        assertThat(api.kubectl("get", "httproutes", "-n", "kc", "-o", "name").out()).as("the other CRD is untouched").contains("shop");
    }
}
