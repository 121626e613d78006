package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl 1.32 against the sandbox, with its output checked (skipped where kubectl is not installed). */
class KubectlTest {
    static SandboxCluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("kubectl");
        cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }


    static Kubectl.Run kubectl(String... args) throws IOException, InterruptedException {
        return new Kubectl(dir).run(args);
    }

    @Test
    void everydayKubectl() throws Exception {
        assumeTrue(Kubectl.installed(), "kubectl installed");
        Path manifest = dir.resolve("app.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default, labels: {app: shop}}
                data: {mode: fast}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default, labels: {app: shop}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "r/web:1"}]}
                """);
        Kubectl.Run applied = kubectl("apply", "--server-side", "--validate=false", "-f", manifest.toString());
        assertThat(applied.out()).contains("configmap/settings serverside-applied").contains("deployment.apps/web serverside-applied");
        assertThat(kubectl("get", "deploy", "-n", "default").out()).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
                .containsPattern("web\\s+2/2\\s+2\\s+2\\s+\\d+s");
        assertThat(kubectl("get", "cm", "-l", "app=shop", "-A").out()).contains("settings").doesNotContain("kube-root");
        Kubectl.Run yaml = kubectl("get", "cm", "settings", "-o", "yaml");
        assertThat(yaml.out()).contains("mode: fast").contains("resourceVersion:");
        assertThat(kubectl("scale", "deploy/web", "--replicas=5").out()).contains("deployment.apps/web scaled");
        assertThat(kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("5");
        assertThat(kubectl("label", "cm", "settings", "tier=db").out()).contains("configmap/settings labeled");
        assertThat(kubectl("patch", "cm", "settings", "--type", "merge", "-p", "{\"data\":{\"mode\":\"safe\"}}").out()).contains("patched");
        assertThat(kubectl("patch", "deploy", "web", "--type", "strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"r/web:2\"}]}}}}").out()).contains("patched");
        assertThat(kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out()).isEqualTo("r/web:2");
        assertThat(kubectl("get", "ns").out()).contains("default").contains("kube-system");
        assertThat(kubectl("create", "namespace", "team-a").out()).as("typed kubectl commands send protobuf (see KubectlCreateTest)")
                .contains("namespace/team-a created");
        assertThat(kubectl("api-resources").out()).contains("deployments").contains("deploy").contains("apps/v1");
        assertThat(kubectl("delete", "-f", manifest.toString()).out()).contains("deleted");
        assertThat(kubectl("get", "cm", "settings").code()).isNotZero();
    }
}
