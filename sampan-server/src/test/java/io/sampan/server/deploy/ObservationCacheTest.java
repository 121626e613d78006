package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Status reads of a cluster whose driver keeps no mirror: the app's own part of what the cluster
 * shows in its namespace. (Drivers of clusters registered by kubeconfig answer from their mirror:
 * {@code ClusterMirrorTest}, and the status endpoint end to end in {@code SandboxDeployTest}.)
 */
class ObservationCacheTest {
    static final Map<String, String> SHOP = Map.of("sampan.io/app", "shop", "app.kubernetes.io/managed-by", "sampan");

    static ObservedState namespace() {
        var shop = new DeploymentBuilder().withNewMetadata().withName("shop-web").addToLabels(SHOP).endMetadata().build();
        var other = new DeploymentBuilder().withNewMetadata().withName("blog-web").addToLabels("sampan.io/app", "blog")
                .addToLabels("app.kubernetes.io/managed-by", "sampan").endMetadata().build();
        var pod = new PodBuilder().withNewMetadata().withName("shop-web-1").addToLabels("sampan.io/app", "shop").endMetadata().build();
        var blogPod = new PodBuilder().withNewMetadata().withName("blog-web-1").addToLabels("sampan.io/app", "blog").endMetadata().build();
        var warning = new EventBuilder().withNewMetadata().withName("shop-web-1.1").endMetadata().withType("Warning").withReason("BackOff")
                .withNewInvolvedObject().withKind("Pod").withName("shop-web-1").endInvolvedObject().build();
        var blogWarning = new EventBuilder(warning).withNewInvolvedObject().withKind("Pod").withName("blog-web-1").endInvolvedObject().build();
        return new ObservedState(List.of(shop, other), List.of(), List.of(), List.of(), List.of(pod, blogPod), List.of(warning, blogWarning),
                Map.of("shop-web-1/web", List.of("boom"), "blog-web-1/web", List.of("bang")), Map.of("node-1", "a"));
    }

    /** A driver that knows only how to show a whole namespace. */
    static final class NamespaceOnly implements ClusterDriver {
        @Override
        public void apply(List<HasMetadata> objects) {
        }

        @Override
        public List<ObjectRef> list(String namespace, Map<String, String> labels) {
            return List.of();
        }

        @Override
        public Optional<HasMetadata> get(ObjectRef ref) {
            return Optional.empty();
        }

        @Override
        public void delete(ObjectRef ref) {
        }

        @Override
        public ObservedState observe(String namespace, Map<String, String> labels) {
            return namespace();
        }
    }

    @Test
    void anAppSeesOnlyItsOwnPartOfTheNamespace() {
        ClusterDriver driver = new NamespaceOnly();
        ObservationCache observations = new ObservationCache(name -> driver);
        ObservedState shop = observations.get("local", "demo-dev", SHOP, () -> driver.observe("demo-dev", Map.of()));
        assertThat(shop.deployments()).extracting(d -> d.getMetadata().getName()).containsExactly("shop-web");
        assertThat(shop.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("shop-web-1");
        assertThat(shop.events()).extracting(e -> e.getInvolvedObject().getName()).containsExactly("shop-web-1");
        assertThat(shop.crashLogs()).containsOnlyKeys("shop-web-1/web");
        assertThat(shop.nodeZones()).containsEntry("node-1", "a");
    }
}
