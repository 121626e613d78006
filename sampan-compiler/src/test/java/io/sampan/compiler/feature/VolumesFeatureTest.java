package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class VolumesFeatureTest {

    @Test
    void aStatefulServiceIsAStatefulSetWithAClaimPerVolumeAndInstance() {
        CompiledApp app = TestApps.compile("""
                services:
                  store:
                    image: r.local/store:1
                    port: 7000
                    replicas: 3
                    stateful: true
                    volumes: [{name: data, path: /var/lib/store, size: 20Gi, storageClass: ssd}]
                """);
        assertThat(app.ofType(Deployment.class)).isEmpty();
        StatefulSet sts = app.get(StatefulSet.class, "shop-store");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("shop-store-headless");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        PersistentVolumeClaim claim = sts.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getMetadata().getName()).isEqualTo("data");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("ssd");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> {
                    assertThat(m.getName()).isEqualTo("data");
                    assertThat(m.getMountPath()).isEqualTo("/var/lib/store");
                });
    }
}
