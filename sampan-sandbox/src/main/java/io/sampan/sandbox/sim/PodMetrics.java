package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated metrics API (what metrics-server reports) for the HorizontalPodAutoscaler: the CPU
 * a Deployment's pods use. A Deployment's load is a total in millicores, set by a test through
 * {@link Simulation#setCpuLoad} or by anyone with the Deployment annotation {@value #LOAD_ANNOTATION}
 * (e.g. {@code kubectl annotate deployment web sandbox.sampan.io/cpu-load-millicores=400}); the set
 * value wins over the annotation. The load is spread evenly over the Deployment's ready pods; pods
 * that are not ready report nothing, as a pod that has not started serving.
 */
public final class PodMetrics {
    public static final String LOAD_ANNOTATION = "sandbox.sampan.io/cpu-load-millicores";
    private final Map<String, Long> loads = new ConcurrentHashMap<>();

    /** Sets the total CPU the Deployment's pods use; a negative value clears it (the annotation applies again). */
    public void setCpuLoad(String namespace, String deployment, long millicores) {
        if (millicores < 0) {
            loads.remove(Meta.key(namespace, deployment));
        } else {
            loads.put(Meta.key(namespace, deployment), millicores);
        }
    }

    /** The Deployment's total CPU load in millicores (0 when none is set). */
    public long cpuLoad(JsonNode deployment) {
        Long set = loads.get(Meta.key(deployment));
        if (set != null) {
            return set;
        }
        String annotation = Meta.annotation(deployment, LOAD_ANNOTATION);
        if (annotation == null || annotation.isBlank()) {
            return 0;
        }
        String v = annotation.trim();
        try {
            // a bare number is millicores; a quantity (500m, 1.5) is read as Kubernetes reads cpu
            return v.matches("\\d+") ? Long.parseLong(v) : Quantities.millis(v);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** Each ready pod's CPU usage in millicores: the load spread evenly (the remainder to the first pods). */
    public Map<String, Long> cpuUsage(JsonNode deployment, List<ObjectNode> readyPods) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (readyPods.isEmpty()) {
            return out;
        }
        long total = cpuLoad(deployment);
        long each = total / readyPods.size();
        long rest = total % readyPods.size();
        for (ObjectNode p : readyPods) {
            out.put(Meta.name(p), each + (rest-- > 0 ? 1 : 0));
        }
        return out;
    }
}
