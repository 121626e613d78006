package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class PlacementFeatureTest {

    @Test
    void nodeSelectorSpreadAndTolerations() {
        PodSpec pod = TestApps.compile("""
                services:
                  web:
                    image: r.local/web:1
                    port: 8080
                    placement: {nodeSelector: {machine: compute}, spread: rack, tolerate: [dedicated=mall, gpu, "spot=yes:NoSchedule"]}
                """).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(java.util.Map.of("machine", "compute"));
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("rack");
            assertThat(t.getMaxSkew()).isEqualTo(1);
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("sampan.io/service", "web");
        });
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(w -> assertThat(w.getPodAffinityTerm().getTopologyKey()).isEqualTo("rack"));
        assertThat(pod.getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue, Toleration::getEffect)
                .containsExactly(org.assertj.core.api.Assertions.tuple("dedicated", "Equal", "mall", null),
                        org.assertj.core.api.Assertions.tuple("gpu", "Exists", null, null),
                        org.assertj.core.api.Assertions.tuple("spot", "Equal", "yes", "NoSchedule"));
    }

    @Test
    void noPlacementLeavesSchedulingFree() {
        PodSpec pod = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080}
                """).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getAffinity()).isNull();
        assertThat(pod.getTolerations()).isNullOrEmpty();
    }
}
