package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl against a 20-node sandbox in zones a, b and c, running 30 times faster than the wall
 * clock: nodes, pods spread over them, rollout status of a healthy and of a crash-looping rollout,
 * rollout undo, logs, cordon and drain.
 */
class KubectlWorkloadsTest {
    static SandboxCluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        assumeTrue(Kubectl.installed(), "kubectl installed");
        cluster = SandboxCluster.start("workloads", 0, Simulation.Options.defaults().withNodes(NodeProfile.uniform(20, List.of("a", "b", "c")))
                .withClock(SimClock.scaled(30)));
        cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }


    static Kubectl.Run kubectl(String... args) throws IOException, InterruptedException {
        return new Kubectl(dir).run(args);
    }

    static Path manifest(String name, String text) throws IOException {
        return new Kubectl(dir).manifest(name, text);
    }

    static String deployment(String name, String image, int replicas, String extra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: default}
                spec:
                  replicas: %d
                  %s
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                      - name: main
                        image: %s
                        resources: {requests: {cpu: 200m, memory: 128Mi}}
                        readinessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 3}
                """.formatted(name, replicas, extra, name, name, image);
    }

    @Test
    void nodesAndPodsSpreadOverThem() throws Exception {
        Kubectl.Run nodes = kubectl("get", "nodes", "-o", "wide");
        assertThat(nodes.code()).as(nodes.out()).isZero();
        assertThat(nodes.out().lines().filter(l -> l.contains(" Ready ")).count()).isEqualTo(20);
        assertThat(nodes.out()).contains("VERSION").contains("v1.32.0");
        Path m = manifest("spread.yaml", deployment("spread", "shop/web:1.0", 12, ""));
        Kubectl.Run applied = kubectl("apply", "-f", m.toString()); // client-side apply with validation: /openapi/v3 says the server validates
        assertThat(applied.code()).as(applied.out()).isZero();
        Kubectl.Run rollout = kubectl("rollout", "status", "deploy/spread", "--timeout=60s");
        assertThat(rollout.out()).contains("successfully rolled out");
        Kubectl.Run pods = kubectl("get", "pods", "-l", "app=spread", "-o", "wide", "--no-headers");
        List<String> lines = pods.out().lines().toList();
        assertThat(lines).hasSize(12).allSatisfy(l -> assertThat(l).contains("1/1").contains("Running"));
        Set<String> onNodes = new TreeSet<>();
        lines.forEach(l -> onNodes.add(Arrays.stream(l.split("\\s+")).filter(w -> w.startsWith("node-")).findFirst().orElseThrow()));
        assertThat(onNodes).as("least-allocated spreads the pods").hasSizeGreaterThanOrEqualTo(10);
        Kubectl.Run logs = kubectl("logs", "deploy/spread");
        assertThat(logs.code()).as(logs.out()).isZero();
        assertThat(logs.out()).contains("spread 1.0 starting in pod spread-");
    }

    @Test
    void rolloutStatusUndoAndAStuckRollout() throws Exception {
        Path v1 = manifest("web-v1.yaml", deployment("web", "shop/web:1.0", 3, "progressDeadlineSeconds: 120"));
        assertThat(kubectl("apply", "--server-side", "--validate=false", "-f", v1.toString()).code()).isZero();
        assertThat(kubectl("rollout", "status", "deploy/web", "--timeout=60s").out()).contains("successfully rolled out");
        Path v2 = manifest("web-v2.yaml", deployment("web", "shop/web:crash-2", 3, "progressDeadlineSeconds: 120"));
        assertThat(kubectl("apply", "--server-side", "--validate=false", "-f", v2.toString()).code()).isZero();
        Kubectl.Run stuck = kubectl("rollout", "status", "deploy/web", "--timeout=60s");
        assertThat(stuck.code()).isNotZero();
        assertThat(stuck.out()).contains("exceeded its progress deadline");
        Kubectl.Run pods = kubectl("get", "pods", "-l", "app=web");
        assertThat(pods.out()).containsAnyOf("CrashLoopBackOff", "Error");
        Kubectl.Run history = kubectl("rollout", "history", "deploy/web");
        assertThat(history.out()).contains("1 ").contains("2 ");
        Kubectl.Run undo = kubectl("rollout", "undo", "deploy/web");
        assertThat(undo.code()).as(undo.out()).isZero();
        assertThat(kubectl("rollout", "status", "deploy/web", "--timeout=60s").out()).contains("successfully rolled out");
        Kubectl.Run image = kubectl("get", "deploy/web", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
        assertThat(image.out()).isEqualTo("shop/web:1.0");
        Kubectl.Run revision = kubectl("get", "deploy/web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}");
        assertThat(revision.out()).isEqualTo("3");
    }

    @Test
    void cordonAndDrain() throws Exception {
        Path m = manifest("drained.yaml", deployment("drained", "shop/web:1.0", 4, ""));
        assertThat(kubectl("apply", "--server-side", "--validate=false", "-f", m.toString()).code()).isZero();
        assertThat(kubectl("rollout", "status", "deploy/drained", "--timeout=60s").out()).contains("successfully rolled out");
        String node = kubectl("get", "pods", "-l", "app=drained", "-o", "jsonpath={.items[0].spec.nodeName}").out();
        Kubectl.Run drain = kubectl("drain", node, "--ignore-daemonsets", "--timeout=60s");
        assertThat(drain.code()).as(drain.out()).isZero();
        assertThat(drain.out()).contains("evicted").contains("drained");
        assertThat(kubectl("get", "node", node).out()).contains("SchedulingDisabled");
        assertThat(kubectl("rollout", "status", "deploy/drained", "--timeout=60s").out()).contains("successfully rolled out");
        assertThat(kubectl("get", "pods", "-l", "app=drained", "-o", "wide").out()).doesNotContain(node + " ");
        assertThat(kubectl("uncordon", node).code()).isZero();
    }
}
