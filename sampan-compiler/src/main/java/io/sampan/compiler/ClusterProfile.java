package io.sampan.compiler;

import java.util.Set;

/**
 * What the compiler needs to know of the cluster (and environment) an app is compiled for.
 *
 * @param namespace namespace of every object
 * @param overcommit request = limit / ratio
 * @param ingressClass ingress class of exposed services, or {@code null} for the cluster default
 * @param domainSuffix suffix of default public hosts ({@code <app>-<service>.<suffix>}), or {@code null}
 * @param registryMirror registry host that replaces the registry of every image, or {@code null}
 * @param nodes number of schedulable nodes, used to size broadcast jobs; {@code null} if unknown
 * @param capabilities optional APIs the cluster has, e.g. {@value #KRUISE}
 * @param gateway Gateway API Gateway ({@code name} or {@code namespace/name}) exposed services attach
 *     to with an HTTPRoute instead of an Ingress, or {@code null} for Ingresses
 */
public record ClusterProfile(String namespace, OvercommitPolicy overcommit, String ingressClass, String domainSuffix,
        String registryMirror, Integer nodes, Set<String> capabilities, String gateway) {

    /** OpenKruise is installed: broadcast jobs become BroadcastJobs. */
    public static final String KRUISE = "kruise";

    public ClusterProfile {
        capabilities = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(capabilities));
    }

    /** A profile whose exposed services get Ingresses (no Gateway). */
    public ClusterProfile(String namespace, OvercommitPolicy overcommit, String ingressClass, String domainSuffix, String registryMirror,
            Integer nodes, Set<String> capabilities) {
        this(namespace, overcommit, ingressClass, domainSuffix, registryMirror, nodes, capabilities, null);
    }

    public static ClusterProfile defaults(String namespace) {
        return new ClusterProfile(namespace, OvercommitPolicy.NONE, null, null, null, null, Set.of());
    }

    /** Whether exposed services attach to a Gateway API Gateway (HTTPRoutes) rather than get Ingresses. */
    public boolean routesByGateway() {
        return gateway != null && !gateway.isBlank();
    }

    public ClusterProfile withGateway(String gatewayRef) {
        return new ClusterProfile(namespace, overcommit, ingressClass, domainSuffix, registryMirror, nodes, capabilities, gatewayRef);
    }

    public boolean has(String capability) {
        return capabilities.contains(capability);
    }

    public ClusterProfile withNamespace(String ns) {
        return new ClusterProfile(ns, overcommit, ingressClass, domainSuffix, registryMirror, nodes, capabilities, gateway);
    }
}
