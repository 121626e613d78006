package io.sampan.server.registry;

import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.OvercommitPolicy;
import java.util.Set;

/**
 * What an environment tells the compiler about its clusters: overcommit ratios, ingress class,
 * default domain, registry mirror, and the Gateway API Gateway ({@code name} or
 * {@code namespace/name}) exposed services attach to by HTTPRoute instead of getting an Ingress; and
 * the Prometheus ({@code http(s)} URL) release gates query, preferred over the server's
 * {@code sampan.gates.prometheus.<environment>}.
 */
public record EnvironmentProfile(Double cpuOvercommit, Double memoryOvercommit, Boolean allowMemoryOvercommit, String ingressClass,
        String domainSuffix, String registryMirror, String gateway, String prometheus) {

    public static final EnvironmentProfile DEFAULT = new EnvironmentProfile(1.0, 1.0, false, null, null, null, null, null);

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
        gateway = gateway == null || gateway.isBlank() ? null : gateway.trim();
        if (gateway != null && (gateway.length() > 317 || !io.sampan.compiler.ClusterProfileReader.GATEWAY.matcher(gateway).matches())) {
            throw new RegistryException.Invalid("profile.gateway", "expected a Gateway API Gateway as name or namespace/name (lower-case "
                    + "DNS names, such as infra/public), got \"" + gateway + "\"");
        }
        prometheus = prometheus == null || prometheus.isBlank() ? null : prometheus.trim();
        if (prometheus != null && !httpUrl(prometheus)) {
            throw new RegistryException.Invalid("profile.prometheus", "expected the http:// or https:// URL of a Prometheus (such as "
                    + "http://prometheus.monitoring:9090), got \"" + prometheus + "\"");
        }
        if (memoryOvercommit > 1 && !allowMemoryOvercommit) {
            throw new RegistryException.Invalid("profile.memoryOvercommit", "memory overcommit risks OOM kills when nodes fill up; "
                    + "set allowMemoryOvercommit: true as well if you accept the risk");
        }
    }

    private static boolean httpUrl(String text) {
        try {
            java.net.URI uri = new java.net.URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public ClusterProfile toClusterProfile(String namespace, Integer nodes, Set<String> capabilities) {
        return new ClusterProfile(namespace, new OvercommitPolicy(cpuOvercommit, memoryOvercommit), ingressClass, domainSuffix,
                registryMirror, nodes, capabilities, gateway);
    }
}
