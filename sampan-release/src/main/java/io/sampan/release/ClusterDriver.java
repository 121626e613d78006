package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * The release engine's port to one cluster. Implementations talk to a Kubernetes API (a real
 * cluster or the sandbox); the engine itself never opens a socket.
 */
public interface ClusterDriver {
    /** Field manager of every write Sampan makes. */
    String FIELD_MANAGER = "sampan";

    /** Server-side apply of each object (idempotent: applying the same objects again changes nothing). */
    void apply(List<HasMetadata> objects);

    /** Objects in {@code namespace} carrying all of {@code labels} (what Sampan owns of an app). */
    List<ObjectRef> list(String namespace, Map<String, String> labels);

    /** The live object, if it exists. */
    java.util.Optional<HasMetadata> get(ObjectRef ref);

    /** Deletes the object (absent is fine). */
    void delete(ObjectRef ref);

    /** Workloads, pods, warning events and crash logs of the app's objects in {@code namespace}. */
    ObservedState observe(String namespace, Map<String, String> labels);

    /**
     * As {@link #observe}, but only the workloads and pods, without events, logs or zones: what a
     * release needs right after its own write, when there is nothing to diagnose yet.
     */
    default ObservedState observeWorkloads(String namespace, Map<String, String> labels) {
        return observe(namespace, labels);
    }

    /**
     * Whether the cluster serves this kind of object ({@code gateway.networking.k8s.io/v1},
     * {@code HTTPRoute}): an optional API (a CRD) a release needs. A driver that cannot tell says yes;
     * applying then fails with the cluster's own answer.
     */
    default boolean serves(String apiVersion, String kind) {
        return true;
    }

    /** The cluster could not be reached or answered with an error; {@code reason} says which. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
