package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's typed {@code create} commands, which send protobuf bodies: each creates what it says, with
 * the fields kubectl set (and nothing from protobuf's zero values).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubectlCreateTest {
    @TempDir
    static Path dir;
    static SandboxHttp api;

    @BeforeAll
    static void start() {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        api = new SandboxHttp("create", dir);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static void ok(SandboxHttp.Run run, String expected) {
        assertThat(run.out()).contains(expected);
        assertThat(run.code()).isZero();
    }

    @Test
    void namespaceConfigMapSecretAndServiceAccount() {
        ok(api.kubectl("create", "namespace", "team"), "namespace/team created");
        JsonNode ns = api.get("/api/v1/namespaces/team").body();
        assertThat(ns.path("status").path("phase").asText()).isEqualTo("Active");
        assertThat(ns.path("metadata").has("generateName")).as("protobuf's empty strings are not fields").isFalse();
        ok(api.kubectl("create", "configmap", "settings", "-n", "team", "--from-literal=colour=blue", "--from-literal=size=3"),
                "configmap/settings created");
        JsonNode cm = api.get("/api/v1/namespaces/team/configmaps/settings").body();
        assertThat(cm.path("data").path("colour").asText()).isEqualTo("blue");
        assertThat(cm.path("data").path("size").asText()).isEqualTo("3");
        ok(api.kubectl("create", "secret", "generic", "db", "-n", "team", "--from-literal=password=hunter2"), "secret/db created");
        JsonNode secret = api.get("/api/v1/namespaces/team/secrets/db").body();
        assertThat(secret.path("data").path("password").asText()).isEqualTo("aHVudGVyMg==");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
        ok(api.kubectl("create", "serviceaccount", "bot", "-n", "team"), "serviceaccount/bot created");
        ok(api.kubectl("create", "quota", "small", "-n", "team", "--hard=pods=10,requests.cpu=2"), "resourcequota/small created");
        JsonNode quota = api.get("/api/v1/namespaces/team/resourcequotas/small").body();
        assertThat(quota.path("spec").path("hard").path("pods").asText()).isEqualTo("10");
        assertThat(quota.path("spec").path("hard").path("requests.cpu").asText()).isEqualTo("2");
    }

    @Test
    void deploymentWithReplicasPortAndItsPods() {
        ok(api.kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=8080"), "deployment.apps/web created");
        JsonNode d = api.get("/apis/apps/v1/namespaces/default/deployments/web").body();
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(d.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("web");
        JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(c.path("name").asText()).isEqualTo("nginx");
        assertThat(c.path("image").asText()).isEqualTo("nginx:1.27");
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(c.path("ports").get(0).has("hostPort")).isFalse();
        api.cluster.simulation().advance(java.time.Duration.ofSeconds(30));
        assertThat(api.kubectl("get", "deployment", "web").out()).contains("2/2");
        ok(api.kubectl("create", "deployment", "idle", "--image=nginx", "--replicas=0"), "deployment.apps/idle created");
        assertThat(api.get("/apis/apps/v1/namespaces/default/deployments/idle").body().path("spec").path("replicas").isInt()).isTrue();
        assertThat(api.get("/apis/apps/v1/namespaces/default/deployments/idle").body().path("spec").path("replicas").asInt()).isZero();
        SandboxHttp.Run dry = api.kubectl("create", "deployment", "dry", "--image=nginx", "--dry-run=server", "-o", "jsonpath={.metadata.name}");
        ok(dry, "dry");
        assertThat(api.get("/apis/apps/v1/namespaces/default/deployments/dry").code()).isEqualTo(404);
    }

    @Test
    void serviceJobCronJobBudgetAndIngress() {
        ok(api.kubectl("create", "service", "clusterip", "api", "--tcp=80:8080"), "service/api created");
        JsonNode port = api.get("/api/v1/namespaces/default/services/api").body().path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(8080);
        assertThat(port.path("protocol").asText()).isEqualTo("TCP");
        ok(api.kubectl("create", "job", "once", "--image=busybox", "--", "echo", "hi"), "job.batch/once created");
        JsonNode job = api.get("/apis/batch/v1/namespaces/default/jobs/once").body();
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("command").toString()).isEqualTo("[\"echo\",\"hi\"]");
        assertThat(job.path("spec").path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        ok(api.kubectl("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *"), "cronjob.batch/tick created");
        assertThat(api.get("/apis/batch/v1/namespaces/default/cronjobs/tick").body().path("spec").path("schedule").asText()).isEqualTo("*/5 * * * *");
        ok(api.kubectl("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=1"), "poddisruptionbudget.policy/web created");
        JsonNode pdb = api.get("/apis/policy/v1/namespaces/default/poddisruptionbudgets/web").body();
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(1);
        ok(api.kubectl("create", "ingress", "shop", "--rule=shop.test/*=web:80"), "ingress.networking.k8s.io/shop created");
        JsonNode path = api.get("/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop").body().path("spec").path("rules").get(0);
        assertThat(path.path("host").asText()).isEqualTo("shop.test");
        assertThat(path.path("http").path("paths").get(0).path("pathType").asText()).isEqualTo("Prefix");
        assertThat(path.path("http").path("paths").get(0).path("backend").path("service").path("port").path("number").asInt()).isEqualTo(80);
    }

    @Test
    void anInvalidObjectIsRefusedWithTheApiServersMessage() {
        SandboxHttp.Run run = api.kubectl("create", "service", "clusterip", "9lives", "--tcp=80:8080");
        assertThat(run.code()).isNotZero();
        assertThat(run.out()).contains("failed to create ClusterIP service: Service \"9lives\" is invalid: metadata.name: Invalid value: "
                + "\"9lives\": a DNS-1035 label");
    }
}
