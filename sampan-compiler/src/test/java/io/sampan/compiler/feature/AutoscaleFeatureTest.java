package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class AutoscaleFeatureTest {

    @Test
    void anHpaWithTargetsConvertedFromLimitToRequestAndTheCooldownAsScaleDownWindow() {
        // TestApps.PROFILE overcommits CPU 2x: 70% of the limit is 140% of the request.
        CompiledApp app = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, autoscale: {min: 3, max: 20, cpu: 70, memory: 80, cooldown: 10m}}
                """);
        HorizontalPodAutoscaler hpa = app.get(HorizontalPodAutoscaler.class, "shop-web");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("shop-web");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(20);
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName(), m -> m.getResource().getTarget().getAverageUtilization())
                .containsExactly(org.assertj.core.api.Assertions.tuple("cpu", 140), org.assertj.core.api.Assertions.tuple("memory", 80));
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(600);
        assertThat(app.get(Deployment.class, "shop-web").getSpec().getReplicas()).as("left to the autoscaler").isNull();
    }

    @Test
    void defaultsAreSeventyPercentCpuAndFiveMinutes() {
        HorizontalPodAutoscaler hpa = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, autoscale: {max: 4}}
                """).get(HorizontalPodAutoscaler.class, "shop-web");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(140));
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
    }
}
