package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.compiler.PodScope;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A stateful service's volumes: one PersistentVolumeClaim per instance, from the StatefulSet's templates. */
public final class VolumesFeature implements Feature {

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        ServiceSpec s = scope.service();
        if (s == null || s.volumes().isEmpty()) {
            return;
        }
        for (VolumeSpec v : s.volumes()) {
            PodScope.mainContainer(pod).getVolumeMounts().add(new VolumeMountBuilder().withName(v.name()).withMountPath(v.path()).build());
        }
    }

    @Override
    public void decorateWorkload(PodScope scope, HasMetadata workload) {
        ServiceSpec s = scope.service();
        if (!(workload instanceof StatefulSet sts) || s.volumes().isEmpty()) {
            return;
        }
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (VolumeSpec v : s.volumes()) {
            claims.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(v.name()).withLabels(scope.selector()).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(v.storageClass())
                    .withNewResources().withRequests(Map.of("storage", new Quantity(v.size().toKubernetes()))).endResources()
                    .endSpec().build());
        }
        sts.getSpec().setVolumeClaimTemplates(claims);
    }
}
