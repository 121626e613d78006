package io.sampan.spec;

import java.util.List;
import java.util.Map;

/**
 * Where instances may and should run.
 *
 * @param spread a node label (e.g. {@code topology.kubernetes.io/zone}, {@code rack}) to spread instances over
 * @param tolerate taints the instances tolerate
 */
public record Placement(Map<String, String> nodeSelector, String spread, List<Toleration> tolerate) {
    public static final Placement NONE = new Placement(Map.of(), null, List.of());

    public Placement {
        nodeSelector = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(nodeSelector));
        tolerate = List.copyOf(tolerate);
    }

    public boolean isEmpty() {
        return nodeSelector.isEmpty() && spread == null && tolerate.isEmpty();
    }

    /**
     * A tolerated taint, written {@code key}, {@code key=value} or {@code key=value:Effect}.
     *
     * @param value {@code null} tolerates the key with any value
     * @param effect {@code null} tolerates every effect
     */
    public record Toleration(String key, String value, String effect) {
    }
}
