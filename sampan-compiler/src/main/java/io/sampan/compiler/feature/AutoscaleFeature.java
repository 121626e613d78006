package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.Autoscale;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A HorizontalPodAutoscaler (autoscaling/v2). Targets in app.yaml are percent of the LIMIT; the HPA
 * measures percent of the REQUEST, so the target is multiplied by the overcommit ratio. The
 * cooldown is the scale-down stabilisation window. The workload's own {@code replicas} is left out
 * so that re-applying it never fights the autoscaler.
 */
public final class AutoscaleFeature implements Feature {

    @Override
    public void decorateWorkload(PodScope scope, HasMetadata workload) {
        if (scope.service().autoscale() == null) {
            return;
        }
        if (workload instanceof Deployment d) {
            d.getSpec().setReplicas(null);
        } else if (workload instanceof StatefulSet s) {
            s.getSpec().setReplicas(null);
        }
    }

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        Autoscale a = s.autoscale();
        if (a == null) {
            return List.of();
        }
        List<MetricSpec> metrics = new ArrayList<>();
        if (a.cpu() != null) {
            metrics.add(resource("cpu", (int) Math.round(a.cpu() * scope.profile().overcommit().cpu())));
        }
        if (a.memory() != null) {
            metrics.add(resource("memory", (int) Math.round(a.memory() * scope.profile().overcommit().memory())));
        }
        return List.of(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels())
                .endMetadata().withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind(s.stateful() ? "StatefulSet" : "Deployment")
                .withName(scope.objectName()).endScaleTargetRef()
                .withMinReplicas(a.min()).withMaxReplicas(a.max()).withMetrics(metrics)
                .withNewBehavior().withNewScaleDown().withStabilizationWindowSeconds((int) a.cooldown().toSeconds()).endScaleDown()
                .endBehavior().endSpec().build());
    }

    private static MetricSpec resource(String name, int utilization) {
        return new MetricSpecBuilder().withType("Resource").withNewResource().withName(name).withNewTarget()
                .withType("Utilization").withAverageUtilization(utilization).endTarget().endResource().build();
    }
}
