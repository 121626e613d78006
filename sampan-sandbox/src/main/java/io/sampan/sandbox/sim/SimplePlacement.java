package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A stand-in placement: the least-loaded Ready node where the requests and the nodeSelector fit. */
final class SimplePlacement implements SchedulerController.Placement {
    private final Map<String, ObjectNode> nodes = new TreeMap<>();
    private final Map<String, long[]> used = new ConcurrentHashMap<>();
    private final Map<String, String> podNode = new ConcurrentHashMap<>();
    private final Map<String, long[]> podReq = new ConcurrentHashMap<>();

    @Override
    public synchronized void upsertNode(ObjectNode node) {
        nodes.put(Meta.name(node), node);
        used.putIfAbsent(Meta.name(node), new long[3]);
    }

    @Override
    public synchronized void removeNode(String name) {
        nodes.remove(name);
    }

    @Override
    public synchronized void assign(ObjectNode pod) {
        String key = Meta.key(pod);
        if (podNode.containsKey(key)) {
            return;
        }
        String node = pod.path("spec").path("nodeName").asText();
        long[] r = requests(pod);
        podNode.put(key, node);
        podReq.put(key, r);
        long[] u = used.computeIfAbsent(node, n -> new long[3]);
        for (int i = 0; i < 3; i++) {
            u[i] += r[i];
        }
    }

    @Override
    public synchronized void unassign(ObjectNode pod) {
        String key = Meta.key(pod);
        String node = podNode.remove(key);
        long[] r = podReq.remove(key);
        if (node != null && used.containsKey(node)) {
            for (int i = 0; i < 3; i++) {
                used.get(node)[i] -= r[i];
            }
        }
    }

    private static long[] requests(JsonNode pod) {
        long cpu = 0;
        long mem = 0;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode req = c.path("resources").path("requests");
            JsonNode lim = c.path("resources").path("limits");
            String cq = req.path("cpu").asText(lim.path("cpu").asText("0"));
            String mq = req.path("memory").asText(lim.path("memory").asText("0"));
            cpu += Quantities.millis(cq);
            mem += Quantities.bytes(mq);
        }
        return new long[] {cpu, mem, 1};
    }

    /** The nodes a required node affinity {@code matchFields metadata.name In [...]} allows (daemon pods), or null for any. */
    private static java.util.Set<String> pinnedNodes(JsonNode pod) {
        java.util.Set<String> out = new java.util.HashSet<>();
        boolean any = false;
        for (JsonNode term : pod.path("spec").path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms")) {
            for (JsonNode f : term.path("matchFields")) {
                if ("metadata.name".equals(f.path("key").asText()) && "In".equals(f.path("operator").asText())) {
                    any = true;
                    f.path("values").forEach(v -> out.add(v.asText()));
                }
            }
        }
        return any ? out : null;
    }

    private static boolean toleratesUnschedulable(JsonNode pod) {
        for (JsonNode t : pod.path("spec").path("tolerations")) {
            if ("node.kubernetes.io/unschedulable".equals(t.path("key").asText()) || t.path("key").asText("").isEmpty()
                    && "Exists".equals(t.path("operator").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized Decision place(ObjectNode pod) {
        long[] r = requests(pod);
        Map<String, String> selector = Meta.strings(pod.path("spec").path("nodeSelector"));
        String best = null;
        double bestLoad = Double.MAX_VALUE;
        int insufficientCpu = 0;
        int insufficientMem = 0;
        java.util.Set<String> pinned = pinnedNodes(pod);
        for (ObjectNode n : nodes.values()) {
            if (!Meta.conditionTrue(n, "Ready") || n.path("spec").path("unschedulable").asBoolean() && !toleratesUnschedulable(pod)
                    || pinned != null && !pinned.contains(Meta.name(n))) {
                continue;
            }
            Map<String, String> labels = Meta.labels(n);
            if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                continue;
            }
            JsonNode a = n.path("status").path("allocatable");
            long[] u = used.getOrDefault(Meta.name(n), new long[3]);
            long cpu = Quantities.millis(a.path("cpu").asText("0"));
            long mem = Quantities.bytes(a.path("memory").asText("0"));
            boolean cpuOk = u[0] + r[0] <= cpu;
            boolean memOk = u[1] + r[1] <= mem;
            insufficientCpu += cpuOk ? 0 : 1;
            insufficientMem += memOk ? 0 : 1;
            if (cpuOk && memOk && u[2] < a.path("pods").asLong(110)) {
                double load = (double) (u[0] + r[0]) / Math.max(cpu, 1);
                if (load < bestLoad) {
                    best = Meta.name(n);
                    bestLoad = load;
                }
            }
        }
        if (best != null) {
            return new Decision(best, null);
        }
        return new Decision(null, "0/" + nodes.size() + " nodes are available: " + (insufficientCpu > 0 ? insufficientCpu + " Insufficient cpu." : "")
                + (insufficientMem > 0 ? insufficientMem + " Insufficient memory." : ""));
    }
}
