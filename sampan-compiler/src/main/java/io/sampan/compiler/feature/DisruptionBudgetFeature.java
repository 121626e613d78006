package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.ServiceSpec;
import java.util.List;

/**
 * A PodDisruptionBudget for services that run two or more instances, so a node drain never takes
 * them all at once. {@code maxUnavailable: 25%} rounds up, so at least one may go at a time.
 */
public final class DisruptionBudgetFeature implements Feature {
    static final String MAX_UNAVAILABLE = "25%";

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        int least = s.autoscale() != null ? s.autoscale().min() : s.replicas();
        if (least < 2) {
            return List.of();
        }
        return List.of(new PodDisruptionBudgetBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels())
                .endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
                .withNewSelector().withMatchLabels(scope.selector()).endSelector().endSpec().build());
    }
}
