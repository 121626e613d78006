package io.sampan.server.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.sampan.compiler.OvercommitPolicy;
import io.sampan.compiler.StandardLabels;
import io.sampan.spec.Cpu;
import io.sampan.spec.Memory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment's quota, compiled into each of its namespaces as a second line of defence behind
 * Sampan's own check: a ResourceQuota ({@value #QUOTA}) on limits, requests (limit / overcommit
 * ratio), pods and storage, with {@value #SURGE_PERCENT}% headroom so that rolling updates, which
 * run extra pods for a while, are not blocked; and a LimitRange ({@value #LIMITS}) that gives
 * containers created outside Sampan the same defaults Sampan gives its own.
 */
public final class NamespaceGuards {
    public static final String QUOTA = "sampan-quota";
    public static final String LIMITS = "sampan-limits";
    static final int SURGE_PERCENT = 25;

    private NamespaceGuards() {
    }

    /** Nothing when the environment has no quota for this cluster or for all its clusters. */
    public static List<HasMetadata> of(Quota quota, String namespace, String environment, OvercommitPolicy overcommit) {
        if (quota == null || quota.isNone()) {
            return List.of();
        }
        Map<String, Quantity> hard = new LinkedHashMap<>();
        if (quota.cpuMillis() != null) {
            Cpu limit = Cpu.ofMillis(surge(quota.cpuMillis()));
            hard.put("limits.cpu", new Quantity(limit.toKubernetes()));
            hard.put("requests.cpu", new Quantity(limit.dividedBy(overcommit.cpu()).toKubernetes()));
        }
        if (quota.memoryBytes() != null) {
            Memory limit = new Memory(surge(quota.memoryBytes()));
            hard.put("limits.memory", new Quantity(limit.toKubernetes()));
            hard.put("requests.memory", new Quantity(limit.dividedBy(overcommit.memory()).toKubernetes()));
        }
        if (quota.instances() != null) {
            hard.put("pods", new Quantity(Long.toString(surge(quota.instances()))));
        }
        if (quota.storageBytes() != null) {
            hard.put("requests.storage", new Quantity(new Memory(quota.storageBytes()).toKubernetes()));
        }
        Map<String, String> labels = Map.of(StandardLabels.ENVIRONMENT, environment, "app.kubernetes.io/managed-by", StandardLabels.MANAGED_BY_VALUE);
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ResourceQuotaBuilder().withNewMetadata().withName(QUOTA).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withHard(hard).endSpec().build());
        Map<String, Quantity> defaults = Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi"));
        Map<String, Quantity> defaultRequests = Map.of("cpu", new Quantity(Cpu.ofMillis(500).dividedBy(overcommit.cpu()).toKubernetes()),
                "memory", new Quantity(Memory.ofMebibytes(512).dividedBy(overcommit.memory()).toKubernetes()));
        out.add(new LimitRangeBuilder().withNewMetadata().withName(LIMITS).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().addNewLimit().withType("Container").withDefault(defaults).withDefaultRequest(defaultRequests).endLimit().endSpec()
                .build());
        return out;
    }

    private static long surge(long value) {
        return (value * (100 + SURGE_PERCENT) + 99) / 100;
    }
}
