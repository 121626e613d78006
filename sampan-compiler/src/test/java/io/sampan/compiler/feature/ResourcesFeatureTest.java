package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.OvercommitPolicy;
import io.sampan.compiler.TestApps;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourcesFeatureTest {
    private static final String APP = """
            services:
              web: {image: r.local/web:1, port: 8080, resources: {cpu: "2", memory: 3Gi}}
            """;

    @Test
    void limitsAsWrittenRequestsDividedByTheRatiosWhichAreRecorded() {
        ClusterProfile profile = new ClusterProfile("ns", new OvercommitPolicy(4, 1.5), null, null, null, null, Set.of());
        Deployment d = TestApps.compile(APP, profile).get(Deployment.class, "shop-web");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("3Gi"));
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("2Gi"));
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("sampan.io/overcommit", "cpu=4,memory=1.5");
        assertThat(d.getMetadata().getAnnotations()).containsEntry("sampan.io/overcommit", "cpu=4,memory=1.5");
    }

    @Test
    void withoutOvercommitRequestsEqualLimitsAndDefaultsApply() {
        Container c = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080}
                """, ClusterProfile.defaults("ns")).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("512Mi"));
        assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
    }

    @Test
    void fractionalRequestsRoundUpToWholeUnits() {
        ClusterProfile profile = new ClusterProfile("ns", new OvercommitPolicy(3, 3), null, null, null, null, Set.of());
        Container c = TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, resources: {cpu: "1", memory: 1Gi}}
                """, profile).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("334m")).containsEntry("memory", new Quantity("342Mi"));
    }
}
