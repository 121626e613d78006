package io.sampan.sandbox.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension registered in code (a fast scaled clock, waits through fabric8), and the plain Java API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxRegisteredExtensionTest {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.clusters(1).nodes(2).timeFactor(50).probeDelays(false).name("fast");

    @Test
    void aDeploymentBecomesAvailableOnAFastClockWaitedForWithFabric8() {
        KubernetesClient client = SANDBOX.client(0);
        client.apps().deployments().resource(SandboxExtensionTest.deployment("web", 2)).create();
        Deployment available = client.apps().deployments().withName("web").waitUntilCondition(d -> d.getStatus() != null
                && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()), 30, TimeUnit.SECONDS);
        assertThat(available.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(SANDBOX.cluster(0).name()).isEqualTo("fast");
        assertThat(SANDBOX.cluster(0).simulation().clock().factor()).isEqualTo(50);
    }

    @Test
    void thePlainApiClosesItsClustersAndClients() throws Exception {
        String url;
        try (SandboxClusters sandbox = SandboxClusters.builder().clusters(1).nodes(0).manualClock().start()) {
            url = sandbox.get(0).url();
            assertThat(sandbox.client(0).nodes().list().getItems()).as("a cluster of no nodes").isEmpty();
            assertThat(sandbox.client(0)).isSameAs(sandbox.client(0));
        }
        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/version")).build(), HttpResponse.BodyHandlers.ofString()))
                .as("the API server is gone").isInstanceOf(IOException.class);
    }
}
