package io.sampan.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.sampan.sandbox.SandboxCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @Sandbox} as a user's test writes it: two clusters on manual clocks, fabric8 clients injected. */
@Sandbox(clusters = 2, nodes = 3, timeFactor = 0)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxExtensionTest {
    static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name)
                .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("shop/" + name + ":1.0")
                .withNewReadinessProbe().withInitialDelaySeconds(10).withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
                .endReadinessProbe().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    static List<Pod> pods(KubernetesClient client, String app) {
        return client.pods().inNamespace("default").withLabel("app", app).list().getItems();
    }

    @Test
    void aDeploymentInEachOfTwoClustersBecomesReadyAsTheirClocksAdvance(KubernetesClient east, KubernetesClient west,
            SandboxCluster eastCluster, SandboxCluster westCluster) {
        assertThat(eastCluster.url()).isNotEqualTo(westCluster.url());
        assertThat(east.getMasterUrl().toString()).startsWith(eastCluster.url());
        assertThat(west.getMasterUrl().toString()).startsWith(westCluster.url());
        assertThat(east.nodes().list().getItems()).hasSize(3);

        east.apps().deployments().resource(deployment("cart", 2)).create();
        west.apps().deployments().resource(deployment("cart", 3)).create();
        eastCluster.simulation().awaitIdle();
        assertThat(pods(east, "cart")).as("running, but the readiness delay has not passed on the manual clock").hasSize(2)
                .noneMatch(Readiness::isPodReady);

        eastCluster.simulation().advance(Duration.ofSeconds(30));
        westCluster.simulation().advance(Duration.ofSeconds(30));

        assertThat(pods(east, "cart")).hasSize(2).allMatch(Readiness::isPodReady);
        assertThat(pods(west, "cart")).hasSize(3).allMatch(Readiness::isPodReady);
        assertThat(east.apps().deployments().withName("cart").get().getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(west.apps().deployments().withName("cart").get().getStatus().getAvailableReplicas()).isEqualTo(3);
    }

    @Test
    void theClassSharesItsClustersAndTheSetIsInjectedToo(SandboxClusters sandbox, SandboxCluster first) {
        assertThat(sandbox.size()).isEqualTo(2);
        assertThat(sandbox.get(0)).isSameAs(first);
        assertThat(sandbox.all()).extracting(SandboxCluster::name).containsExactly("sandbox-0", "sandbox-1");
    }
}
