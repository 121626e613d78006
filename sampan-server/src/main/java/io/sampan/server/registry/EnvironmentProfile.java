package io.sampan.server.registry;

import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.OvercommitPolicy;
import java.util.Set;

/**
 * What an environment tells the compiler about its clusters: overcommit ratios, ingress class,
 * default domain, registry mirror.
 */
public record EnvironmentProfile(Double cpuOvercommit, Double memoryOvercommit, Boolean allowMemoryOvercommit, String ingressClass,
        String domainSuffix, String registryMirror) {

    public static final EnvironmentProfile DEFAULT = new EnvironmentProfile(1.0, 1.0, false, null, null, null);

    /** Absent values take their defaults: no overcommit, memory overcommit not allowed. */
    public EnvironmentProfile {
        cpuOvercommit = cpuOvercommit == null ? 1.0 : cpuOvercommit;
        memoryOvercommit = memoryOvercommit == null ? 1.0 : memoryOvercommit;
        allowMemoryOvercommit = allowMemoryOvercommit != null && allowMemoryOvercommit;
        if (!(cpuOvercommit >= 1 && cpuOvercommit <= 20)) {
            throw new RegistryException.Invalid("profile.cpuOvercommit", "cpuOvercommit must be from 1 to 20 (request = limit / ratio)");
        }
        if (!(memoryOvercommit >= 1 && memoryOvercommit <= 20)) {
            throw new RegistryException.Invalid("profile.memoryOvercommit", "memoryOvercommit must be from 1 to 20");
        }
        if (memoryOvercommit > 1 && !allowMemoryOvercommit) {
            throw new RegistryException.Invalid("profile.memoryOvercommit", "memory overcommit risks OOM kills when nodes fill up; "
                    + "set allowMemoryOvercommit: true as well if you accept the risk");
        }
    }

    public ClusterProfile toClusterProfile(String namespace, Integer nodes, Set<String> capabilities) {
        return new ClusterProfile(namespace, new OvercommitPolicy(cpuOvercommit, memoryOvercommit), ingressClass, domainSuffix,
                registryMirror, nodes, capabilities);
    }
}
