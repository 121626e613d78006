package io.sampan.server.registry;

/**
 * An environment runs on this cluster, in this namespace, with this share of the instances.
 *
 * @param namespace {@code null} for {@code <project>-<environment>}
 * @param weight share of the instances (default 1)
 */
public record ClusterBinding(String cluster, String namespace, Integer weight, String zone) {
    public ClusterBinding {
        weight = weight == null ? 1 : weight;
    }
}
