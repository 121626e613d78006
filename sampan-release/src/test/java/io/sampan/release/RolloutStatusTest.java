package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {

    static Deployment deployment(long generation, Long observed, int desired, int replicas, int updated, int available) {
        return new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).endStatus().build();
    }

    @Test
    void aDeploymentIsDoneWhenItsGenerationIsObservedAndAllInstancesAreUpdatedAndAvailable() {
        assertThat(RolloutStatus.of(deployment(2, 1L, 3, 3, 3, 3))).isInstanceOf(RolloutStatus.InProgress.class)
                .extracting(RolloutStatus::message).isEqualTo("waiting for the deployment's new spec to be observed");
        assertThat(RolloutStatus.of(deployment(2, 2L, 3, 4, 2, 2)).message()).isEqualTo("2 of 3 new instances have been updated");
        assertThat(RolloutStatus.of(deployment(2, 2L, 3, 4, 3, 3)).message()).isEqualTo("1 old instances are pending termination");
        assertThat(RolloutStatus.of(deployment(2, 2L, 3, 3, 3, 2)).message()).isEqualTo("2 of 3 updated instances are available");
        assertThat(RolloutStatus.of(deployment(2, 2L, 3, 3, 3, 3))).isInstanceOf(RolloutStatus.Done.class);
    }

    @Test
    void aDeploymentPastItsProgressDeadlineHasFailed() {
        Deployment d = new DeploymentBuilder(deployment(1, 1L, 3, 3, 1, 1)).editStatus().addNewCondition().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").endCondition().endStatus().build();
        assertThat(RolloutStatus.of(d)).isInstanceOf(RolloutStatus.Failed.class);
    }

    @Test
    void aStatefulSetWaitsForReadyInstancesAndTheNewRevision() {
        var sts = new StatefulSetBuilder().withNewMetadata().withName("s").withGeneration(1L).endMetadata().withNewSpec().withReplicas(3).endSpec()
                .withNewStatus().withObservedGeneration(1L).withReadyReplicas(3).withUpdatedReplicas(1).withCurrentRevision("a")
                .withUpdateRevision("b").endStatus().build();
        assertThat(RolloutStatus.of(sts).message()).isEqualTo("1 of 3 instances are updated");
        sts.getStatus().setCurrentRevision("b");
        assertThat(RolloutStatus.of(sts)).isInstanceOf(RolloutStatus.Done.class);
    }
}
