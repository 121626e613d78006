package io.sampan.server.registry;

/** An environment runs on this cluster, in this namespace, with this share of the instances. */
public record ClusterBinding(String cluster, String namespace, int weight, String zone) {
}
