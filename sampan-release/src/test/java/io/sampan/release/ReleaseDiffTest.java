package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseDiffTest {

    @Test
    void createsChangedFieldsAndPrunesAreListedAndClusterAddedFieldsAreNotNoise() {
        FakeCluster cluster = new FakeCluster();
        List<HasMetadata> v1 = ReleaseEngineTest.objects("1");
        // what the cluster shows: v1 plus a status and defaults it filled in
        for (HasMetadata o : v1) {
            if (o instanceof Deployment d) {
                cluster.apply(List.of(new DeploymentBuilder(d).editSpec().withMinReadySeconds(0).endSpec().withNewStatus().withReplicas(2)
                        .endStatus().build()));
            } else {
                cluster.apply(List.of(o));
            }
        }
        cluster.apply(List.of(new ConfigMapBuilder().withNewMetadata().withName("shop-old-config").withLabels(ReleaseEngineTest.OWNER)
                .endMetadata().build()));
        assertThat(ReleaseDiff.of(new Release.ClusterTarget("shop", v1), ReleaseEngineTest.OWNER, cluster))
                .containsExactly(new ReleaseDiff.Change(ReleaseDiff.Action.DELETE, "ConfigMap", "shop-old-config", List.of()));

        List<HasMetadata> v2 = ReleaseEngineTest.objects("2");
        List<ReleaseDiff.Change> changes = ReleaseDiff.of(new Release.ClusterTarget("shop", v2), ReleaseEngineTest.OWNER, cluster);
        ReleaseDiff.Change web = changes.stream().filter(c -> c.kind().equals("Deployment") && c.name().equals("shop-web")).findFirst().orElseThrow();
        assertThat(web.action()).isEqualTo(ReleaseDiff.Action.UPDATE);
        assertThat(web.fields()).as(String.join("\n", web.fields())).contains("spec.template.spec.containers[web].image: r.local/web:1 → r.local/web:2")
                .contains("metadata.labels.app.kubernetes.io/version: 1 → 2");
        assertThat(changes).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(ReleaseDiff.Action.CREATE);
            assertThat(c.kind()).isEqualTo("Job");
        });
        assertThat(changes.stream().filter(c -> c.name().equals("shop-api")).toList()).as("unchanged objects are not listed").isEmpty();
        assertThat(changes).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(ReleaseDiff.Action.DELETE);
            assertThat(c.name()).startsWith("shop-migrate-").as("the previous release's job is pruned");
        });
    }
}
