package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * autoscaling/v1 HorizontalPodAutoscalers ({@code kubectl autoscale} creates them), served as views
 * of the stored autoscaling/v2 objects: {@code targetCPUUtilizationPercentage} is the CPU
 * {@code Utilization} metric, {@code currentCPUUtilizationPercentage} its current value. A write
 * through v1 keeps what v1 cannot say (other metrics, {@code behavior}, conditions) as stored; a
 * v1 object without a CPU target gets the v2 default (80 %). Unlike the API server, the v2-only
 * fields are not shown in v1 as {@code autoscaling.alpha.kubernetes.io/*} annotations.
 */
final class AutoscalingV1 implements VersionView {
    static final ResourceType TYPE = new ResourceType("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true,
            List.of("hpa"), true, false);

    static boolean served(ResourceType t) {
        return t.equals(TYPE);
    }

    @Override
    public ObjectNode toServed(ObjectNode v2) {
        ObjectNode v1 = v2.deepCopy();
        v1.put("apiVersion", TYPE.groupVersion());
        if (v2.path("spec").isObject()) {
            JsonNode spec2 = v2.get("spec");
            ObjectNode spec = v1.putObject("spec");
            copy(spec2, spec, "scaleTargetRef", "minReplicas", "maxReplicas");
            JsonNode cpu = cpuUtilization(spec2.path("metrics"), "target");
            if (cpu != null) {
                spec.set("targetCPUUtilizationPercentage", cpu);
            }
        }
        if (v2.path("status").isObject()) {
            JsonNode status2 = v2.get("status");
            ObjectNode status = v1.putObject("status");
            copy(status2, status, "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");
            JsonNode cpu = cpuUtilization(status2.path("currentMetrics"), "current");
            if (cpu != null) {
                status.set("currentCPUUtilizationPercentage", cpu);
            }
        }
        return v1;
    }

    @Override
    public ObjectNode toStored(ObjectNode v1, ObjectNode current) {
        ObjectNode v2 = v1.deepCopy();
        v2.put("apiVersion", "autoscaling/v2");
        JsonNode spec1 = v1.path("spec");
        JsonNode was = current == null ? ApiServer.JSON.createObjectNode() : current.path("spec");
        ObjectNode spec = v2.putObject("spec");
        copy(spec1, spec, "scaleTargetRef", "minReplicas", "maxReplicas");
        ArrayNode metrics = spec.putArray("metrics");
        if (spec1.hasNonNull("targetCPUUtilizationPercentage")) {
            metrics.addObject().put("type", "Resource").putObject("resource").put("name", "cpu").putObject("target").put("type", "Utilization")
                    .set("averageUtilization", spec1.get("targetCPUUtilizationPercentage"));
        }
        for (JsonNode m : was.path("metrics")) {
            if (!isCpuUtilization(m, "target")) {
                metrics.add(m.deepCopy()); // what v1 cannot express stays
            }
        }
        if (metrics.isEmpty()) {
            spec.remove("metrics"); // defaulted to CPU at 80 % on create
        }
        copy(was, spec, "behavior");
        JsonNode status1 = v1.path("status");
        ObjectNode status = current != null && current.path("status").isObject() ? current.get("status").deepCopy() : ApiServer.JSON.createObjectNode();
        copy(status1, status, "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");
        if (status1.hasNonNull("currentCPUUtilizationPercentage")) {
            for (JsonNode m : status.path("currentMetrics")) {
                if (isCpuUtilization(m, "current")) {
                    ((ObjectNode) m.path("resource").path("current")).set("averageUtilization", status1.get("currentCPUUtilizationPercentage"));
                }
            }
        }
        if (status.isEmpty()) {
            v2.remove("status");
        } else {
            v2.set("status", status);
        }
        return v2;
    }

    /** The CPU utilization of a v2 metric list ({@code target} or {@code current}), or null. */
    private static JsonNode cpuUtilization(JsonNode metrics, String which) {
        for (JsonNode m : metrics) {
            if (isCpuUtilization(m, which)) {
                return m.path("resource").path(which).get("averageUtilization");
            }
        }
        return null;
    }

    private static boolean isCpuUtilization(JsonNode metric, String which) {
        JsonNode resource = metric.path("resource");
        return metric.path("type").asText().equals("Resource") && resource.path("name").asText().equals("cpu")
                && resource.path(which).has("averageUtilization");
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            if (from.hasNonNull(f)) {
                to.set(f, from.get(f).deepCopy());
            }
        }
    }
}
