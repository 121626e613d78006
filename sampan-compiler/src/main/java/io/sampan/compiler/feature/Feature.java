package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.sampan.compiler.PodScope;
import java.util.List;

/**
 * One feature of the app model, compiled: it may change the pod template, change the workload, and
 * add objects that accompany the workload. Each feature is small and tested alone.
 */
public interface Feature {

    /** Changes the pod template of a service's or a job's workload. */
    default void decoratePod(PodScope scope, PodTemplateSpec pod) {
    }

    /** Changes a service's workload (a Deployment or a StatefulSet). Not called for jobs. */
    default void decorateWorkload(PodScope scope, HasMetadata workload) {
    }

    /** Objects that come with a service's workload (Service, Ingress, ...). Not called for jobs. */
    default List<HasMetadata> accompanyingObjects(PodScope scope) {
        return List.of();
    }
}
