package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler through the whole simulation: Deployments' pods placed, refused with kube-scheduler's words, placed once a node comes. */
class SchedulingSimulationTest {
    static final NodeProfile NODES = NodeProfile.uniform(20, List.of("a", "b", "c")); // racks rack-0 and rack-1
    SimCluster c = new SimCluster(NODES);

    @AfterEach
    void close() {
        c.close();
    }

    static String deployment(String name, int replicas, String podSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      %s
                      containers:
                      - name: main
                        image: shop/%s:1.0
                        resources: {requests: {cpu: 100m, memory: 64Mi}}
                """.formatted(name, replicas, name, name, podSpec.replace("\n", "\n      "), name);
    }

    Map<String, String> nodeOf(String app) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectNode p : c.pods("app", app)) {
            out.put(Meta.name(p), p.path("spec").path("nodeName").asText(""));
        }
        return out;
    }

    String labelOf(String node, String label) {
        return Meta.labels(c.get(Kinds.NODE, node)).get(label);
    }

    @Test
    void aReplicaThatNoRackCanTakeWaitsForANewNode() {
        c.apply(deployment("web", 3, """
                affinity:
                  podAntiAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchLabels: {app: web}}
                      topologyKey: topology.sampan.io/rack
                """));
        Map<String, String> placed = nodeOf("web");
        assertThat(placed).hasSize(3);
        List<String> pending = placed.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        assertThat(pending).hasSize(1);
        assertThat(placed.values().stream().filter(n -> !n.isEmpty()).map(n -> labelOf(n, "topology.sampan.io/rack")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("rack-0", "rack-1");
        String message = "0/20 nodes are available: 20 node(s) didn't match pod anti-affinity rules. "
                + "preemption: 0/20 nodes are available: 20 No preemption victims found for incoming pod.";
        ObjectNode waiting = c.get(Kinds.POD, pending.get(0));
        JsonNode scheduled = Meta.condition(waiting, "PodScheduled");
        assertThat(waiting.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(scheduled.path("status").asText()).isEqualTo("False");
        assertThat(scheduled.path("reason").asText()).isEqualTo("Unschedulable");
        assertThat(scheduled.path("message").asText()).isEqualTo(message);
        assertThat(c.events("FailedScheduling")).hasSize(1).allSatisfy(e -> {
            assertThat(e.path("message").asText()).isEqualTo(message);
            assertThat(e.path("type").asText()).isEqualTo("Warning");
            assertThat(e.path("involvedObject").path("name").asText()).isEqualTo(pending.get(0));
        });
        // a minute later it is tried again, with the same answer and no new event
        c.advance(Duration.ofSeconds(61));
        assertThat(nodeOf("web").get(pending.get(0))).isEmpty();
        // a node in a third rack: the pod goes there
        c.sim.addNode(NODES.pools().get(0), 20);
        c.sim.awaitIdle();
        String node = nodeOf("web").get(pending.get(0));
        assertThat(node).isEqualTo("node-20");
        assertThat(labelOf(node, "topology.sampan.io/rack")).isEqualTo("rack-2");
        assertThat(c.events("Scheduled")).hasSize(3);
        c.advance(Duration.ofSeconds(2));
        assertThat(Meta.conditionTrue(c.get(Kinds.POD, pending.get(0)), "PodScheduled")).isTrue();
        assertThat(c.get(Kinds.DEPLOYMENT, "web").path("status").path("availableReplicas").asInt()).isEqualTo(3);
    }

    @Test
    void aZoneSpreadDeploymentEndsBalanced() {
        c.apply(deployment("spread", 7, """
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app: spread}}
                """));
        Map<String, Long> perZone = nodeOf("spread").values().stream().collect(Collectors.groupingBy(n -> labelOf(n, "topology.kubernetes.io/zone"),
                TreeMap::new, Collectors.counting()));
        assertThat(perZone.keySet()).containsExactly("a", "b", "c");
        assertThat(perZone.values()).containsExactlyInAnyOrder(3L, 2L, 2L);
        c.apply(deployment("spread", 12, """
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app: spread}}
                """));
        perZone = nodeOf("spread").values().stream().collect(Collectors.groupingBy(n -> labelOf(n, "topology.kubernetes.io/zone"), TreeMap::new,
                Collectors.counting()));
        assertThat(perZone).containsEntry("a", 4L).containsEntry("b", 4L).containsEntry("c", 4L);
        // and no two on one node while others are empty: the default per-host spreading
        assertThat(nodeOf("spread").values().stream().distinct().count()).isEqualTo(12);
    }

    @Test
    void podsWithAffinityToAPodNotYetScheduledFollowItWhenItIsBound() {
        c.apply(deployment("web", 2, """
                affinity:
                  podAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchLabels: {app: cache}}
                      topologyKey: topology.kubernetes.io/zone
                """));
        assertThat(nodeOf("web").values()).containsOnly("");
        assertThat(c.events("FailedScheduling")).hasSize(2).allSatisfy(e -> assertThat(e.path("message").asText()).isEqualTo(
                "0/20 nodes are available: 20 node(s) didn't match pod affinity rules. preemption: 0/20 nodes are available: 20 Preemption is not helpful for scheduling."));
        c.apply(deployment("cache", 1, "nodeSelector: {topology.kubernetes.io/zone: b}"));
        // no minute-long wait: binding the cache pod sends the waiting pods back to the scheduler
        assertThat(nodeOf("web").values()).hasSize(2).allSatisfy(n -> assertThat(labelOf(n, "topology.kubernetes.io/zone")).isEqualTo("b"));
    }

    @Test
    void aGatedPodWaitsUntilItsGatesAreRemoved() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: gated, labels: {app: gated}}
                spec:
                  %s
                  containers: [{name: main, image: shop/web:1.0}]
                """;
        c.apply(pod.formatted("schedulingGates: [{name: sampan.io/quota-check}]"));
        ObjectNode gated = c.get(Kinds.POD, "gated");
        assertThat(gated.path("spec").path("nodeName").asText("")).isEmpty();
        assertThat(Meta.condition(gated, "PodScheduled").path("reason").asText()).isEqualTo("SchedulingGated");
        assertThat(Meta.condition(gated, "PodScheduled").path("message").asText()).isEqualTo("Scheduling is blocked due to non-empty scheduling gates");
        assertThat(c.events("FailedScheduling")).isEmpty();
        c.apply(pod.formatted(""));
        assertThat(c.get(Kinds.POD, "gated").path("spec").path("nodeName").asText()).startsWith("node-");
    }
}
