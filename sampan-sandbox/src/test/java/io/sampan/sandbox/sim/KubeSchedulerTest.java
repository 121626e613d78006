package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's decisions and messages on nodes and pods written as YAML, with the cases of the
 * Kubernetes documentation (assigning pods to nodes, taints and tolerations, inter-pod
 * anti-affinity, topology spread constraints) and kube-scheduler's FitError wording.
 */
class KubeSchedulerTest {
    final KubeScheduler scheduler = new KubeScheduler();
    final Map<String, Integer> placedOn = new HashMap<>();
    int podIndex;

    /** A Ready node of 4 CPU, 16 GiB, 110 pods in a zone and rack, with extra YAML merged into metadata.labels / spec. */
    static ObjectNode node(String name, String zone, String rack, String labels, String spec) {
        return SimCluster.yaml("""
                metadata:
                  name: %s
                  labels: {kubernetes.io/hostname: %s, topology.kubernetes.io/zone: %s, topology.sampan.io/rack: %s%s}
                spec: {%s}
                status:
                  allocatable: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
                  conditions: [{type: Ready, status: "True"}]
                """.formatted(name, name, zone, rack, labels.isEmpty() ? "" : ", " + labels, spec));
    }

    /** {@code n} nodes node-0.. over zones a, b, c round-robin, ten to a rack, as the default NodeProfile makes them. */
    void nodes(int n) {
        for (int i = 0; i < n; i++) {
            scheduler.upsertNode(node("node-" + i, String.valueOf((char) ('a' + i % 3)), "rack-" + i / 10, "", ""));
        }
    }

    static ObjectNode pod(String name, String labels, String spec) {
        return SimCluster.yaml("""
                metadata: {name: %s, namespace: default, labels: {%s}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: rs-1, controller: true}]}
                spec:
                  %s
                """.formatted(name, labels, spec.replace("\n", "\n  ")));
    }

    static String containers(String cpu, String memory) {
        return """
                containers:
                - name: main
                  image: shop/web:1.0
                  resources: {requests: {cpu: %s, memory: %s}}""".formatted(cpu, memory);
    }

    /** Places the pod and, when it fits, binds it as the scheduler controller would; returns the node or the message. */
    String place(ObjectNode pod) {
        SchedulerController.Placement.Decision d = scheduler.place(pod);
        if (d.node() == null) {
            return d.message();
        }
        pod.with("spec").put("nodeName", d.node());
        scheduler.assign(pod);
        placedOn.merge(d.node(), 1, Integer::sum);
        return d.node();
    }

    String place(String labels, String spec) {
        return place(pod("p-" + podIndex++, labels, spec));
    }

    static String zoneOf(String node) {
        return String.valueOf((char) ('a' + Integer.parseInt(node.substring(node.indexOf('-') + 1)) % 3));
    }

