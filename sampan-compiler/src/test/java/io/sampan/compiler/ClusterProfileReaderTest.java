package io.sampan.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sampan.spec.SpecException;
import org.junit.jupiter.api.Test;

class ClusterProfileReaderTest {

    @Test
    void readsEveryField() {
        ClusterProfile p = ClusterProfileReader.read("""
                namespace: shop-prod
                overcommit: {cpu: 2.5, memory: 1}
                ingressClass: nginx
                domainSuffix: apps.example.com
                registryMirror: mirror.local:5000
                nodes: 12
                capabilities: [kruise]
                gateway: infra/public
                """, "cluster.yaml", "fallback");
        assertThat(p).isEqualTo(new ClusterProfile("shop-prod", new OvercommitPolicy(2.5, 1), "nginx", "apps.example.com",
                "mirror.local:5000", 12, java.util.Set.of("kruise"), "infra/public"));
    }

    @Test
    void aGatewayIsANameOrNamespaceSlashName() {
        assertThat(ClusterProfileReader.read("gateway: public\n", "c.yaml", "ns").gateway()).isEqualTo("public");
        assertThatThrownBy(() -> ClusterProfileReader.read("gateway: infra/Public/x\n", "c.yaml", "ns"))
                .isInstanceOf(SpecException.class).hasMessageContaining("gateway").hasMessageContaining("namespace/name");
    }

    @Test
    void anEmptyProfileIsTheDefaultsWithTheFallbackNamespace() {
        assertThat(ClusterProfileReader.read("", "cluster.yaml", "shop-dev")).isEqualTo(ClusterProfile.defaults("shop-dev"));
    }

    @Test
    void memoryOvercommitNeedsAnExplicitYes() {
        assertThatThrownBy(() -> ClusterProfileReader.read("overcommit: {cpu: 2, memory: 1.5}\n", "cluster.yaml", "ns"))
                .isInstanceOf(SpecException.class).hasMessageContaining("cluster.yaml:1:30").hasMessageContaining("OOM");
        assertThat(ClusterProfileReader.read("overcommit: {memory: 1.5, allowMemoryOvercommit: true}\n", "c.yaml", "ns").overcommit().memory())
                .isEqualTo(1.5);
    }

    @Test
    void badFieldsAreNamedWithTheirLines() {
        assertThatThrownBy(() -> ClusterProfileReader.read("""
                namespce: x
                nodes: many
                capabilities: [istio]
                overcommit: {cpu: 0.5}
                """, "cluster.yaml", "ns"))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).errors()).extracting(p -> p.path() + "@" + p.position().line())
                        .containsExactlyInAnyOrder("namespce@1", "nodes@2", "capabilities@3", "overcommit.cpu@4"));
    }
}
