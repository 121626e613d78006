package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DaemonSets and their pods through the simulated scheduler, kubelets and controllers, on a manual clock. */
class DaemonSetSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));

    @AfterEach
    void close() {
        c.close();
    }

    static String daemonSet(String image, String specExtra, String podExtra) {
        return """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  %s
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      %s
                      containers:
                      - name: agent
                        image: %s
                        resources: {requests: {cpu: 50m, memory: 32Mi}}
                        readinessProbe: {httpGet: {path: /, port: 9100}, initialDelaySeconds: 5}
                """.formatted(specExtra, podExtra, image);
    }

    JsonNode status() {
        return c.get(Kinds.DAEMONSET, "agent").path("status");
    }

    /** Node name → the images of the agent pods bound there. */
    Map<String, List<String>> podsByNode() {
        return c.pods("app", "agent").stream().collect(Collectors.groupingBy(p -> p.path("spec").path("nodeName").asText("<unbound>"),
                java.util.TreeMap::new, Collectors.mapping(p -> p.path("spec").path("containers").path(0).path("image").asText(), Collectors.toList())));
    }

    static NodeProfile.Pool pool(String prefix, Map<String, String> labels, List<String> taints) {
        return new NodeProfile.Pool(prefix, 1, "4", "16Gi", 110, List.of("a"), labels, taints);
    }

    @Test
    void onePodRunsOnEveryNodePinnedByNodeAffinity() {
        c.apply(daemonSet("obs/agent:1.0", "", ""));
        assertThat(podsByNode()).containsOnlyKeys("node-0", "node-1", "node-2");
        assertThat(podsByNode().values()).allSatisfy(images -> assertThat(images).hasSize(1));
        for (ObjectNode p : c.pods("app", "agent")) {
            JsonNode field = p.path("spec").path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                    .path("nodeSelectorTerms").path(0).path("matchFields").path(0);
            assertThat(field.path("key").asText()).isEqualTo("metadata.name");
            assertThat(field.path("values").path(0).asText()).isEqualTo(p.path("spec").path("nodeName").asText());
            assertThat(p.path("spec").path("tolerations")).extracting(t -> t.path("key").asText() + ":" + t.path("effect").asText())
                    .contains("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
                            "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
                            "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule");
            assertThat(Meta.labels(p)).containsKey("controller-revision-hash");
        }
        assertThat(status().path("numberReady").asInt()).isZero();
        c.advance(Duration.ofSeconds(5));
        JsonNode s = status();
        assertThat(s.path("desiredNumberScheduled").asInt()).isEqualTo(3);
        assertThat(s.path("currentNumberScheduled").asInt()).isEqualTo(3);
        assertThat(s.path("numberReady").asInt()).isEqualTo(3);
        assertThat(s.path("numberAvailable").asInt()).isEqualTo(3);
        assertThat(s.path("updatedNumberScheduled").asInt()).isEqualTo(3);
        assertThat(s.path("numberMisscheduled").asInt()).isZero();
        assertThat(s.path("observedGeneration").asInt()).isEqualTo(1);
        assertThat(c.events("SuccessfulCreate")).hasSize(3);
        JsonNode strategy = c.get(Kinds.DAEMONSET, "agent").path("spec").path("updateStrategy");
        assertThat(strategy.path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(c.api.list(Kinds.CONTROLLER_REVISION, "default", r -> true)).hasSize(1);
    }

    @Test
    void podsFollowNodesAsTheyComeAndGo() {
        c.apply(daemonSet("obs/agent:1.0", "", ""));
        c.sim.addNode(pool("extra", Map.of(), List.of()), 0);
        c.sim.awaitIdle();
        assertThat(podsByNode()).containsOnlyKeys("node-0", "node-1", "node-2", "extra-0");
        c.sim.removeNode("node-1");
        c.sim.awaitIdle();
        assertThat(podsByNode()).containsOnlyKeys("node-0", "node-2", "extra-0");
        c.advance(Duration.ofSeconds(5));
        assertThat(status().path("desiredNumberScheduled").asInt()).isEqualTo(3);
        assertThat(status().path("numberAvailable").asInt()).isEqualTo(3);
        // a cordoned node keeps and still gets daemon pods: they tolerate node.kubernetes.io/unschedulable
        c.sim.cordon("node-2", true);
        c.api.delete(Kinds.POD, "default", Meta.name(c.pods("app", "agent").stream()
                .filter(p -> p.path("spec").path("nodeName").asText().equals("node-2")).findFirst().orElseThrow()));
        c.sim.awaitIdle();
        assertThat(podsByNode()).containsKey("node-2");
    }

    @Test
    void aTaintedNodeGetsAPodOnlyWhenTheTemplateToleratesIt() {
        c.sim.addNode(pool("gpu", Map.of(), List.of("gpu=true:NoSchedule")), 0);
        c.sim.awaitIdle();
        c.apply(daemonSet("obs/agent:1.0", "", ""));
        assertThat(podsByNode()).containsOnlyKeys("node-0", "node-1", "node-2");
        assertThat(status().path("desiredNumberScheduled").asInt()).isEqualTo(3);
        c.apply(daemonSet("obs/agent:1.0", "", "tolerations: [{key: gpu, operator: Equal, value: 'true', effect: NoSchedule}]"));
        assertThat(podsByNode()).containsKey("gpu-0");
        assertThat(status().path("desiredNumberScheduled").asInt()).isEqualTo(4);
    }

    @Test
    void aNodeSelectorRestrictsTheNodesAndFollowsLabelChanges() {
        c.sim.addNode(pool("edge", Map.of("role", "edge"), List.of()), 0);
        c.sim.awaitIdle();
        c.apply(daemonSet("obs/agent:1.0", "", "nodeSelector: {role: edge}"));
        assertThat(podsByNode()).containsOnlyKeys("edge-0");
        ObjectNode node = c.get(Kinds.NODE, "node-0");
        node.with("metadata").with("labels").put("role", "edge");
        c.api.update(Kinds.NODE, node);
        c.sim.awaitIdle();
        assertThat(podsByNode()).containsOnlyKeys("edge-0", "node-0");
        node = c.get(Kinds.NODE, "node-0");
        node.with("metadata").with("labels").remove("role");
        c.api.update(Kinds.NODE, node);
        c.sim.awaitIdle();
        assertThat(podsByNode()).containsOnlyKeys("edge-0");
        assertThat(status().path("desiredNumberScheduled").asInt()).isEqualTo(1);
    }

    @Test
    void aRollingUpdateReplacesOnePodAtATime() {
        c.apply(daemonSet("obs/agent:1.0", "", ""));
        c.advance(Duration.ofSeconds(5));
        c.apply(daemonSet("obs/agent:2.0", "", ""));
        List<String> images = podsByNode().values().stream().flatMap(List::stream).toList();
        assertThat(images).as("maxUnavailable 1: one node's pod replaced first").containsExactlyInAnyOrder("obs/agent:1.0", "obs/agent:1.0",
                "obs/agent:2.0");
        JsonNode s = status();
        assertThat(s.path("updatedNumberScheduled").asInt()).isEqualTo(1);
        assertThat(s.path("numberAvailable").asInt()).isEqualTo(2);
        assertThat(s.path("observedGeneration").asInt()).isEqualTo(2);
        c.advance(Duration.ofSeconds(5));
        assertThat(status().path("updatedNumberScheduled").asInt()).isEqualTo(2);
        c.advance(Duration.ofSeconds(5));
        s = status();
        assertThat(s.path("updatedNumberScheduled").asInt()).isEqualTo(3);
        assertThat(s.path("numberAvailable").asInt()).isEqualTo(2);
        c.advance(Duration.ofSeconds(5));
        assertThat(status().path("numberAvailable").asInt()).isEqualTo(3);
        assertThat(podsByNode().values()).allSatisfy(list -> assertThat(list).containsExactly("obs/agent:2.0"));
        assertThat(c.api.list(Kinds.CONTROLLER_REVISION, "default", r -> true)).extracting(r -> r.path("revision").asInt())
                .containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void maxSurgeStartsTheNewPodBeforeTheOldOneGoes() {
        String surge = "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}";
        c.apply(daemonSet("obs/agent:1.0", surge, ""));
        c.advance(Duration.ofSeconds(5));
        c.apply(daemonSet("obs/agent:2.0", surge, ""));
        assertThat(c.pods("app", "agent")).hasSize(4);
        assertThat(status().path("numberAvailable").asInt()).as("no node without an available pod").isEqualTo(3);
        assertThat(status().path("updatedNumberScheduled").asInt()).isZero();
        c.advance(Duration.ofSeconds(5));
        assertThat(c.pods("app", "agent")).hasSize(4);
        assertThat(status().path("numberAvailable").asInt()).isEqualTo(3);
        assertThat(status().path("updatedNumberScheduled").asInt()).isEqualTo(1);
        c.advance(Duration.ofSeconds(30));
        assertThat(podsByNode().values()).allSatisfy(list -> assertThat(list).containsExactly("obs/agent:2.0"));
        assertThat(status().path("numberAvailable").asInt()).isEqualTo(3);
    }

    @Test
    void onDeleteReplacesOnlyDeletedPods() {
        String onDelete = "updateStrategy: {type: OnDelete}";
        c.apply(daemonSet("obs/agent:1.0", onDelete, ""));
        c.advance(Duration.ofSeconds(5));
        c.apply(daemonSet("obs/agent:2.0", onDelete, ""));
        c.advance(Duration.ofSeconds(10));
        assertThat(podsByNode().get("node-0")).containsExactly("obs/agent:1.0");
        ObjectNode onNode0 = c.pods("app", "agent").stream().filter(p -> p.path("spec").path("nodeName").asText().equals("node-0")).findFirst()
                .orElseThrow();
        c.api.delete(Kinds.POD, "default", Meta.name(onNode0));
        c.sim.awaitIdle();
        assertThat(podsByNode().get("node-0")).containsExactly("obs/agent:2.0");
        assertThat(podsByNode().get("node-1")).containsExactly("obs/agent:1.0");
        assertThat(status().path("updatedNumberScheduled").asInt()).isEqualTo(1);
    }
}
