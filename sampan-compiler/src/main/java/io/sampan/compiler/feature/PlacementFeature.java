package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.Placement;
import java.util.ArrayList;
import java.util.List;

/**
 * Where instances run: {@code nodeSelector} as given; {@code spread: <node label>} spreads the
 * instances over that label's values (a topology spread constraint plus preferred anti-affinity,
 * both soft so that a lost zone does not block scheduling); {@code tolerate} taints.
 */
public final class PlacementFeature implements Feature {

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        Placement p = scope.placement();
        PodSpec spec = pod.getSpec();
        if (!p.nodeSelector().isEmpty()) {
            spec.setNodeSelector(p.nodeSelector());
        }
        if (p.spread() != null && scope.isService()) {
            spec.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                    .withTopologyKey(p.spread()).withWhenUnsatisfiable("ScheduleAnyway")
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(scope.selector()).build()).build()));
            spec.setAffinity(new AffinityBuilder().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(100).withNewPodAffinityTerm().withTopologyKey(p.spread())
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(scope.selector()).build())
                    .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build());
        }
        if (!p.tolerate().isEmpty()) {
            List<Toleration> tolerations = new ArrayList<>();
            for (Placement.Toleration t : p.tolerate()) {
                tolerations.add(new TolerationBuilder().withKey(t.key()).withOperator(t.value() == null ? "Exists" : "Equal")
                        .withValue(t.value()).withEffect(t.effect()).build());
            }
            spec.setTolerations(tolerations);
        }
    }
}
