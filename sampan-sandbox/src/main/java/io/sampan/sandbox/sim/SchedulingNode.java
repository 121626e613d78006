package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as the scheduler's cache holds it (kube-scheduler's NodeInfo): labels, taints,
 * schedulability and allocatable resources read once per node change, and the running totals of
 * the pods bound to it (requested and non-zero requested resources, pod count, host ports).
 * A node whose Ready condition is False or Unknown carries the taint the node lifecycle controller
 * adds ({@code node.kubernetes.io/not-ready} or {@code unreachable}, NoSchedule).
 */
final class SchedulingNode {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    final String name;
    Map<String, String> labels = Map.of();
    /** The {@code topology.kubernetes.io/zone} label, or null. */
    String zone;
    /** The {@code kubernetes.io/hostname} label, or null. */
    String hostname;
    List<Taints.Taint> taints = List.of();
    boolean unschedulable;
    boolean preferNoScheduleTaints;
    boolean live;
    long allocatableMilliCpu;
    long allocatableMemory;
    long allocatableStorage;
    int allocatablePods;
    Map<String, Long> allocatableScalars = Map.of();

    long requestedMilliCpu;
    long requestedMemory;
    long requestedStorage;
    long nonZeroMilliCpu;
    long nonZeroMemory;
    final Map<String, Long> requestedScalars = new HashMap<>(0);
    final Map<String, Integer> usedPorts = new HashMap<>(0);
    final Set<PodRequirements> pods = new LinkedHashSet<>();

    SchedulingNode(String name) {
        this.name = name;
    }

    void update(JsonNode node) {
        labels = Map.copyOf(Meta.strings(node.path("metadata").path("labels")));
        zone = labels.get(KubeScheduler.ZONE);
        hostname = labels.get(KubeScheduler.HOSTNAME);
        unschedulable = node.path("spec").path("unschedulable").asBoolean(false);
        List<Taints.Taint> ts = new ArrayList<>(Taints.taints(node.path("spec").path("taints")));
        String ready = Meta.condition(node, "Ready").path("status").asText("");
        if (ready.equals("False") || ready.equals("Unknown")) { // as TaintNodesByCondition does; a node that reports nothing yet is not tainted
            String key = ready.equals("Unknown") ? UNREACHABLE : NOT_READY;
            if (ts.stream().noneMatch(t -> t.key().equals(key) && t.effect().equals(Taints.NO_SCHEDULE))) {
                ts.add(new Taints.Taint(key, "", Taints.NO_SCHEDULE));
            }
        }
        taints = List.copyOf(ts);
        preferNoScheduleTaints = taints.stream().anyMatch(t -> t.effect().equals(Taints.PREFER_NO_SCHEDULE));
        JsonNode a = node.path("status").path("allocatable");
        allocatableMilliCpu = 0;
        allocatableMemory = 0;
        allocatableStorage = 0;
        allocatablePods = 0;
        Map<String, Long> scalars = new HashMap<>();
        a.fields().forEachRemaining(e -> {
            String q = e.getValue().asText();
            switch (e.getKey()) {
                case "cpu" -> allocatableMilliCpu = PodRequirements.quantity(q, true);
                case "memory" -> allocatableMemory = PodRequirements.quantity(q, false);
                case "ephemeral-storage" -> allocatableStorage = PodRequirements.quantity(q, false);
                case "pods" -> allocatablePods = (int) PodRequirements.quantity(q, false);
                default -> scalars.put(e.getKey(), PodRequirements.quantity(q, false));
            }
        });
        allocatableScalars = Map.copyOf(scalars);
    }

    void add(PodRequirements p) {
        if (!pods.add(p)) {
            return;
        }
        requestedMilliCpu += p.milliCpu;
        requestedMemory += p.memory;
        requestedStorage += p.storage;
        nonZeroMilliCpu += p.nonZeroMilliCpu;
        nonZeroMemory += p.nonZeroMemory;
        p.scalars.forEach((k, v) -> requestedScalars.merge(k, v, Long::sum));
        for (String port : p.hostPorts) {
            usedPorts.merge(port, 1, Integer::sum);
        }
    }

    void remove(PodRequirements p) {
        if (!pods.remove(p)) {
            return;
        }
        requestedMilliCpu -= p.milliCpu;
        requestedMemory -= p.memory;
        requestedStorage -= p.storage;
        nonZeroMilliCpu -= p.nonZeroMilliCpu;
        nonZeroMemory -= p.nonZeroMemory;
        p.scalars.forEach((k, v) -> requestedScalars.merge(k, -v, Long::sum));
        for (String port : p.hostPorts) {
            usedPorts.computeIfPresent(port, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The reasons the pod's requests do not fit next to what is bound here (NodeResourcesFit), or null. */
    List<String> insufficient(PodRequirements p) {
        List<String> reasons = null;
        if (pods.size() + 1 > allocatablePods) {
            reasons = new ArrayList<>(2);
            reasons.add("Too many pods");
        }
        if (p.requestsNothing()) {
            return reasons;
        }
        if (p.milliCpu > 0 && p.milliCpu > allocatableMilliCpu - requestedMilliCpu) {
            reasons = add(reasons, "Insufficient cpu");
        }
        if (p.memory > 0 && p.memory > allocatableMemory - requestedMemory) {
            reasons = add(reasons, "Insufficient memory");
        }
        if (p.storage > 0 && p.storage > allocatableStorage - requestedStorage) {
            reasons = add(reasons, "Insufficient ephemeral-storage");
        }
        for (Map.Entry<String, Long> e : p.scalars.entrySet()) {
            if (e.getValue() > 0 && e.getValue() > allocatableScalars.getOrDefault(e.getKey(), 0L) - requestedScalars.getOrDefault(e.getKey(), 0L)) {
                reasons = add(reasons, "Insufficient " + e.getKey());
            }
        }
        return reasons;
    }

    private static List<String> add(List<String> reasons, String r) {
        List<String> out = reasons == null ? new ArrayList<>(2) : reasons;
        out.add(r);
        return out;
    }

    boolean portsConflict(PodRequirements p) {
        for (String port : p.hostPorts) {
            if (usedPorts.containsKey(port)) {
                return true;
            }
        }
        return false;
    }

    /** LeastAllocated: the mean over CPU and memory of the free share after placing the pod (non-zero requests), 0–100. */
    long leastAllocatedScore(PodRequirements p) {
        return (leastRequested(nonZeroMilliCpu + p.nonZeroMilliCpu, allocatableMilliCpu) + leastRequested(nonZeroMemory + p.nonZeroMemory, allocatableMemory)) / 2;
    }

    private static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * 100 / capacity;
    }

    /** BalancedAllocation: 100 × (1 − the standard deviation of the CPU and memory shares) after placing the pod. */
    long balancedAllocationScore(PodRequirements p) {
        if (allocatableMilliCpu == 0 || allocatableMemory == 0) {
            return 0;
        }
        double cpu = Math.min(1, (double) (requestedMilliCpu + p.milliCpu) / allocatableMilliCpu);
        double mem = Math.min(1, (double) (requestedMemory + p.memory) / allocatableMemory);
        double std = Math.abs((cpu - mem) / 2);
        return (long) ((1 - std) * 100);
    }
}
