package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deployments and their pods through the simulated scheduler, kubelets and controllers, on a manual clock. */
class DeploymentSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));

    @AfterEach
    void close() {
        c.close();
    }

    static String deployment(String image, int replicas, String extra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  %s
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: %s
                        resources: {requests: {cpu: 100m, memory: 64Mi}}
                        readinessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 5}
                """.formatted(replicas, extra, image);
    }

    static JsonNode status(SimCluster c) {
        return c.get(Kinds.DEPLOYMENT, "web").path("status");
    }

    @Test
    void aDeploymentBecomesAvailableAfterTheReadinessDelay() {
        c.apply(deployment("shop/web:1.0", 3, ""));
        List<ObjectNode> pods = c.pods("app", "web");
        assertThat(pods).hasSize(3);
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.path("spec").path("nodeName").asText()).startsWith("node-");
            assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
            assertThat(Meta.conditionTrue(p, "Ready")).isFalse();
        });
        assertThat(status(c).path("availableReplicas").asInt()).isZero();
        c.advance(Duration.ofSeconds(5));
        JsonNode s = status(c);
        assertThat(s.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(3);
        assertThat(Meta.condition(c.get(Kinds.DEPLOYMENT, "web"), "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(Meta.conditionTrue(c.get(Kinds.DEPLOYMENT, "web"), "Available")).isTrue();
        // spread by least-allocated over the three nodes
        assertThat(c.pods("app", "web").stream().map(p -> p.path("spec").path("nodeName").asText()).collect(Collectors.toSet())).hasSize(3);
        assertThat(c.events("Scheduled")).hasSize(3);
        c.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
                """);
        JsonNode subset = c.get(Kinds.ENDPOINTS, "web").path("subsets").path(0);
        assertThat(subset.path("addresses")).hasSize(3);
        assertThat(subset.path("ports").path(0).path("port").asInt()).isEqualTo(8080);
        assertThat(c.get(Kinds.SERVICE, "web").path("spec").path("clusterIP").asText()).startsWith("10.96.");
    }

    @Test
    void aRollingUpdateReplacesPodsWithinSurgeAndUnavailability() {
        c.apply(deployment("shop/web:1.0", 4, "strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"));
        c.advance(Duration.ofSeconds(5));
        c.apply(deployment("shop/web:2.0", 4, "strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"));
        // surge one pod of the new version; no old pod goes before it is available
        List<ObjectNode> pods = c.pods("app", "web");
        assertThat(pods).hasSize(5);
        for (int i = 0; i < 30 && status(c).path("updatedReplicas").asInt() < 4 || status(c).path("replicas").asInt() > 4; i++) {
            assertThat(c.pods("app", "web").stream().filter(PodTemplates::ready).count()).isGreaterThanOrEqualTo(4);
            c.advance(Duration.ofSeconds(1));
        }
        JsonNode s = status(c);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(4);
        assertThat(s.path("replicas").asInt()).isEqualTo(4);
        c.advance(Duration.ofSeconds(5));
        assertThat(status(c).path("availableReplicas").asInt()).isEqualTo(4);
        assertThat(c.pods("app", "web")).allSatisfy(p -> assertThat(p.path("spec").path("containers").path(0).path("image").asText())
                .isEqualTo("shop/web:2.0"));
        ObjectNode d = c.get(Kinds.DEPLOYMENT, "web");
        assertThat(Meta.annotation(d, DeploymentController.REVISION)).isEqualTo("2");
        assertThat(c.api.list(Kinds.REPLICASET, "default", x -> true)).hasSize(2);
    }

    @Test
    void aCrashLoopingRolloutExceedsItsProgressDeadline() {
        c.apply(deployment("shop/web:crash", 2, "progressDeadlineSeconds: 60"));
        c.advance(Duration.ofSeconds(30));
        ObjectNode pod = c.pods("app", "web").get(0);
        JsonNode cs = pod.path("status").path("containerStatuses").path(0);
        assertThat(cs.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(cs.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
        c.advance(Duration.ofSeconds(40));
        JsonNode progressing = Meta.condition(c.get(Kinds.DEPLOYMENT, "web"), "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("False");
        assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(c.pods("app", "web").get(0).path("status").path("containerStatuses").path(0).path("state").path("waiting").path("reason")
                .asText()).isIn("CrashLoopBackOff", "");
        List<String> logs = c.sim.logs().lines("default", Meta.name(pod), null, false, 1);
        assertThat(logs.get(0)).contains("exiting with code 1");
    }

    @Test
    void anImageThatCannotBePulledIsReported() {
        c.apply(deployment("shop/web:does-not-exist", 1, ""));
        c.advance(Duration.ofSeconds(3));
        JsonNode waiting = c.pods("app", "web").get(0).path("status").path("containerStatuses").path(0).path("state").path("waiting");
        assertThat(waiting.path("reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(c.events("Failed").get(0).path("message").asText()).contains("Failed to pull image \"shop/web:does-not-exist\"");
    }

    @Test
    void aFailedNodesPodsAreEvictedAndReplacedElsewhere() {
        c.apply(deployment("shop/web:1.0", 3, ""));
        c.advance(Duration.ofSeconds(5));
        String victim = c.pods("app", "web").get(0).path("spec").path("nodeName").asText();
        c.sim.failNode(victim);
        c.advance(Duration.ofSeconds(41));
        assertThat(Meta.condition(c.get(Kinds.NODE, victim), "Ready").path("status").asText()).isEqualTo("Unknown");
        assertThat(status(c).path("readyReplicas").asInt()).isEqualTo(2);
        c.advance(Duration.ofSeconds(300));
        c.advance(Duration.ofSeconds(6));
        List<ObjectNode> pods = c.pods("app", "web");
        assertThat(pods).hasSize(3).noneMatch(p -> p.path("spec").path("nodeName").asText().equals(victim));
        assertThat(status(c).path("availableReplicas").asInt()).isEqualTo(3);
    }

    @Test
    void aDrainRespectsADisruptionBudget() {
        c.apply(deployment("shop/web:1.0", 2, ""));
        c.apply("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {minAvailable: 2, selector: {matchLabels: {app: web}}}
                """);
        c.advance(Duration.ofSeconds(5));
        String node = c.pods("app", "web").get(0).path("spec").path("nodeName").asText();
        assertThat(c.get(Kinds.PDB, "web").path("status").path("disruptionsAllowed").asInt()).isZero();
        List<String> refused = c.sim.drain(node);
        assertThat(refused).hasSize(1);
        assertThat(c.get(Kinds.NODE, node).path("spec").path("unschedulable").asBoolean()).isTrue();
        c.apply(deployment("shop/web:1.0", 3, ""));
        c.advance(Duration.ofSeconds(6));
        assertThat(c.sim.drain(node)).isEmpty();
        c.advance(Duration.ofSeconds(6));
        Set<String> nodes = c.pods("app", "web").stream().map(p -> p.path("spec").path("nodeName").asText()).collect(Collectors.toSet());
        assertThat(nodes).doesNotContain(node);
    }

    @Test
    void aQuotaRefusesPodsOverItAndLimitRangesDefaultThem() {
        c.apply("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults}
                spec: {limits: [{type: Container, default: {cpu: 200m, memory: 128Mi}, defaultRequest: {cpu: 100m, memory: 64Mi}}]}
                """);
        c.apply("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: compute}
                spec: {hard: {limits.cpu: 500m, pods: "10"}}
                """);
        c.apply(deployment("shop/web:1.0", 3, ""));
        assertThat(c.pods("app", "web")).hasSize(2).allSatisfy(p -> assertThat(p.path("spec").path("containers").path(0).path("resources")
                .path("limits").path("cpu").asText()).isEqualTo("200m"));
        ObjectNode failed = c.events("FailedCreate").get(0);
        assertThat(failed.path("message").asText()).startsWith("Error creating: pods \"web-").contains("is forbidden: exceeded quota: compute, "
                + "requested: limits.cpu=200m, used: limits.cpu=400m, limited: limits.cpu=500m");
        assertThat(failed.path("involvedObject").path("kind").asText()).isEqualTo("ReplicaSet");
        assertThat(c.get(Kinds.QUOTA, "compute").path("status").path("used").path("limits.cpu").asText()).isEqualTo("400m");
        assertThat(c.get(Kinds.QUOTA, "compute").path("status").path("used").path("pods").asText()).isEqualTo("2");
        c.apply("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: compute}
                spec: {hard: {limits.cpu: "1", pods: "10"}}
                """);
        c.advance(Duration.ofSeconds(10));
        assertThat(c.pods("app", "web")).hasSize(3);
    }
}
