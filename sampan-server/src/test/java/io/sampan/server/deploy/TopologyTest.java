package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.sampan.release.ObservedState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void servicesWithTheirInstancesAndPodsWithNodeZoneRestartsAndAge() {
        var desired = new DeploymentBuilder().withNewMetadata().withName("shop-web").withLabels(Map.of("sampan.io/service", "web")).endMetadata()
                .withNewSpec().withReplicas(3).endSpec().build();
        var seen = new DeploymentBuilder(desired).withNewStatus().withReadyReplicas(2).withUpdatedReplicas(3).endStatus().build();
        var pod = new PodBuilder().withNewMetadata().withName("shop-web-1").withLabels(Map.of("sampan.io/service", "web"))
                .withCreationTimestamp("2026-11-24T09:30:00Z").endMetadata().withNewSpec().withNodeName("node-3").endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("web").withReady(false).withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().endContainerStatus().endStatus().build();
        var observed = new ObservedState(List.of(seen), List.of(), List.of(), List.of(), List.of(pod), List.of(), Map.of(),
                Map.of("node-3", "zone-b"));
        Topology t = Topology.of("dc1", "shop", List.<HasMetadata>of(desired), observed, NOW);
        assertThat(t.services()).containsExactly(new Topology.ServiceState("web", "Deployment", 3, 2, 3));
        assertThat(t.pods()).containsExactly(new Topology.PodState("shop-web-1", "web", "Running", false, "node-3", "zone-b", 4, "30m",
                "CrashLoopBackOff"));
    }

    @Test
    void agesReadLikeKubectls() {
        assertThat(Topology.age("2026-11-24T09:59:15Z", NOW)).isEqualTo("45s");
        assertThat(Topology.age("2026-11-24T07:00:00Z", NOW)).isEqualTo("3h");
        assertThat(Topology.age("2026-11-19T10:00:00Z", NOW)).isEqualTo("5d");
        assertThat(Topology.age("2026-11-24T11:59:15+02:00", NOW)).as("another offset").isEqualTo("45s");
        assertThat(Topology.age("2026-11-24T09:59:15.250000Z", NOW)).as("with a fraction").isEqualTo("44s");
    }

    @Test
    void timestampsInTheApisOwnFormReadAsThroughTheParser() {
        for (String t : List.of("2026-11-24T09:30:00Z", "2024-02-29T23:59:59Z", "1999-12-31T00:00:01Z")) {
            assertThat(Topology.instant(t)).isEqualTo(java.time.OffsetDateTime.parse(t).toInstant());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Topology.instant("2026-13-24T09:30:00Z"))
                .isInstanceOf(java.time.format.DateTimeParseException.class);
    }

    static io.fabric8.kubernetes.api.model.Pod bornAt(String created) {
        return new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp(created).endMetadata().build();
    }

    @Test
    void aShownAgeHoldsUntilItsNextUnitTicks() {
        // 45s → 46s at the next second; 30m (09:30:00) → 31m at 10:01:00; 3h → 4h at 11:00; 5d → 6d five days after 10:00
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-24T09:59:15Z")), NOW)).isEqualTo(Instant.parse("2026-11-24T10:00:01Z"));
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-24T09:30:00Z")), NOW)).isEqualTo(Instant.parse("2026-11-24T10:01:00Z"));
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-24T07:00:00Z")), NOW)).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-19T10:00:00Z")), NOW)).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-24T07:00:00Z"), bornAt("2026-11-24T09:30:00Z")), NOW))
                .as("the first of them").isEqualTo(Instant.parse("2026-11-24T10:01:00Z"));
        assertThat(Topology.agesChange(List.of(bornAt("2026-11-24T10:00:05Z")), NOW)).as("born after now: 0s, then counting")
                .isEqualTo(NOW.plusSeconds(1));
        assertThat(Topology.agesChange(List.of(), NOW)).as("no pods, no age").isEqualTo(Instant.MAX);
        for (String created : List.of("2026-11-24T09:59:15Z", "2026-11-24T09:30:00Z", "2026-11-24T07:00:00Z", "2026-11-19T10:00:00Z")) {
            Instant change = Topology.agesChange(List.of(bornAt(created)), NOW);
            assertThat(Topology.age(created, change.minusMillis(1))).as("unchanged just before, born " + created)
                    .isEqualTo(Topology.age(created, NOW));
            assertThat(Topology.age(created, change)).as("changed then, born " + created).isNotEqualTo(Topology.age(created, NOW));
        }
    }
}
