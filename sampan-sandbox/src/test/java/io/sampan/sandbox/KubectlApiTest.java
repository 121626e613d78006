package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sampan.sandbox.junit.SandboxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl commands that need more than reading and writing objects: aggregated discovery (kubectl
 * asks {@code /api} and {@code /apis} and nothing per group-version), {@code kubectl autoscale}
 * (autoscaling/v1, stored as v2), {@code kubectl create token} (the TokenRequest subresource) and
 * the DATA columns of ConfigMaps and Secrets.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KubectlApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.clusters(1).manualClock().name("kubectl-api");
    static SandboxCluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void kubeconfig() {
        assumeTrue(Kubectl.installed(), "kubectl installed");
        cluster = SANDBOX.cluster(0);
        cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    static Kubectl.Run kubectl(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--cache-dir", dir.resolve("cache").toString()));
        all.addAll(List.of(args));
        return new Kubectl(dir).run(all.toArray(String[]::new));
    }

    static Kubectl.Run ok(Kubectl.Run run) {
        assertThat(run.code()).as(run.out()).isZero();
        return run;
    }

    @Test
    void discoveryIsAggregatedSoKubectlAsksTwice() throws Exception {
        Kubectl.Run run = ok(new Kubectl(dir).run("--cache-dir", dir.resolve("fresh-cache").toString(), "api-resources", "-v=6"));
        String base = cluster.url();
        assertThat(run.out()).contains("GET " + base + "/api?timeout").contains("GET " + base + "/apis?timeout");
        assertThat(run.out()).as("no legacy discovery per group-version").doesNotContainPattern("GET \\S+/apis?/[^?\\s]+\\?timeout");
        assertThat(run.out()).containsPattern("\\npods\\s+po\\s+v1\\s+true\\s+Pod\\n")
                .containsPattern("\\nhorizontalpodautoscalers\\s+hpa\\s+autoscaling/v2\\s+true\\s+HorizontalPodAutoscaler\\n")
                .containsPattern("\\ndeployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\n")
                .containsPattern("\\nnamespaces\\s+ns\\s+v1\\s+false\\s+Namespace\\n");

        HttpResponse<String> apis = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/apis"))
                .header("Accept", Discovery.AGGREGATED + ",application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(apis.headers().firstValue("Content-Type")).hasValue(Discovery.AGGREGATED);
        JsonNode autoscaling = null;
        for (JsonNode group : JSON.readTree(apis.body()).path("items")) {
            if (group.path("metadata").path("name").asText().equals("autoscaling")) {
                autoscaling = group;
            }
        }
        assertThat(autoscaling).isNotNull();
        assertThat(autoscaling.path("versions").get(0).path("version").asText()).as("the preferred version first").isEqualTo("v2");
        assertThat(autoscaling.path("versions").get(1).path("version").asText()).isEqualTo("v1");
        JsonNode hpa = autoscaling.path("versions").get(0).path("resources").get(0);
        assertThat(hpa.path("resource").asText()).isEqualTo("horizontalpodautoscalers");
        assertThat(hpa.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(hpa.path("subresources").get(0).path("subresource").asText()).isEqualTo("status");
    }

    @Test
    void autoscaleMakesAnHpaServedInBothVersions() throws Exception {
        ok(kubectl("create", "deployment", "shop", "--image=nginx:1.27"));
        assertThat(ok(kubectl("autoscale", "deployment", "shop", "--max", "5", "--cpu-percent", "80")).out())
                .contains("horizontalpodautoscaler.autoscaling/shop autoscaled");
        assertThat(ok(kubectl("get", "hpa", "shop")).out()).containsPattern("shop\\s+Deployment/shop\\s+cpu: <unknown>/80%\\s+1\\s+5\\s+");
        assertThat(ok(kubectl("get", "horizontalpodautoscalers.v2.autoscaling", "shop", "-o",
                "jsonpath={.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.averageUtilization}")).out()).isEqualTo("cpu 80");
        ok(kubectl("patch", "hpa", "shop", "--type", "merge", "-p", "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":60}}}}"));

        ok(kubectl("patch", "horizontalpodautoscalers.v1.autoscaling", "shop", "--type", "merge", "-p",
                "{\"spec\":{\"targetCPUUtilizationPercentage\":60,\"maxReplicas\":7}}"));
        assertThat(ok(kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "shop", "-o",
                "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.maxReplicas} {.spec.metrics}")).out())
                .isEqualTo("autoscaling/v1 60 7 ");
        assertThat(ok(kubectl("get", "hpa", "shop", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization} "
                + "{.spec.behavior.scaleDown.stabilizationWindowSeconds}")).out()).as("what v1 cannot say is kept").isEqualTo("60 60");
    }

    @Test
    void createTokenIssuesAServiceAccountToken() throws Exception {
        ok(kubectl("create", "serviceaccount", "robot"));
        String uid = ok(kubectl("get", "serviceaccount", "robot", "-o", "jsonpath={.metadata.uid}")).out();
        String token = ok(kubectl("create", "token", "robot", "--duration", "20m", "--audience", "vault")).out().trim();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:default:robot");
        assertThat(claims.path("aud").get(0).asText()).isEqualTo("vault");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1200);
        assertThat(claims.path("iat").asLong()).isEqualTo(cluster.store().now().getEpochSecond()); // the cluster's (manual) clock
        assertThat(claims.path("kubernetes.io").path("serviceaccount").path("uid").asText()).isEqualTo(uid);
        JsonNode header = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");

        Kubectl.Run missing = kubectl("create", "token", "nobody");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.out()).contains("serviceaccounts \"nobody\" not found");
        Kubectl.Run tooShort = kubectl("create", "token", "robot", "--duration", "5m");
        assertThat(tooShort.code()).isNotZero();
        assertThat(tooShort.out()).contains("TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid value: 300: "
                + "may not specify a duration less than 10 minutes");
    }

    @Test
    void configMapsAndSecretsShowHowManyKeysTheyHold() throws Exception {
        ok(kubectl("create", "configmap", "settings", "--from-literal=colour=blue", "--from-literal=size=3"));
        Path secret = new Kubectl(dir).manifest("secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                type: kubernetes.io/basic-auth
                stringData: {username: admin, password: hunter2}
                """);
        ok(kubectl("apply", "-f", secret.toString()));
        ok(kubectl("create", "secret", "generic", "token", "--from-literal=value=x"));
        assertThat(ok(kubectl("get", "configmap", "settings")).out()).containsPattern("NAME\\s+DATA\\s+AGE\\n").containsPattern("settings\\s+2\\s+");
        String secrets = ok(kubectl("get", "secrets")).out();
        assertThat(secrets).containsPattern("NAME\\s+TYPE\\s+DATA\\s+AGE\\n").containsPattern("creds\\s+kubernetes.io/basic-auth\\s+2\\s+")
                .containsPattern("token\\s+Opaque\\s+1\\s+");
        assertThat(ok(kubectl("get", "secret", "creds", "-o", "jsonpath={.data.username} {.stringData}")).out())
                .as("stringData is merged into data").isEqualTo("YWRtaW4= ");
    }
}
