package io.sampan.server.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.math.BigDecimal;
import java.util.List;

/**
 * An amount of cluster resources: CPU (millicores), memory and storage (bytes), instances. Limits and
 * requests are counted apart so the overcommit saving can be shown.
 */
public record Resources(long cpuMillis, long memoryBytes, long cpuRequestMillis, long memoryRequestBytes, int instances, long storageBytes) {
    public static final Resources ZERO = new Resources(0, 0, 0, 0, 0, 0);

    public Resources plus(Resources o) {
        return new Resources(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, cpuRequestMillis + o.cpuRequestMillis,
                memoryRequestBytes + o.memoryRequestBytes, instances + o.instances, storageBytes + o.storageBytes);
    }

    public Resources minus(Resources o) {
        return new Resources(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes, cpuRequestMillis - o.cpuRequestMillis,
                memoryRequestBytes - o.memoryRequestBytes, instances - o.instances, storageBytes - o.storageBytes);
    }

    /**
     * What a set of objects asks for at most: each workload's instances (an autoscaled one at its
     * maximum) times its containers' limits and requests, plus its volumes.
     */
    public static Resources of(List<HasMetadata> objects) {
        Resources total = ZERO;
        for (HasMetadata o : objects) {
            PodSpec pod;
            int count;
            List<PersistentVolumeClaim> claims = List.of();
            if (o instanceof Deployment d) {
                pod = d.getSpec().getTemplate().getSpec();
                count = replicas(d.getSpec().getReplicas(), o, objects);
            } else if (o instanceof StatefulSet s) {
                pod = s.getSpec().getTemplate().getSpec();
                count = replicas(s.getSpec().getReplicas(), o, objects);
                claims = s.getSpec().getVolumeClaimTemplates() == null ? List.of() : s.getSpec().getVolumeClaimTemplates();
            } else {
                continue;
            }
            long cpu = 0;
            long memory = 0;
            long cpuRequest = 0;
            long memoryRequest = 0;
            for (Container c : pod.getContainers()) {
                var r = c.getResources();
                cpu += millis(r == null || r.getLimits() == null ? null : r.getLimits().get("cpu"));
                memory += bytes(r == null || r.getLimits() == null ? null : r.getLimits().get("memory"));
                cpuRequest += millis(r == null || r.getRequests() == null ? null : r.getRequests().get("cpu"));
                memoryRequest += bytes(r == null || r.getRequests() == null ? null : r.getRequests().get("memory"));
            }
            long storage = 0;
            for (PersistentVolumeClaim claim : claims) {
                var req = claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests();
                storage += bytes(req == null ? null : req.get("storage"));
            }
            total = total.plus(new Resources(cpu * count, memory * count, cpuRequest * count, memoryRequest * count, count, storage * count));
        }
        return total;
    }

    /** The most instances a workload can have: its autoscaler's maximum when it has one. */
    private static int replicas(Integer replicas, HasMetadata workload, List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            if (o instanceof HorizontalPodAutoscaler h && h.getSpec().getScaleTargetRef().getName().equals(workload.getMetadata().getName())
                    && h.getSpec().getScaleTargetRef().getKind().equals(workload.getKind())) {
                return h.getSpec().getMaxReplicas();
            }
        }
        return replicas == null ? 1 : replicas;
    }

    static long millis(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING).longValue();
    }

    static long bytes(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.CEILING).longValue();
    }
}
