package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class DisruptionBudgetFeatureTest {

    @Test
    void twoOrMoreInstancesGetABudgetOneDoesNot() {
        CompiledApp app = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, replicas: 2}
                  solo: {image: r.local/solo:1, port: 8080, replicas: 1}
                  scaled: {image: r.local/s:1, port: 8080, autoscale: {min: 2, max: 5}}
                """);
        assertThat(app.ofType(PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName()).containsExactly("shop-scaled", "shop-web");
        PodDisruptionBudget pdb = app.get(PodDisruptionBudget.class, "shop-web");
        assertThat(pdb.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("25%");
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("sampan.io/app", "shop").containsEntry("sampan.io/service", "web");
    }
}
