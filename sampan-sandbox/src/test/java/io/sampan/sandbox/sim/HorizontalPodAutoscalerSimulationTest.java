package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HorizontalPodAutoscalers scaling a Deployment under a simulated CPU load, on a manual clock (syncs every 15 s from creation). */
class HorizontalPodAutoscalerSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));

    @AfterEach
    void close() {
        c.close();
    }

    static String deployment(int replicas, String resources) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: shop/web:1.0
                        resources: %s
                """.formatted(replicas, resources);
    }

    static String hpa(int min, int max, String target, String behavior) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: %d
                  maxReplicas: %d
                  metrics:
                  - type: Resource
                    resource:
                      name: cpu
                      target: %s
                  %s
                """.formatted(min, max, target, behavior);
    }

    int replicas() {
        return c.get(Kinds.DEPLOYMENT, "web").path("spec").path("replicas").asInt();
    }

    int readyPods() {
        return (int) c.pods("app", "web").stream().filter(PodTemplates::ready).count();
    }

    ObjectNode hpaObject() {
        return c.get(Kinds.HPA, "web");
    }

    List<String> rescales() {
        return c.events("SuccessfulRescale").stream().map(e -> e.path("message").asText()).collect(Collectors.toList());
    }

    @Test
    void scalesUpUnderLoadUpToMaxReplicasAndDownOnlyAfterTheWindow() {
        c.apply(deployment(2, "{requests: {cpu: 200m}}"));
        c.sim.setCpuLoad("default", "web", 200); // 50 % of the 400m requested
        c.apply(hpa(1, 5, "{type: Utilization, averageUtilization: 50}", ""));
        JsonNode s = hpaObject().path("status");
        assertThat(s.path("currentReplicas").asInt()).isEqualTo(2);
        assertThat(s.path("desiredReplicas").asInt()).isEqualTo(2);
        assertThat(s.path("currentMetrics").path(0).path("resource").path("current").path("averageUtilization").asInt()).isEqualTo(50);
        assertThat(s.path("currentMetrics").path(0).path("resource").path("current").path("averageValue").asText()).isEqualTo("100m");
        assertThat(Meta.condition(hpaObject(), "ScalingActive").path("reason").asText()).isEqualTo("ValidMetricFound");
        assertThat(Meta.condition(hpaObject(), "AbleToScale").path("reason").asText()).isEqualTo("ReadyForNewScale");
        assertThat(Meta.condition(hpaObject(), "ScalingLimited").path("status").asText()).isEqualTo("False");
        assertThat(rescales()).isEmpty();

        c.sim.setCpuLoad("default", "web", 1200); // 300 %: wants 12 replicas
        c.advance(Duration.ofSeconds(14));
        assertThat(replicas()).isEqualTo(2); // not before the next sync
        c.advance(Duration.ofSeconds(1));
        assertThat(replicas()).isEqualTo(4); // at most doubled (or 4) per sync without a behavior
        assertThat(Meta.condition(hpaObject(), "ScalingLimited").path("reason").asText()).isEqualTo("ScaleUpLimit");
        assertThat(hpaObject().path("status").path("lastScaleTime").asText()).isEqualTo("2026-11-24T10:00:15Z");
        assertThat(readyPods()).isEqualTo(4);
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(5);
        ObjectNode limited = hpaObject();
        assertThat(Meta.condition(limited, "ScalingLimited").path("status").asText()).isEqualTo("True");
        assertThat(Meta.condition(limited, "ScalingLimited").path("reason").asText()).isEqualTo("TooManyReplicas");
        assertThat(Meta.condition(limited, "AbleToScale").path("reason").asText()).isEqualTo("SucceededRescale");
        assertThat(rescales()).containsExactly("New size: 4; reason: cpu resource utilization (percentage of request) above target",
                "New size: 5; reason: cpu resource utilization (percentage of request) above target");
        c.advance(Duration.ofSeconds(15)); // 10:00:45, the last recommendation above 5
        assertThat(replicas()).isEqualTo(5);
        assertThat(hpaObject().path("status").path("currentMetrics").path(0).path("resource").path("current").path("averageUtilization").asInt())
                .isEqualTo(120);

        c.sim.setCpuLoad("default", "web", 100); // 10 %: wants 1
        c.advance(Duration.ofSeconds(300)); // 10:05:45: the 10:00:45 recommendation is still in the window
        assertThat(replicas()).isEqualTo(5);
        assertThat(Meta.condition(hpaObject(), "AbleToScale").path("reason").asText()).isEqualTo("ScaleDownStabilized");
        assertThat(hpaObject().path("status").path("desiredReplicas").asInt()).isEqualTo(5);
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(1);
        assertThat(rescales()).last().isEqualTo("New size: 1; reason: All metrics below target");
        assertThat(Meta.condition(hpaObject(), "ScalingLimited").path("reason").asText()).isEqualTo("DesiredWithinRange");
        c.advance(Duration.ofSeconds(1));
        assertThat(readyPods()).isEqualTo(1);
    }

    @Test
    void behaviorPoliciesLimitTheRateAndTheLoadCanComeFromAnAnnotation() {
        c.apply(deployment(2, "{requests: {cpu: 250m}}"));
        ObjectNode d = c.get(Kinds.DEPLOYMENT, "web");
        d.with("metadata").with("annotations").put(PodMetrics.LOAD_ANNOTATION, "2000"); // wants 8 × 250m
        c.api.update(Kinds.DEPLOYMENT, d);
        c.apply(hpa(1, 10, "{type: AverageValue, averageValue: 250m}", """
                behavior:
                    scaleUp:
                      policies: [{type: Pods, value: 1, periodSeconds: 30}]
                    scaleDown:
                      stabilizationWindowSeconds: 30
                      policies: [{type: Percent, value: 50, periodSeconds: 15}]
                """));
        assertThat(replicas()).isEqualTo(3); // one pod per 30 s
        assertThat(Meta.condition(hpaObject(), "ScalingLimited").path("reason").asText()).isEqualTo("ScaleUpLimit");
        assertThat(hpaObject().path("status").path("currentMetrics").path(0).path("resource").path("current").path("averageValue").asText())
                .isEqualTo("1");
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(3); // the period has not passed
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(4);

        d = c.get(Kinds.DEPLOYMENT, "web");
        d.with("metadata").with("annotations").put(PodMetrics.LOAD_ANNOTATION, "100");
        c.api.update(Kinds.DEPLOYMENT, d);
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(4); // stabilised for 30 s
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(2); // at most half per 15 s
        assertThat(Meta.condition(hpaObject(), "ScalingLimited").path("reason").asText()).isEqualTo("ScaleDownLimit");
        c.advance(Duration.ofSeconds(15));
        assertThat(replicas()).isEqualTo(1);
        assertThat(rescales()).last().isEqualTo("New size: 1; reason: All metrics below target");
    }

    @Test
    void aDisabledScaleDownKeepsTheReplicas() {
        c.apply(deployment(3, "{requests: {cpu: 100m}}"));
        c.sim.setCpuLoad("default", "web", 30);
        c.apply(hpa(1, 5, "{type: Utilization, averageUtilization: 50}", """
                behavior:
                    scaleDown: {selectPolicy: Disabled}
                """));
        c.advance(Duration.ofMinutes(6));
        assertThat(replicas()).isEqualTo(3);
        ObjectNode h = hpaObject();
        assertThat(h.path("status").path("desiredReplicas").asInt()).isEqualTo(3);
        assertThat(Meta.condition(h, "ScalingLimited").path("reason").asText()).isEqualTo("ScaleDownLimit");
        assertThat(rescales()).isEmpty();
    }

    @Test
    void podsWithoutACpuRequestCannotBeScaledOnUtilization() {
        c.apply(deployment(2, "{}"));
        c.sim.setCpuLoad("default", "web", 500);
        c.apply(hpa(1, 5, "{type: Utilization, averageUtilization: 50}", ""));
        ObjectNode h = hpaObject();
        assertThat(Meta.condition(h, "ScalingActive").path("status").asText()).isEqualTo("False");
        assertThat(Meta.condition(h, "ScalingActive").path("reason").asText()).isEqualTo("FailedGetResourceMetric");
        assertThat(c.events("FailedGetResourceMetric")).singleElement().satisfies(e -> assertThat(e.path("message").asText())
                .matches("failed to get cpu utilization: missing request for cpu in container web of Pod web-.*"));
        c.advance(Duration.ofSeconds(30));
        assertThat(replicas()).isEqualTo(2);
    }

    @Test
    void theReplicaCalculationHasATolerance() {
        assertThat(HorizontalPodAutoscalerController.replicas(4, 1.09, 1.09, 4, 0)).isEqualTo(4);
        assertThat(HorizontalPodAutoscalerController.replicas(4, 1.2, 1.2, 4, 0)).isEqualTo(5);
        assertThat(HorizontalPodAutoscalerController.replicas(4, 0.5, 0.5, 4, 0)).isEqualTo(2);
        // not-ready pods count as idle when scaling up: 2 ready at 150 %, 2 not ready → 75 % overall, no scale-up
        assertThat(HorizontalPodAutoscalerController.replicas(4, 1.5, 0.75, 2, 2)).isEqualTo(4);
    }
}
