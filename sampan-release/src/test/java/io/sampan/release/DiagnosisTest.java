package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    static final Map<String, String> SELECTOR = Map.of("sampan.io/app", "shop", "sampan.io/service", "web");
    static final Deployment WEB = new DeploymentBuilder().withNewMetadata().withName("shop-web").endMetadata().withNewSpec()
            .withNewSelector().withMatchLabels(SELECTOR).endSelector().endSpec().build();

    static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(SELECTOR).endMetadata();
    }

    static ObservedState observed(List<Pod> pods, List<Event> events, Map<String, List<String>> logs) {
        return new ObservedState(List.of(), List.of(), List.of(), List.of(), pods, events, logs);
    }

    static Event event(String kind, String name, String reason, String message) {
        return new EventBuilder().withNewInvolvedObject().withKind(kind).withName(name).endInvolvedObject().withReason(reason)
                .withMessage(message).build();
    }

    @Test
    void aCrashLoopNamesTheExitCodeAndTheLastLogLines() {
        Pod p = pod("shop-web-1").withNewStatus().addNewContainerStatus().withName("web").withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
        var reason = Diagnosis.explain(WEB, observed(List.of(p), List.of(), Map.of("shop-web-1/web", List.of("starting", "cannot connect to db"))));
        assertThat(reason.kind()).isEqualTo(Diagnosis.Kind.CRASH_LOOP);
        assertThat(reason.message()).isEqualTo("container web keeps crashing (exit code 3, restarted 4 times); last log lines:\n"
                + "  starting\n  cannot connect to db");
    }

    @Test
    void anOutOfMemoryKillSaysToRaiseTheLimit() {
        Pod p = pod("shop-web-1").withNewStatus().addNewContainerStatus().withName("web").withRestartCount(1)
                .withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
        var reason = Diagnosis.explain(WEB, observed(List.of(p), List.of(), Map.of()));
        assertThat(reason.kind()).isEqualTo(Diagnosis.Kind.OUT_OF_MEMORY);
        assertThat(reason.message()).contains("OOMKilled").contains("raise resources.memory");
    }

    @Test
    void unschedulablePodsQuoteTheScheduler() {
        Pod p = pod("shop-web-1").withNewStatus().addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/12 nodes are available: 12 Insufficient cpu.").endCondition().endStatus().build();
        assertThat(Diagnosis.explain(WEB, observed(List.of(p), List.of(), Map.of())).message())
                .isEqualTo("instances cannot be placed on any node: 0/12 nodes are available: 12 Insufficient cpu.");
    }

    @Test
    void aQuotaThatRefusesPodsIsFoundOnTheReplicaSetsEvents() {
        var rs = new ReplicaSetBuilder().withNewMetadata().withName("shop-web-7d9").addNewOwnerReference().withKind("Deployment")
                .withName("shop-web").endOwnerReference().endMetadata().build();
        var state = new ObservedState(List.of(), List.of(), List.of(rs), List.of(), List.of(), List.of(event("ReplicaSet", "shop-web-7d9",
                "FailedCreate", "Error creating: pods \"shop-web-7d9-x\" is forbidden: exceeded quota: shop, requested: cpu=2, used: cpu=46, limited: cpu=48")),
                Map.of());
        var reason = Diagnosis.explain(WEB, state);
        assertThat(reason.kind()).isEqualTo(Diagnosis.Kind.QUOTA_EXCEEDED);
        assertThat(reason.message()).isEqualTo("the namespace quota refuses new instances: exceeded quota: shop, requested: cpu=2, used: cpu=46, limited: cpu=48");
    }

    @Test
    void aRunningButUnreadyInstanceWithProbeFailuresSaysSo() {
        Pod p = pod("shop-web-1").withNewStatus().addNewContainerStatus().withName("web").withReady(false).withRestartCount(0)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
        var reason = Diagnosis.explain(WEB, observed(List.of(p), List.of(event("Pod", "shop-web-1", "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503")), Map.of()));
        assertThat(reason.kind()).isEqualTo(Diagnosis.Kind.PROBE_FAILING);
        assertThat(reason.message()).isEqualTo("the health check fails: Readiness probe failed: HTTP probe failed with statuscode: 503");
    }

    @Test
    void theMostFundamentalCauseWinsAndNothingMeansJustSlow() {
        Pod pulling = pod("shop-web-1").withNewStatus().addNewContainerStatus().withName("web").withImage("r.local/web:9")
                .withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState().endContainerStatus().endStatus().build();
        Pod unready = pod("shop-web-2").withNewStatus().addNewContainerStatus().withName("web").withReady(false)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
        var state = observed(List.of(unready, pulling), List.of(event("Pod", "shop-web-2", "Unhealthy", "Readiness probe failed")), Map.of());
        assertThat(Diagnosis.explain(WEB, state).kind()).isEqualTo(Diagnosis.Kind.IMAGE_PULL);
        assertThat(Diagnosis.explain(WEB, observed(List.of(), List.of(), Map.of()))).isNull();
    }
}
