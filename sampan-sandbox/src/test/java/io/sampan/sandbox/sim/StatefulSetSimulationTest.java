package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StatefulSets, their pods, claims and revisions through the simulated controllers, on a manual clock. */
class StatefulSetSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));
    /** Pods as they were added and deleted, in order: "+web-0", "-web-2". */
    List<String> podChanges = new CopyOnWriteArrayList<>();

    {
        c.store.watch(c.store.revision(), change -> {
            if (change.resource().equals(Kinds.POD) && !change.type().equals("MODIFIED")) {
                podChanges.add((change.type().equals("ADDED") ? "+" : "-") + Meta.name(change.object()));
            }
        });
    }

    @AfterEach
    void close() {
        c.close();
    }

    static String statefulSet(String image, int replicas, String extra) {
        return """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  %s
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: %s
                        readinessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 5}
                """.formatted(replicas, extra, image);
    }

    JsonNode status() {
        return c.get(Kinds.STATEFULSET, "web").path("status");
    }

    List<String> podNames() {
        return c.pods("app", "web").stream().map(Meta::name).sorted().toList();
    }

    String image(String pod) {
        return c.get(Kinds.POD, pod).path("spec").path("containers").path(0).path("image").asText();
    }

    List<String> eventMessages(String reason) {
        return c.events(reason).stream().filter(e -> e.path("involvedObject").path("kind").asText().equals("StatefulSet"))
                .map(e -> e.path("message").asText()).toList();
    }

    @Test
    void orderedReadyCreatesOnePodAtATimeEachAfterThePreviousIsReady() {
        c.apply(statefulSet("shop/web:1.0", 3, ""));
        assertThat(podNames()).containsExactly("web-0");
        ObjectNode web0 = c.get(Kinds.POD, "web-0");
        assertThat(web0.path("spec").path("hostname").asText()).isEqualTo("web-0");
        assertThat(web0.path("spec").path("subdomain").asText()).isEqualTo("web");
        assertThat(Meta.labels(web0)).containsEntry("statefulset.kubernetes.io/pod-name", "web-0").containsEntry("apps.kubernetes.io/pod-index", "0")
                .containsEntry("controller-revision-hash", status().path("updateRevision").asText());
        assertThat(web0.path("status").path("phase").asText()).isEqualTo("Running");
        c.advance(Duration.ofSeconds(4));
        assertThat(podNames()).as("web-1 waits for web-0 to be Ready").containsExactly("web-0");
        c.advance(Duration.ofSeconds(1));
        assertThat(podNames()).containsExactly("web-0", "web-1");
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(1);
        c.advance(Duration.ofSeconds(5));
        assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
        c.advance(Duration.ofSeconds(5));
        JsonNode s = status();
        assertThat(s.path("replicas").asInt()).isEqualTo(3);
        assertThat(s.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("currentReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("currentRevision").asText()).startsWith("web-").isEqualTo(s.path("updateRevision").asText());
        assertThat(s.path("observedGeneration").asInt()).isEqualTo(1);
        assertThat(podChanges).containsExactly("+web-0", "+web-1", "+web-2");
        assertThat(eventMessages("SuccessfulCreate")).containsExactlyInAnyOrder("create Pod web-0 in StatefulSet web successful",
                "create Pod web-1 in StatefulSet web successful", "create Pod web-2 in StatefulSet web successful");
        // the API server's defaults, which kubectl rollout status needs
        JsonNode spec = c.get(Kinds.STATEFULSET, "web").path("spec");
        assertThat(spec.path("updateStrategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.path("updateStrategy").path("rollingUpdate").path("partition").asInt(-1)).isZero();
        assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("OrderedReady");
    }

    @Test
    void parallelCreatesAllPodsAtOnce() {
        c.apply(statefulSet("shop/web:1.0", 3, "podManagementPolicy: Parallel"));
        assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
        c.advance(Duration.ofSeconds(5));
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(3);
    }

    @Test
    void minReadySecondsHoldsTheNextOrdinalUntilThePodIsAvailable() {
        c.apply(statefulSet("shop/web:1.0", 2, "minReadySeconds: 10"));
        c.advance(Duration.ofSeconds(5));
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(status().path("availableReplicas").asInt()).isZero();
        assertThat(podNames()).containsExactly("web-0");
        c.advance(Duration.ofSeconds(10));
        assertThat(status().path("availableReplicas").asInt()).isEqualTo(1);
        assertThat(podNames()).containsExactly("web-0", "web-1");
    }

    @Test
    void aFailedPodIsRecreated() {
        c.apply(statefulSet("shop/web:1.0", 1, ""));
        c.advance(Duration.ofSeconds(5));
        String uid = Meta.uid(c.get(Kinds.POD, "web-0"));
        ObjectNode failed = c.get(Kinds.POD, "web-0");
        failed.with("status").put("phase", "Failed");
        c.api.updateStatus(Kinds.POD, failed);
        c.sim.awaitIdle();
        assertThat(Meta.uid(c.get(Kinds.POD, "web-0"))).isNotEqualTo(uid);
        assertThat(c.events("RecreatingFailedPod")).extracting(e -> e.path("message").asText())
                .containsExactly("StatefulSet default/web is recreating failed Pod web-0");
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalFirst() {
        c.apply(statefulSet("shop/web:1.0", 4, ""));
        c.advance(Duration.ofSeconds(25));
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(4);
        podChanges.clear();
        c.apply(statefulSet("shop/web:1.0", 1, ""));
        assertThat(podNames()).containsExactly("web-0");
        assertThat(podChanges).containsExactly("-web-3", "-web-2", "-web-1");
        assertThat(eventMessages("SuccessfulDelete")).contains("delete Pod web-3 in StatefulSet web successful");
        assertThat(status().path("replicas").asInt()).isEqualTo(1);
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(1);
    }

    @Test
    void aPartitionedUpdateReplacesOnlyOrdinalsAtOrAboveThePartitionThenAllOnceItIsZero() {
        String partition2 = "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}";
        c.apply(statefulSet("shop/web:1.0", 3, partition2));
        c.advance(Duration.ofSeconds(20));
        String first = status().path("currentRevision").asText();
        podChanges.clear();
        c.apply(statefulSet("shop/web:2.0", 3, partition2));
        c.advance(Duration.ofSeconds(10));
        assertThat(podChanges).containsExactly("-web-2", "+web-2");
        assertThat(image("web-2")).isEqualTo("shop/web:2.0");
        assertThat(image("web-1")).isEqualTo("shop/web:1.0");
        assertThat(image("web-0")).isEqualTo("shop/web:1.0");
        JsonNode s = status();
        assertThat(s.path("currentRevision").asText()).isEqualTo(first);
        assertThat(s.path("updateRevision").asText()).isNotEqualTo(first);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(1);
        assertThat(s.path("currentReplicas").asInt()).isEqualTo(2);
        assertThat(s.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(Meta.labels(c.get(Kinds.POD, "web-2"))).containsEntry("controller-revision-hash", s.path("updateRevision").asText());
        // a deleted pod below the partition comes back at the current revision
        c.api.delete(Kinds.POD, "default", "web-0");
        c.advance(Duration.ofSeconds(6));
        assertThat(image("web-0")).isEqualTo("shop/web:1.0");

        podChanges.clear();
        c.apply(statefulSet("shop/web:2.0", 3, "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}"));
        assertThat(podChanges).as("one pod at a time").containsExactly("-web-1", "+web-1");
        c.advance(Duration.ofSeconds(20));
        assertThat(podChanges).containsExactly("-web-1", "+web-1", "-web-0", "+web-0");
        assertThat(List.of(image("web-0"), image("web-1"), image("web-2"))).containsOnly("shop/web:2.0");
        s = status();
        assertThat(s.path("currentRevision").asText()).isEqualTo(s.path("updateRevision").asText());
        assertThat(s.path("currentReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(3);
        List<ObjectNode> revisions = c.api.list(Kinds.CONTROLLER_REVISION, "default", r -> true);
        assertThat(revisions).extracting(r -> r.path("revision").asInt()).containsExactlyInAnyOrder(1, 2);
        assertThat(revisions).extracting(Meta::name).contains(first, s.path("updateRevision").asText());
        ObjectNode newest = revisions.stream().filter(r -> r.path("revision").asInt() == 2).findFirst().orElseThrow();
        assertThat(newest.path("data").path("spec").path("template").path("spec").path("containers").path(0).path("image").asText())
                .isEqualTo("shop/web:2.0");
        assertThat(Meta.controllerKind(newest)).isEqualTo("StatefulSet");
    }

    @Test
    void maxUnavailableReplacesSeveralPodsAtOnceAndTheHistoryIsTrimmed() {
        String strategy = "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}\n  revisionHistoryLimit: 1";
        c.apply(statefulSet("shop/web:1.0", 4, strategy));
        c.advance(Duration.ofSeconds(25));
        podChanges.clear();
        c.apply(statefulSet("shop/web:2.0", 4, strategy));
        assertThat(podChanges).as("the two highest ordinals go together").startsWith("-web-3", "-web-2");
        c.advance(Duration.ofSeconds(30));
        assertThat(List.of(image("web-0"), image("web-1"), image("web-2"), image("web-3"))).containsOnly("shop/web:2.0");
        c.apply(statefulSet("shop/web:3.0", 4, strategy));
        c.advance(Duration.ofSeconds(30));
        c.apply(statefulSet("shop/web:4.0", 4, strategy));
        c.advance(Duration.ofSeconds(30));
        assertThat(status().path("updatedReplicas").asInt()).isEqualTo(4);
        assertThat(c.api.list(Kinds.CONTROLLER_REVISION, "default", r -> true)).as("the current one and one more")
                .extracting(r -> r.path("revision").asInt()).containsExactlyInAnyOrder(3, 4);
    }

    @Test
    void onDeleteLeavesPodsUntilTheyAreDeleted() {
        String onDelete = "updateStrategy: {type: OnDelete}";
        c.apply(statefulSet("shop/web:1.0", 2, onDelete));
        c.advance(Duration.ofSeconds(15));
        c.apply(statefulSet("shop/web:2.0", 2, onDelete));
        c.advance(Duration.ofSeconds(15));
        assertThat(List.of(image("web-0"), image("web-1"))).containsOnly("shop/web:1.0");
        c.api.delete(Kinds.POD, "default", "web-1");
        c.advance(Duration.ofSeconds(6));
        assertThat(image("web-1")).isEqualTo("shop/web:2.0");
        assertThat(image("web-0")).isEqualTo("shop/web:1.0");
        assertThat(status().path("updatedReplicas").asInt()).isEqualTo(1);
    }

    @Test
    void eachOrdinalGetsItsOwnBoundClaimWhichOutlivesScaleDown() {
        String claims = """
                volumeClaimTemplates:
                  - metadata: {name: www}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """.replace("\n", "\n  ");
        c.apply(statefulSet("shop/web:1.0", 3, claims));
        c.advance(Duration.ofSeconds(20));
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            ObjectNode claim = c.get(Kinds.PVC, "www-web-" + i);
            assertThat(claim.path("status").path("phase").asText()).isEqualTo("Bound");
            assertThat(claim.path("status").path("capacity").path("storage").asText()).isEqualTo("1Gi");
            assertThat(claim.path("spec").path("storageClassName").asText()).isEqualTo("standard");
            assertThat(Meta.labels(claim)).containsEntry("app", "web");
            String volume = claim.path("spec").path("volumeName").asText();
            assertThat(volume).isEqualTo("pvc-" + Meta.uid(claim));
            ObjectNode pv = c.get(VolumeBinder.PV, volume);
            assertThat(pv.path("status").path("phase").asText()).isEqualTo("Bound");
            assertThat(pv.path("spec").path("claimRef").path("name").asText()).isEqualTo("www-web-" + i);
            assertThat(pv.path("spec").path("capacity").path("storage").asText()).isEqualTo("1Gi");
            JsonNode podVolume = c.get(Kinds.POD, "web-" + i).path("spec").path("volumes").path(0);
            assertThat(podVolume.path("name").asText()).isEqualTo("www");
            assertThat(podVolume.path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("www-web-" + i);
        }
        assertThat(eventMessages("SuccessfulCreate")).contains("create Claim www-web-0 Pod web-0 in StatefulSet web success");
        assertThat(c.events("ProvisioningSucceeded")).hasSize(3);
        String uid1 = Meta.uid(c.get(Kinds.PVC, "www-web-1"));

        c.apply(statefulSet("shop/web:1.0", 1, claims));
        assertThat(podNames()).containsExactly("web-0");
        assertThat(c.api.list(Kinds.PVC, "default", x -> true)).extracting(Meta::name).containsExactlyInAnyOrder("www-web-0", "www-web-1", "www-web-2");

        c.apply(statefulSet("shop/web:1.0", 2, claims));
        assertThat(Meta.uid(c.get(Kinds.PVC, "www-web-1"))).as("the same claim again").isEqualTo(uid1);
        assertThat(c.get(Kinds.POD, "web-1").path("spec").path("nodeName").asText()).isNotEmpty();
    }

    @Test
    void aPodWhoseClaimIsUnboundStaysPendingUntilItBinds() {
        c.apply("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
                """);
        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: db, labels: {app: db}}
                spec:
                  containers: [{name: db, image: postgres:16}]
                  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
                """);
        c.advance(Duration.ofSeconds(5));
        ObjectNode db = c.get(Kinds.POD, "db");
        assertThat(db.path("spec").path("nodeName").asText("")).isEmpty();
        assertThat(db.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(Meta.condition(db, "PodScheduled").path("message").asText()).contains("pod has unbound immediate PersistentVolumeClaims");
        assertThat(c.events("ProvisioningFailed")).extracting(e -> e.path("message").asText())
                .contains("storageclass.storage.k8s.io \"fast\" not found");
        c.apply("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: fast}
                provisioner: sandbox.sampan.io/hostpath
                reclaimPolicy: Retain
                """);
        c.advance(Duration.ofSeconds(20));
        assertThat(c.get(Kinds.PVC, "data").path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(c.get(Kinds.POD, "db").path("status").path("phase").asText()).isEqualTo("Running");
        String volume = c.get(Kinds.PVC, "data").path("spec").path("volumeName").asText();
        c.api.delete(Kinds.POD, "default", "db");
        c.api.delete(Kinds.PVC, "default", "data");
        c.sim.awaitIdle();
        assertThat(c.get(VolumeBinder.PV, volume).path("status").path("phase").asText()).as("Retain").isEqualTo("Released");
    }

    @Test
    void aWaitForFirstConsumerClaimBindsWhereItsPodIsScheduledAndScaledDownClaimsCanBeDeleted() {
        c.apply("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: local}
                provisioner: sandbox.sampan.io/hostpath
                volumeBindingMode: WaitForFirstConsumer
                """);
        String claims = """
                persistentVolumeClaimRetentionPolicy: {whenScaled: Delete, whenDeleted: Retain}
                volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
                """.replace("\n", "\n  ");
        c.apply(statefulSet("shop/db:1.0", 2, claims));
        c.advance(Duration.ofSeconds(10));
        assertThat(status().path("readyReplicas").asInt()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            ObjectNode claim = c.get(Kinds.PVC, "data-web-" + i);
            String node = c.get(Kinds.POD, "web-" + i).path("spec").path("nodeName").asText();
            assertThat(claim.path("status").path("phase").asText()).isEqualTo("Bound");
            assertThat(Meta.annotation(claim, "volume.kubernetes.io/selected-node")).isEqualTo(node);
            ObjectNode pv = c.get(VolumeBinder.PV, claim.path("spec").path("volumeName").asText());
            assertThat(pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms").path(0).path("matchFields").path(0)
                    .path("values").path(0).asText()).isEqualTo(node);
        }
        assertThat(c.events("WaitForFirstConsumer")).isNotEmpty();
        c.apply(statefulSet("shop/db:1.0", 1, claims));
        assertThat(c.api.list(Kinds.PVC, "default", x -> true)).extracting(Meta::name).containsExactly("data-web-0");
    }

    @Test
    void deletingTheSetKeepsItsClaimsUnlessWhenDeletedSaysDelete() {
        String claims = """
                volumeClaimTemplates:
                  - metadata: {name: www}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """.replace("\n", "\n  ");
        c.apply(statefulSet("shop/web:1.0", 1, claims));
        c.api.delete(Kinds.STATEFULSET, "default", "web");
        c.sim.awaitIdle();
        assertThat(podNames()).isEmpty();
        assertThat(c.api.list(Kinds.CONTROLLER_REVISION, "default", r -> true)).isEmpty();
        assertThat(c.api.list(Kinds.PVC, "default", x -> true)).extracting(Meta::name).containsExactly("www-web-0");
        c.api.delete(Kinds.PVC, "default", "www-web-0");
        c.apply(statefulSet("shop/web:1.0", 1, "persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}\n  " + claims));
        String volume = c.get(Kinds.PVC, "www-web-0").path("spec").path("volumeName").asText();
        c.api.delete(Kinds.STATEFULSET, "default", "web");
        c.sim.awaitIdle();
        assertThat(c.api.list(Kinds.PVC, "default", x -> true)).isEmpty();
        assertThat(c.api.get(VolumeBinder.PV, null, volume)).as("reclaim policy Delete").isEmpty();
    }

    @Test
    void aClaimOfAClassWithoutProvisionerWaitsForAVolumeMadeByHand() {
        c.apply("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: manual}
                provisioner: kubernetes.io/no-provisioner
                """);
        c.apply("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: logs}
                spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
                """);
        assertThat(c.get(Kinds.PVC, "logs").path("status").path("phase").asText("Pending")).isEqualTo("Pending");
        assertThat(c.events("ProvisioningFailed")).extracting(e -> e.path("message").asText())
                .containsExactly("no volume plugin matched name: kubernetes.io/no-provisioner");
        c.apply("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: disk-1}
                spec: {storageClassName: manual, capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce, ReadOnlyMany], hostPath: {path: /mnt/disk-1}}
                """);
        ObjectNode claim = c.get(Kinds.PVC, "logs");
        assertThat(claim.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(claim.path("spec").path("volumeName").asText()).isEqualTo("disk-1");
        assertThat(claim.path("status").path("capacity").path("storage").asText()).isEqualTo("5Gi");
        assertThat(c.get(VolumeBinder.PV, "disk-1").path("status").path("phase").asText()).isEqualTo("Bound");
        c.apply("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: disk-2}
                spec: {storageClassName: manual, capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /mnt/disk-2}}
                """);
        assertThat(c.get(VolumeBinder.PV, "disk-2").path("status").path("phase").asText()).isEqualTo("Available");
    }

    @Test
    void theDefaultStorageClassExists() {
        ObjectNode sc = c.get(VolumeBinder.STORAGE_CLASS, "standard");
        assertThat(Meta.annotation(sc, "storageclass.kubernetes.io/is-default-class")).isEqualTo("true");
    }
}
