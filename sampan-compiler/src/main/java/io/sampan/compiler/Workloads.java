package io.sampan.compiler;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.sampan.spec.ObjectNames;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/** The bare pod template of a part, and the workload (Deployment or StatefulSet) that runs a service. */
final class Workloads {
    static final int REVISION_HISTORY = 10;
    static final int PROGRESS_DEADLINE_SECONDS = 600;

    private Workloads() {
    }

    /** A pod template with the main container; features fill in the rest. */
    static PodTemplateSpec pod(PodScope scope) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(scope.labels()).withAnnotations(new LinkedHashMap<>()).endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder().withName(scope.part()).withImage(scope.image())
                        .withImagePullPolicy("IfNotPresent").withCommand(new ArrayList<>(scope.command()))
                        .withArgs(new ArrayList<>(scope.args())).withVolumeMounts(new ArrayList<>()).build())
                .withVolumes(new ArrayList<>())
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .endSpec().build();
    }

    /**
     * A Deployment for a stateless service: rolling updates that never drop below the desired
     * count (maxUnavailable 0, maxSurge 25%); a StatefulSet with ordered start and a headless
     * Service for a stateful one.
     */
    static HasMetadata workload(PodScope scope, PodTemplateSpec pod) {
        ServiceSpec s = scope.service();
        if (s.stateful()) {
            return new StatefulSetBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels())
                    .withAnnotations(annotations(scope, pod)).endMetadata()
                    .withNewSpec().withReplicas(s.replicas()).withServiceName(ObjectNames.headlessService(scope.app().name(), s.name()))
                    .withPodManagementPolicy("OrderedReady").withRevisionHistoryLimit(REVISION_HISTORY)
                    .withNewSelector().withMatchLabels(scope.selector()).endSelector()
                    .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0).endRollingUpdate().endUpdateStrategy()
                    .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain")
                    .endPersistentVolumeClaimRetentionPolicy()
                    .withTemplate(pod).endSpec().build();
        }
        return new DeploymentBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels())
                .withAnnotations(annotations(scope, pod)).endMetadata()
                .withNewSpec().withReplicas(s.replicas()).withRevisionHistoryLimit(REVISION_HISTORY)
                .withProgressDeadlineSeconds(PROGRESS_DEADLINE_SECONDS)
                .withNewSelector().withMatchLabels(scope.selector()).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
                .withTemplate(pod).endSpec().build();
    }

    private static LinkedHashMap<String, String> annotations(PodScope scope, PodTemplateSpec pod) {
        LinkedHashMap<String, String> a = new LinkedHashMap<>(scope.app().annotations());
        a.putAll(pod.getMetadata().getAnnotations());
        return a;
    }
}
