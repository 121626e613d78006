package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday kubectl session of the sandbox issue's acceptance list, each output checked: a
 * multi-document server-side apply, a client-side apply of a changed manifest, get in its forms
 * including a watch, describe, annotate, label, scale, the three patch types and delete -f.
 */
class KubectlAcceptanceTest {
    @TempDir
    Path dir;
    SandboxHttp api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    static final String MANIFEST = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shop-config, labels: {app: shop}}
            data: {mode: fast}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop, labels: {app: shop}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  containers:
                  - {name: web, image: "registry.local/shop:1.0", ports: [{containerPort: 8080}], resources: {requests: {cpu: 100m}}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: shop, labels: {app: shop}}
            spec: {selector: {app: shop}, ports: [{port: 80, targetPort: 8080}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, labels: {app: shop}}
            spec:
              rules:
              - host: shop.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: shop, labels: {app: shop}}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
              minReplicas: 2
              maxReplicas: 6
              metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: shop-report, labels: {app: shop}}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: report, image: "registry.local/report:1.0"}]
            """;

    @Test
    void theEverydayKubectlSession() throws Exception {
        assumeTrue(SandboxHttp.kubectlInstalled(), "kubectl installed");
        api = new SandboxHttp("acceptance", dir);
        Path manifest = dir.resolve("shop.yaml");
        Files.writeString(manifest, MANIFEST);

        String applied = api.kubectl("apply", "--server-side", "-n", "default", "-f", manifest.toString()).out();
        assertThat(applied).contains("configmap/shop-config serverside-applied", "deployment.apps/shop serverside-applied",
                "service/shop serverside-applied", "ingress.networking.k8s.io/shop serverside-applied",
                "horizontalpodautoscaler.autoscaling/shop serverside-applied", "cronjob.batch/shop-report serverside-applied");
        api.cluster.simulation().advance(Duration.ofSeconds(5));

        assertThat(api.kubectl("get", "deploy", "-n", "default").out()).containsPattern("shop\\s+2/2\\s+2\\s+2");
        assertThat(api.kubectl("get", "pods", "-n", "default", "-o", "wide").out()).containsPattern("shop-\\S+\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.\\S+\\s+node-");
        assertThat(api.kubectl("get", "all", "-l", "app=shop", "-A").out()).contains("deployment.apps/shop", "service/shop");
        assertThat(api.kubectl("get", "ingress", "shop", "-n", "default").out()).contains("shop.example.com");
        assertThat(api.kubectl("get", "cronjob", "-n", "default").out()).containsPattern("shop-report\\s+0 3 \\* \\* \\*");
        assertThat(api.kubectl("get", "cm", "shop-config", "-n", "default", "-o", "yaml").out()).contains("mode: fast", "resourceVersion:");

        String described = api.kubectl("describe", "deploy/shop", "-n", "default").out();
        assertThat(described).containsPattern("Replicas:\\s+2 desired \\| 2 updated \\| 2 total \\| 2 available \\| 0 unavailable")
                .contains("RollingUpdate", "registry.local/shop:1.0", "NewReplicaSetAvailable", "ScalingReplicaSet");

        // a client-side apply of a changed manifest (kubectl computes a strategic merge patch)
        Path plain = dir.resolve("config.yaml");
        Files.writeString(plain, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes, namespace: default}\ndata: {a: \"1\", b: \"2\"}\n");
        assertThat(api.kubectl("apply", "-f", plain.toString()).out()).contains("configmap/notes created");
        Files.writeString(plain, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes, namespace: default}\ndata: {a: \"1\", c: \"3\"}\n");
        assertThat(api.kubectl("apply", "-f", plain.toString()).out()).contains("configmap/notes configured");
        assertThat(api.kubectl("get", "cm", "notes", "-n", "default", "-o", "jsonpath={.data}").out()).isEqualTo("{\"a\":\"1\",\"c\":\"3\"}");

        try (SandboxHttp.Running watch = api.kubectlRunning("get", "cm", "notes", "-n", "default", "-w")) {
            assertThat(watch.await("^notes\\s")).startsWith("notes");
            assertThat(api.kubectl("patch", "cm", "notes", "-n", "default", "--type", "json", "-p",
                    "[{\"op\":\"add\",\"path\":\"/data/d\",\"value\":\"4\"}]").out()).contains("configmap/notes patched");
            assertThat(watch.await("^notes\\s")).as("the watch shows the change").startsWith("notes");
        }
        assertThat(api.kubectl("annotate", "deploy", "shop", "-n", "default", "team=web").out()).contains("deployment.apps/shop annotated");
        assertThat(api.kubectl("label", "cm", "notes", "-n", "default", "tier=docs").out()).contains("configmap/notes labeled");
        assertThat(api.kubectl("patch", "cm", "notes", "-n", "default", "--type", "merge", "-p", "{\"data\":{\"a\":\"9\"}}").out())
                .contains("patched");
        assertThat(api.kubectl("patch", "deploy", "shop", "-n", "default", "--type", "strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"registry.local/shop:1.1\"}]}}}}").out())
                .contains("deployment.apps/shop patched");
        assertThat(api.kubectl("scale", "deploy/shop", "-n", "default", "--replicas=3").out()).contains("deployment.apps/shop scaled");
        api.cluster.simulation().advance(Duration.ofSeconds(5));
        assertThat(api.kubectl("get", "deploy", "shop", "-n", "default", "-o", "jsonpath={.status.updatedReplicas}/{.status.availableReplicas}").out())
                .isEqualTo("3/3");

        assertThat(api.kubectl("delete", "-n", "default", "-f", manifest.toString()).out()).contains("deployment.apps \"shop\" deleted",
                "cronjob.batch \"shop-report\" deleted");
        assertThat(api.kubectl("get", "deploy", "shop", "-n", "default").code()).isNotZero();
    }
}
