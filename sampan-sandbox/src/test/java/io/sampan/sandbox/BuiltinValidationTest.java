package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Malformed built-in objects are refused as the API server refuses them (422 Invalid with causes, 400 for JSON type errors), never stored. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BuiltinValidationTest {
    @TempDir
    static Path dir;
    static SandboxHttp api;

    @BeforeAll
    static void start() {
        api = new SandboxHttp("validation", dir);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static String deployment(String name, String replicas, String selectorApp, String templateApp, String container) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":%s,"selector":{"matchLabels":{"app":"%s"}},
                   "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[%s]}}}}"""
                .formatted(name, replicas, selectorApp, templateApp, container);
    }

    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

    @Test
    void aContainerWithoutImageIsInvalidWithItsFieldPath() {
        SandboxHttp.Response r = api.post(DEPLOYMENTS, deployment("web", "2", "web", "web", "{\"name\":\"web\"}"));
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(r.message()).isEqualTo("Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value");
        assertThat(r.body().path("details").path("causes").get(0).path("field").asText()).isEqualTo("spec.template.spec.containers[0].image");
        assertThat(r.body().path("details").path("causes").get(0).path("reason").asText()).isEqualTo("FieldValueRequired");
        assertThat(api.get(DEPLOYMENTS + "/web").code()).isEqualTo(404);
    }

    @Test
    void aSelectorThatDoesNotMatchTheTemplateIsInvalid() {
        SandboxHttp.Response r = api.post(DEPLOYMENTS, deployment("web2", "2", "web", "api", "{\"name\":\"web\",\"image\":\"nginx\"}"));
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.message()).isEqualTo("Deployment.apps \"web2\" is invalid: spec.template.metadata.labels: Invalid value: "
                + "map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`");
        SandboxHttp.Response noSelector = api.post(DEPLOYMENTS, """
                {"metadata":{"name":"nosel"},"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
        assertThat(noSelector.message()).contains("spec.selector: Required value");
        SandboxHttp.Response negative = api.post(DEPLOYMENTS, deployment("neg", "-1", "web", "web", "{\"name\":\"web\",\"image\":\"nginx\"}"));
        assertThat(negative.message()).contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void aJsonTypeErrorIsABadRequestAsTheGoDecoderWordsIt() {
        SandboxHttp.Response r = api.post(DEPLOYMENTS, deployment("web3", "\"three\"", "web", "web", "{\"name\":\"web\",\"image\":\"nginx\"}"));
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(r.message()).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string "
                + "into Go struct field DeploymentSpec.spec.replicas of type int32");
        SandboxHttp.Response cm = api.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"n\":1}}");
        assertThat(cm.code()).isEqualTo(400);
        assertThat(cm.message()).contains("cannot unmarshal number into Go struct field ConfigMap.data of type string");
        SandboxHttp.Response secret = api.post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"no!base64\"}}");
        assertThat(secret.code()).isEqualTo(400);
        assertThat(secret.message()).isEqualTo("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 2");
        SandboxHttp.Response cpu = api.post("/api/v1/namespaces/default/pods", """
                {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"lots"}}}]}}""");
        assertThat(cpu.code()).isEqualTo(400);
        assertThat(cpu.message()).contains("quantities must match the regular expression");
    }

    @Test
    void podsNeedContainersWithNamesAndValidPorts() {
        SandboxHttp.Response none = api.post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"empty\"},\"spec\":{\"containers\":[]}}");
        assertThat(none.message()).isEqualTo("Pod \"empty\" is invalid: spec.containers: Required value");
        SandboxHttp.Response several = api.post("/api/v1/namespaces/default/pods", """
                {"metadata":{"name":"two"},"spec":{"containers":[{"name":"a","image":"i","ports":[{"containerPort":0}]},{"name":"a","image":"i"}]}}""");
        assertThat(several.code()).isEqualTo(422);
        assertThat(several.message()).isEqualTo("Pod \"two\" is invalid: [spec.containers[0].ports[0].containerPort: Invalid value: 0: must be "
                + "between 1 and 65535, inclusive, spec.containers[1].name: Duplicate value: \"a\"]");
        assertThat(several.body().path("details").path("causes")).hasSize(2);
    }

    @Test
    void namesLabelsAndAnnotationsFollowKubernetesSyntax() {
        SandboxHttp.Response name = api.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"Web_1\"}}");
        assertThat(name.code()).isEqualTo(422);
        assertThat(name.message()).startsWith("ConfigMap \"Web_1\" is invalid: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain");
        SandboxHttp.Response ns = api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"a.b\"}}");
        assertThat(ns.message()).contains("metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label");
        SandboxHttp.Response svc = api.post("/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"1svc\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        assertThat(svc.message()).contains("a DNS-1035 label");
        SandboxHttp.Response label = api.post("/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"name\":\"l\",\"labels\":{\"app\":\"has space\"},\"annotations\":{\"Bad_Prefix/x\":\"ok\"}}}");
        assertThat(label.code()).isEqualTo(422);
        assertThat(label.body().path("details").path("causes")).hasSize(2);
        assertThat(label.message()).contains("metadata.labels: Invalid value: \"has space\"").contains("metadata.annotations: Invalid value: "
                + "\"Bad_Prefix/x\": prefix part a lowercase RFC 1123 subdomain");
    }

    @Test
    void servicesIngressesAndAutoscalers() {
        SandboxHttp.Response noPorts = api.post("/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"svc\"},\"spec\":{\"selector\":{\"a\":\"b\"}}}");
        assertThat(noPorts.message()).isEqualTo("Service \"svc\" is invalid: spec.ports: Required value");
        assertThat(api.post("/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"headless\"},\"spec\":{\"clusterIP\":\"None\"}}").code())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/namespaces/default/services",
                "{\"metadata\":{\"name\":\"ext\"},\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}}").code()).isEqualTo(201);
        SandboxHttp.Response bigPort = api.post("/api/v1/namespaces/default/services",
                "{\"metadata\":{\"name\":\"big\"},\"spec\":{\"ports\":[{\"port\":70000}]}}");
        assertThat(bigPort.message()).contains("spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive");
        SandboxHttp.Response ingress = api.post("/apis/networking.k8s.io/v1/namespaces/default/ingresses", """
                {"metadata":{"name":"ing"},"spec":{"rules":[{"host":"shop.test","http":{"paths":[{"path":"/","backend":{"service":{"name":"web"}}}]}}]}}""");
        assertThat(ingress.code()).isEqualTo(422);
        assertThat(ingress.message()).contains("spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")
                .contains("spec.rules[0].http.paths[0].backend.service.port: Invalid value");
        SandboxHttp.Response hpa = api.post("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", """
                {"metadata":{"name":"h"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":5,"maxReplicas":2}}""");
        assertThat(hpa.message()).isEqualTo("HorizontalPodAutoscaler.autoscaling \"h\" is invalid: spec.minReplicas: Invalid value: 5: must be less "
                + "than or equal to maxReplicas");
    }

    @Test
    void updatesAndPatchesAreValidatedToo() {
        assertThat(api.post(DEPLOYMENTS, deployment("ok", "1", "ok", "ok", "{\"name\":\"web\",\"image\":\"nginx\"}")).code()).isEqualTo(201);
        SandboxHttp.Response patch = api.patch(DEPLOYMENTS + "/ok", "application/merge-patch+json", "{\"spec\":{\"replicas\":-3}}");
        assertThat(patch.code()).isEqualTo(422);
        assertThat(patch.message()).isEqualTo("Deployment.apps \"ok\" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0");
        SandboxHttp.Response put = api.put(DEPLOYMENTS + "/ok", deployment("ok", "1", "ok", "ok", "{\"name\":\"web\",\"image\":\"\"}"));
        assertThat(put.code()).isEqualTo(422);
        assertThat(api.get(DEPLOYMENTS + "/ok").body().path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void aSelectorCannotChangeNorAStatefulSetsClaimTemplates() {
        assertThat(api.post(DEPLOYMENTS, deployment("fixed", "1", "a", "a", "{\"name\":\"web\",\"image\":\"nginx\"}")).code()).isEqualTo(201);
        SandboxHttp.Response moved = api.put(DEPLOYMENTS + "/fixed", deployment("fixed", "1", "b", "b", "{\"name\":\"web\",\"image\":\"nginx\"}"));
        assertThat(moved.code()).isEqualTo(422);
        assertThat(moved.message()).isEqualTo("Deployment.apps \"fixed\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
                + "map[string]string{\"app\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        String sets = "/apis/apps/v1/namespaces/default/statefulsets";
        String set = """
                {"metadata":{"name":"db"},"spec":{"serviceName":"db","replicas":1,"selector":{"matchLabels":{"app":"db"}},
                 "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:16"}]}},
                 "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],
                   "resources":{"requests":{"storage":"%s"}}}}]}}""";
        assertThat(api.post(sets, set.formatted("1Gi")).code()).isEqualTo(201);
        assertThat(api.put(sets + "/db", set.formatted("1Gi").replace("\"replicas\":1", "\"replicas\":2")).code()).isEqualTo(200);
        SandboxHttp.Response bigger = api.put(sets + "/db", set.formatted("5Gi"));
        assertThat(bigger.code()).isEqualTo(422);
        assertThat(bigger.message()).isEqualTo("StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other "
                + "than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                + "'minReadySeconds' are forbidden");
    }

    @Test
    void kubectlPrintsTheInvalidMessage() throws Exception {
        assumeTrue(SandboxHttp.kubectlInstalled());
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad}
                spec:
                  selector: {matchLabels: {app: bad}}
                  template:
                    metadata: {labels: {app: bad}}
                    spec:
                      containers: [{name: web}]
                """);
        SandboxHttp.Run run = api.kubectl("apply", "--server-side", "-f", file.toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.out()).contains("The Deployment \"bad\" is invalid: spec.template.spec.containers[0].image: Required value");
    }
}