    @Test
    void requestsMustFitTheNodesAllocatable() {
        nodes(3);
        assertThat(place("app: big", containers("5", "1Gi")))
                .isEqualTo("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        List<String> on = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            on.add(place("app: web", containers("3", "1Gi")));
        }
        assertThat(on).containsExactlyInAnyOrder("node-0", "node-1", "node-2");
        assertThat(place("app: web", containers("2", "20Gi"))).isEqualTo(
                "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        assertThat(place("app: web", containers("1", "1Gi"))).startsWith("node-");
        // an init container needs its own request on top of nothing: the larger of the two counts
        assertThat(place("app: init", """
                initContainers:
                - {name: migrate, image: shop/migrate:1.0, resources: {requests: {cpu: "2"}}}
                """ + containers("100m", "64Mi"))).startsWith("0/3 nodes are available: 3 Insufficient cpu.");
        // limits alone stand for requests
        assertThat(place("app: limits", """
                containers:
                - {name: main, image: shop/web:1.0, resources: {limits: {memory: 16Gi}}}
                """)).startsWith("0/3 nodes are available: 3 Insufficient memory.");
        // a pod that leaves fits again
        ObjectNode gone = pod("p-1", "app: web", containers("3", "1Gi"));
        gone.with("spec").put("nodeName", on.get(0));
        scheduler.unassign(gone);
        assertThat(place("app: again", containers("2", "1Gi"))).isEqualTo(on.get(0));
    }

    @Test
    void tooManyPodsAndExtendedResources() {
        scheduler.upsertNode(SimCluster.yaml("""
                metadata: {name: tiny, labels: {kubernetes.io/hostname: tiny}}
                status:
                  allocatable: {cpu: "4", memory: 16Gi, pods: "1"}
                  conditions: [{type: Ready, status: "True"}]
                """));
        assertThat(place("app: a", containers("100m", "64Mi"))).isEqualTo("tiny");
        assertThat(place("app: b", containers("100m", "64Mi"))).startsWith("0/1 nodes are available: 1 Too many pods.");
        assertThat(place("app: gpu", """
                containers:
                - {name: main, image: train:1, resources: {limits: {nvidia.com/gpu: 1}}}
                """)).isEqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu, 1 Too many pods. "
                        + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    }

    @Test
    void aNodeSelectorPicksLabelledNodes() {
        nodes(3);
        scheduler.upsertNode(node("ssd-0", "a", "rack-9", "disktype: ssd", ""));
        for (int i = 0; i < 3; i++) {
            assertThat(place("app: db", "nodeSelector: {disktype: ssd}\n" + containers("100m", "64Mi"))).isEqualTo("ssd-0");
        }
        assertThat(place("app: db", "nodeSelector: {disktype: nvme}\n" + containers("100m", "64Mi"))).isEqualTo(
                "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    }

    @Test
    void requiredNodeAffinityTermsAreOredAndTheirExpressionsAnded() {
        scheduler.upsertNode(node("gen3", "a", "rack-0", "sandbox.sampan.io/generation: \"3\"", ""));
        scheduler.upsertNode(node("gen5-a", "a", "rack-0", "sandbox.sampan.io/generation: \"5\"", ""));
        scheduler.upsertNode(node("gen5-b", "b", "rack-1", "sandbox.sampan.io/generation: \"5\"", ""));
        scheduler.upsertNode(node("plain-c", "c", "rack-2", "", ""));
        String newerOutsideA = """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - {key: sandbox.sampan.io/generation, operator: Gt, values: ["4"]}
                        - {key: topology.kubernetes.io/zone, operator: NotIn, values: [a]}
                """;
        assertThat(place("app: x", newerOutsideA + containers("100m", "64Mi"))).isEqualTo("gen5-b");
        String zoneCOrGen3 = """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [c]}]
                      - matchExpressions: [{key: sandbox.sampan.io/generation, operator: Lt, values: ["4"]}]
                """;
        List<String> on = List.of(place("app: y", zoneCOrGen3 + containers("100m", "64Mi")), place("app: y", zoneCOrGen3 + containers("100m", "64Mi")));
        assertThat(on).containsExactlyInAnyOrder("plain-c", "gen3");
        assertThat(place("app: z", """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: sandbox.sampan.io/generation, operator: DoesNotExist}, {key: topology.kubernetes.io/zone, operator: In, values: [a, b]}]
                """ + containers("100m", "64Mi"))).isEqualTo("0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. "
                        + "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    }

    @Test
    void preferredNodeAffinityWins() {
        nodes(6);
        String preferC = """
                affinity:
                  nodeAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 80
                      preference: {matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [c]}]}
                """;
        assertThat(zoneOf(place("app: pref", preferC + containers("100m", "64Mi")))).isEqualTo("c");
        assertThat(zoneOf(place("app: pref", preferC + containers("100m", "64Mi")))).isEqualTo("c");
    }

    @Test
    void aDaemonSetPodIsPinnedByMatchFields() {
        nodes(3);
        String pinned = """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchFields: [{key: metadata.name, operator: In, values: [node-2]}]
                """;
        assertThat(place("app: agent", pinned + containers("100m", "64Mi"))).isEqualTo("node-2");
        assertThat(place("app: agent", pinned + containers("4", "64Mi"))).isEqualTo(
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
                        + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
    }

    static String antiAffinityPerRack(String app) {
        return """
                affinity:
                  podAntiAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchLabels: {app: %s}}
                      topologyKey: topology.sampan.io/rack
                """.formatted(app);
    }

    @Test
    void antiAffinityKeepsReplicasOnDifferentRacks() {
        nodes(30);
        List<String> racks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            racks.add("rack-" + Integer.parseInt(place("app: web", antiAffinityPerRack("web") + containers("100m", "64Mi")).substring(5)) / 10);
        }
        assertThat(racks).containsExactlyInAnyOrder("rack-0", "rack-1", "rack-2");
        assertThat(place("app: web", antiAffinityPerRack("web") + containers("100m", "64Mi"))).isEqualTo(
                "0/30 nodes are available: 30 node(s) didn't match pod anti-affinity rules. preemption: 0/30 nodes are available: 30 No preemption victims found for incoming pod.");
        // symmetry: a pod without terms that the existing pods' anti-affinity selects is kept out too
        assertThat(place("app: web", containers("100m", "64Mi"))).isEqualTo(
                "0/30 nodes are available: 30 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/30 nodes are available: 30 No preemption victims found for incoming pod.");
        assertThat(place("app: other", containers("100m", "64Mi"))).startsWith("node-");
    }

    @Test
    void requiredPodAffinityFollowsTheMatchingPodsZone() {
        nodes(6);
        String nearCache = """
                affinity:
                  podAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchExpressions: [{key: app, operator: In, values: [cache]}]}
                      topologyKey: topology.kubernetes.io/zone
                """;
        assertThat(place("app: web", nearCache + containers("100m", "64Mi"))).isEqualTo(
                "0/6 nodes are available: 6 node(s) didn't match pod affinity rules. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.");
        String cache = place("app: cache", "nodeSelector: {topology.kubernetes.io/zone: b}\n" + containers("100m", "64Mi"));
        for (int i = 0; i < 4; i++) {
            assertThat(zoneOf(place("app: web", nearCache + containers("100m", "64Mi")))).isEqualTo(zoneOf(cache)).isEqualTo("b");
        }
        // the first pod of a group with affinity to itself may go anywhere
        assertThat(place("app: self", nearCache.replace("[cache]", "[self]") + containers("100m", "64Mi"))).startsWith("node-");
    }

    static String zoneSpread(int maxSkew, String when) {
        return """
                topologySpreadConstraints:
                - maxSkew: %d
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: %s
                  labelSelector: {matchLabels: {app: spread}}
                """.formatted(maxSkew, when);
    }

    @Test
    void zoneSpreadWithMaxSkewOneBalancesTheZones() {
        nodes(6);
        // preferred node affinity to zone a pulls, the hard spread constraint holds
        String pullToA = """
                affinity:
                  nodeAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      preference: {matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [a]}]}
                """;
        Map<String, Integer> perZone = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            String node = place("app: spread", zoneSpread(1, "DoNotSchedule") + pullToA + containers("100m", "64Mi"));
            perZone.merge(zoneOf(node), 1, Integer::sum);
            assertThat(perZone.values().stream().mapToInt(Integer::intValue).max().getAsInt()
                    - (perZone.size() < 3 ? 0 : perZone.values().stream().mapToInt(Integer::intValue).min().getAsInt())).isLessThanOrEqualTo(1);
        }
        assertThat(perZone).containsEntry("a", 3).containsEntry("b", 3).containsEntry("c", 3);
    }

    @Test
    void aCordonedZoneStillCountsAsADomain() {
        nodes(6);
        scheduler.upsertNode(node("node-2", "c", "rack-0", "", "unschedulable: true"));
        scheduler.upsertNode(node("node-5", "c", "rack-0", "", "unschedulable: true"));
        assertThat(place("app: spread", zoneSpread(1, "DoNotSchedule") + containers("100m", "64Mi"))).startsWith("node-");
        assertThat(place("app: spread", zoneSpread(1, "DoNotSchedule") + containers("100m", "64Mi"))).startsWith("node-");
        assertThat(place("app: spread", zoneSpread(1, "DoNotSchedule") + containers("100m", "64Mi"))).isEqualTo(
                "0/6 nodes are available: 2 node(s) were unschedulable, 4 node(s) didn't match pod topology spread constraints. "
                        + "preemption: 0/6 nodes are available: 2 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.");
        // ScheduleAnyway only prefers
        assertThat(place("app: spread", zoneSpread(1, "ScheduleAnyway") + containers("100m", "64Mi"))).startsWith("node-");
    }

    @Test
    void nodesWithoutTheTopologyKeyAreExcluded() {
        nodes(3);
        scheduler.upsertNode(SimCluster.yaml("""
                metadata: {name: zoneless, labels: {kubernetes.io/hostname: zoneless}}
                status:
                  allocatable: {cpu: "64", memory: 256Gi, pods: "110"}
                  conditions: [{type: Ready, status: "True"}]
                """));
        for (int i = 0; i < 6; i++) {
            assertThat(place("app: spread", zoneSpread(1, "DoNotSchedule") + containers("100m", "64Mi"))).isNotEqualTo("zoneless");
        }
        assertThat(place("app: spread", zoneSpread(1, "DoNotSchedule") + "nodeSelector: {kubernetes.io/hostname: zoneless}\n" + containers("100m", "64Mi")))
                .startsWith("0/4 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 3 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void taintsRepelPodsThatDoNotTolerateThem() {
        nodes(2);
        scheduler.upsertNode(node("gpu-0", "a", "rack-0", "", "taints: [{key: dedicated, value: gpu, effect: NoSchedule}]"));
        for (int i = 0; i < 4; i++) {
            assertThat(place("app: web", containers("100m", "64Mi"))).isNotEqualTo("gpu-0");
        }
        String onlyGpu = "nodeSelector: {kubernetes.io/hostname: gpu-0}\n";
        assertThat(place("app: web", onlyGpu + containers("100m", "64Mi"))).isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                + "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertThat(place("app: train", onlyGpu + "tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]\n" + containers("100m", "64Mi")))
                .isEqualTo("gpu-0");
        assertThat(place("app: train", onlyGpu + "tolerations: [{key: dedicated, operator: Equal, value: tpu, effect: NoSchedule}]\n" + containers("100m", "64Mi")))
                .startsWith("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}");
        assertThat(place("app: agent", onlyGpu + "tolerations: [{operator: Exists}]\n" + containers("100m", "64Mi"))).isEqualTo("gpu-0");
        // NoExecute repels as well; PreferNoSchedule only lowers the score
        scheduler.upsertNode(node("gpu-0", "a", "rack-0", "", "taints: [{key: dedicated, value: gpu, effect: NoExecute}]"));
        assertThat(place("app: web", onlyGpu + containers("100m", "64Mi"))).startsWith("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}");
        scheduler.upsertNode(node("gpu-0", "a", "rack-0", "", "taints: [{key: dedicated, value: gpu, effect: PreferNoSchedule}]"));
        assertThat(place("app: web", onlyGpu + containers("100m", "64Mi"))).isEqualTo("gpu-0");
    }

    @Test
    void preferNoScheduleTaintsSteerPodsAway() {
        scheduler.upsertNode(node("n-0", "a", "rack-0", "", "taints: [{key: spot, value: \"true\", effect: PreferNoSchedule}]"));
        scheduler.upsertNode(node("n-1", "a", "rack-0", "", ""));
        for (int i = 0; i < 3; i++) {
            assertThat(place("app: web" + i, containers("100m", "64Mi"))).isEqualTo("n-1");
        }
    }

    @Test
    void aCordonedNodeTakesNoNewPods() {
        nodes(3);
        scheduler.upsertNode(node("node-1", "b", "rack-0", "", "unschedulable: true"));
        for (int i = 0; i < 4; i++) {
            assertThat(place("app: web", containers("100m", "64Mi"))).isNotEqualTo("node-1");
        }
        assertThat(place("app: web", "nodeSelector: {kubernetes.io/hostname: node-1}\n" + containers("100m", "64Mi"))).isEqualTo(
                "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. "
                        + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertThat(place("app: ds", "nodeSelector: {kubernetes.io/hostname: node-1}\n"
                + "tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]\n" + containers("100m", "64Mi"))).isEqualTo("node-1");
    }

    @Test
    void aNodeThatIsNotReadyCarriesItsTaint() {
        nodes(2);
        ObjectNode down = node("node-1", "b", "rack-0", "", "");
        down.with("status").withArray("conditions").removeAll().addObject().put("type", "Ready").put("status", "Unknown");
        scheduler.upsertNode(down);
        assertThat(place("app: web", "nodeSelector: {kubernetes.io/hostname: node-1}\n" + containers("100m", "64Mi")))
                .startsWith("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");
        assertThat(place("app: web", containers("100m", "64Mi"))).isEqualTo("node-0");
        ObjectNode notReady = node("node-0", "a", "rack-0", "", "");
        notReady.with("status").withArray("conditions").removeAll().addObject().put("type", "Ready").put("status", "False");
        scheduler.upsertNode(notReady);
        assertThat(place("app: web", containers("100m", "64Mi"))).isEqualTo("0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, "
                + "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
        // tolerating both (as DaemonSet pods do) places it
        assertThat(place("app: ds", "tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists}, {key: node.kubernetes.io/unreachable, operator: Exists}]\n"
                + containers("100m", "64Mi"))).startsWith("node-");
    }

    @Test
    void severalReasonsAreCountedAndSortedAsKubeSchedulerSortsThem() {
        for (int i = 0; i < 3; i++) {
            scheduler.upsertNode(node("cp-" + i, "a", "rack-0", "node-role.kubernetes.io/control-plane: \"\"",
                    "taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]"));
        }
        for (int i = 0; i < 9; i++) {
            scheduler.upsertNode(node("worker-" + i, "b", "rack-1", "", ""));
        }
        assertThat(place("app: big", containers("6", "1Gi"))).isEqualTo(
                "0/12 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 9 Insufficient cpu. "
                        + "preemption: 0/12 nodes are available: 3 Preemption is not helpful for scheduling, 9 No preemption victims found for incoming pod.");
        for (int i = 9; i < 12; i++) {
            scheduler.upsertNode(node("worker-" + i, "b", "rack-1", "", ""));
        }
        // as strings: "12 Insufficient cpu" sorts before "3 node(s)..."
        assertThat(place("app: big", containers("6", "1Gi"))).isEqualTo(
                "0/15 nodes are available: 12 Insufficient cpu, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. "
                        + "preemption: 0/15 nodes are available: 12 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.");
        ObjectNode never = pod("never", "app: big", "preemptionPolicy: Never\n" + containers("6", "1Gi"));
        assertThat(place(never)).endsWith("3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void noNodesAtAll() {
        assertThat(place("app: web", containers("100m", "64Mi"))).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void replicasOfOneOwnerSpreadOverEqualNodes() {
        nodes(3);
        // no requests at all: the default spreading of a ReplicaSet's pods still puts one on each node
        for (int i = 0; i < 6; i++) {
            place("app: web", "containers: [{name: main, image: shop/web:1.0}]");
        }
        assertThat(placedOn).containsEntry("node-0", 2).containsEntry("node-1", 2).containsEntry("node-2", 2);
    }

    @Test
    void bigClustersScoreASampleOfTheNodes() {
        assertThat(scheduler.numFeasibleNodesToFind(50)).isEqualTo(50);
        assertThat(scheduler.numFeasibleNodesToFind(100)).isEqualTo(100);
        assertThat(scheduler.numFeasibleNodesToFind(1000)).isEqualTo(420);
        assertThat(scheduler.numFeasibleNodesToFind(5000)).isEqualTo(500);
        assertThat(scheduler.numFeasibleNodesToFind(20000)).isEqualTo(1000);
        assertThat(new KubeScheduler(100).numFeasibleNodesToFind(1000)).isEqualTo(1000);
        nodes(1000);
        // the scan starts where the last one stopped: consecutive pods of different owners still land apart
        for (int i = 0; i < 50; i++) {
            ObjectNode p = pod("solo-" + i, "app: solo" + i, containers("100m", "64Mi"));
            p.with("metadata").remove("ownerReferences");
            place(p);
        }
        assertThat(placedOn).hasSize(50);
    }

    @Test
    void preferredPodAntiAffinitySpreadsAndPreferredAffinityGathers() {
        for (int i = 0; i < 4; i++) {
            scheduler.upsertNode(node("node-" + i, i < 3 ? "a" : "b", "rack-0", "", "")); // three nodes in zone a, one in b
        }
        String awayFromEachOther = """
                affinity:
                  podAntiAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm: {labelSelector: {matchLabels: {app: solo}}, topologyKey: topology.kubernetes.io/zone}
                """;
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ObjectNode p = pod("solo-" + i, "app: solo", awayFromEachOther + containers("100m", "64Mi"));
            p.with("metadata").remove("ownerReferences"); // no default spreading: only the preference acts
            String node = place(p);
            zones.add(node.equals("node-3") ? "b" : "a");
        }
        assertThat(zones).containsExactlyInAnyOrder("a", "b");
        String nearDb = """
                affinity:
                  podAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution:
                    - weight: 100
                      podAffinityTerm: {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
                """;
        String db = place("app: db", "nodeSelector: {kubernetes.io/hostname: node-1}\n" + containers("100m", "64Mi"));
        ObjectNode p = pod("near", "app: api", nearDb + containers("100m", "64Mi"));
        p.with("metadata").remove("ownerReferences");
        assertThat(place(p)).isEqualTo(db);
    }

    @Test
    void hostPortsAndSidecarsCount() {
        nodes(2);
        String port = """
                containers:
                - {name: main, image: shop/web:1.0, ports: [{containerPort: 8080, hostPort: 80}], resources: {requests: {cpu: 100m}}}
                """;
        List<String> on = List.of(place("app: edge", port), place("app: edge", port));
        assertThat(on).containsExactlyInAnyOrder("node-0", "node-1");
        assertThat(place("app: edge", port)).isEqualTo("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. "
                + "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
        // a sidecar (restartPolicy Always) runs beside the containers: 2 + 2.5 CPU do not fit in 4
        assertThat(place("app: mesh", """
                initContainers:
                - {name: proxy, image: envoy:1, restartPolicy: Always, resources: {requests: {cpu: "2"}}}
                containers:
                - {name: main, image: shop/web:1.0, resources: {requests: {cpu: 2500m}}}
                """)).startsWith("0/2 nodes are available: 2 Insufficient cpu.");
        // an ordinary init container only needs its own share first: max(3, 0.5) fits
        assertThat(place("app: init", """
                initContainers:
                - {name: migrate, image: migrate:1, resources: {requests: {cpu: "3"}}}
                containers:
                - {name: main, image: shop/web:1.0, resources: {requests: {cpu: 500m}}}
                """)).startsWith("node-");
    }
}
