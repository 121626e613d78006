package io.sampan.sandbox.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes a sandbox cluster starts with: pools of identical nodes (count, capacity, labels such
 * as zone, rack or machine type, taints), spread round-robin over zones.
 */
public record NodeProfile(List<Pool> pools) {
    /** {@code count} nodes named {@code prefix-N}, each with this capacity, labels and taints ({@code key=value:Effect}). */
    public record Pool(String prefix, int count, String cpu, String memory, int pods, List<String> zones, Map<String, String> labels,
            List<String> taints) {
        public Pool {
            zones = List.copyOf(zones);
            labels = new LinkedHashMap<>(labels);
            taints = List.copyOf(taints);
        }
    }

    /** {@code nodes} nodes of 4 CPU, 16 GiB and 110 pods spread over {@code zones}, a rack label per 10 nodes. */
    public static NodeProfile uniform(int nodes, List<String> zones) {
        return new NodeProfile(List.of(new Pool("node", nodes, "4", "16Gi", 110, zones, Map.of("node.kubernetes.io/instance-type", "sandbox.large"),
                List.of())));
    }

    /** The default: three nodes in zones a, b and c. */
    public static NodeProfile defaults() {
        return uniform(3, List.of("a", "b", "c"));
    }

    public int nodeCount() {
        return pools.stream().mapToInt(Pool::count).sum();
    }

    public NodeProfile {
        pools = new ArrayList<>(pools);
    }
}
