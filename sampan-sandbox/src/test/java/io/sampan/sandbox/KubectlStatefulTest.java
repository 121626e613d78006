package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl against a 3-node sandbox running 30 times faster than the wall clock: a StatefulSet with
 * claims per ordinal and a DaemonSet roll out as {@code kubectl rollout status} sees it, and
 * {@code kubectl get} prints their columns, the claims, volumes and the default StorageClass.
 */
class KubectlStatefulTest {
    static SandboxCluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        assumeTrue(Kubectl.installed(), "kubectl installed");
        cluster = SandboxCluster.start("stateful", 0, Simulation.Options.defaults().withNodes(NodeProfile.uniform(3, List.of("a", "b", "c")))
                .withClock(SimClock.scaled(30)));
        cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }


    static Kubectl.Run kubectl(String... args) throws IOException, InterruptedException {
        return new Kubectl(dir).run(args);
    }

    static Path manifest(String name, String text) throws IOException {
        return new Kubectl(dir).manifest(name, text);
    }

    static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web, namespace: default}
            spec:
              serviceName: web
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: shop/web:1.0
                    readinessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 3}
                    volumeMounts: [{name: www, mountPath: /data}]
              volumeClaimTemplates:
              - metadata: {name: www}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            """;

    @Test
    void aStatefulSetRollsOutWithAClaimPerPod() throws Exception {
        Kubectl.Run applied = kubectl("apply", "-f", manifest("web.yaml", STATEFUL_SET).toString());
        assertThat(applied.code()).as(applied.out()).isZero();
        Kubectl.Run rollout = kubectl("rollout", "status", "sts/web", "--timeout=60s");
        assertThat(rollout.code()).as(rollout.out()).isZero();
        assertThat(rollout.out()).contains("partitioned roll out complete: 3 new pods have been updated...");
        Kubectl.Run sts = kubectl("get", "sts", "web");
        assertThat(sts.out()).contains("READY").contains("3/3");
        Kubectl.Run pvc = kubectl("get", "pvc");
        assertThat(pvc.out()).contains("ACCESS MODES").contains("STORAGECLASS");
        assertThat(pvc.out().lines().filter(l -> l.startsWith("www-web-")).toList()).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("Bound").contains("pvc-").contains("1Gi").contains("RWO").contains("standard"));
        assertThat(kubectl("get", "pv").out()).contains("default/www-web-0").contains("Delete");
        assertThat(kubectl("get", "storageclass").out()).contains("standard (default)").contains("Immediate");
        Kubectl.Run events = kubectl("get", "events", "--field-selector", "involvedObject.kind=StatefulSet", "-o", "jsonpath={.items[*].message}");
        assertThat(events.out()).contains("create Claim www-web-0 Pod web-0 in StatefulSet web success");

        Kubectl.Run image = kubectl("patch", "sts", "web", "--type", "strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"shop/web:2.0\","
                        + "\"env\":[{\"name\":\"MODE\",\"value\":\"blue\"}]}]}}}}");
        assertThat(image.code()).as(image.out()).isZero();
        Kubectl.Run update = kubectl("rollout", "status", "sts/web", "--timeout=60s");
        assertThat(update.code()).as(update.out()).isZero();
        assertThat(update.out()).contains("partitioned roll out complete: 3 new pods have been updated...");
        assertThat(kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}").out())
                .isEqualTo("shop/web:2.0 shop/web:2.0 shop/web:2.0");
        Kubectl.Run history = kubectl("rollout", "history", "sts/web");
        assertThat(history.code()).as(history.out()).isZero();
        assertThat(history.out()).contains("REVISION").contains("1 ").contains("2 ");
        assertThat(kubectl("get", "controllerrevisions").out()).contains("CONTROLLER").contains("statefulset.apps/web");
        Kubectl.Run undo = kubectl("rollout", "undo", "sts/web");
        assertThat(undo.code()).as(undo.out()).isZero();
        assertThat(kubectl("rollout", "status", "sts/web", "--timeout=60s").out()).contains("partitioned roll out complete: 3 new pods");
        assertThat(kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}").out())
                .isEqualTo("shop/web:1.0 shop/web:1.0 shop/web:1.0");
        assertThat(kubectl("get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env}").out())
                .as("the template is replaced, not merged").isEmpty();
        assertThat(kubectl("get", "controllerrevisions", "--no-headers").out().lines()).as("the first template is revision 3 now")
                .anySatisfy(l -> assertThat(l).contains("statefulset.apps/web").contains(" 3 "));
    }

    @Test
    void aClaimBindsToAnExistingVolumeOfItsClass() throws Exception {
        Path m = manifest("static.yaml", """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: manual}
                provisioner: kubernetes.io/no-provisioner
                volumeBindingMode: Immediate
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: small}
                spec: {storageClassName: manual, capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/small}}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: big}
                spec: {storageClassName: manual, capacity: {storage: 10Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/big}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: logs, namespace: default}
                spec: {storageClassName: manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
                """);
        Kubectl.Run applied = kubectl("apply", "-f", m.toString());
        assertThat(applied.code()).as(applied.out()).isZero();
        Kubectl.Run wait = kubectl("wait", "pvc/logs", "--for=jsonpath={.status.phase}=Bound", "--timeout=30s");
        assertThat(wait.code()).as(wait.out()).isZero();
        assertThat(kubectl("get", "pvc", "logs", "--no-headers").out()).contains("big").contains("10Gi");
        Kubectl.Run pv = kubectl("get", "pv", "small", "big", "--no-headers");
        assertThat(pv.out().lines().filter(l -> l.startsWith("small")).findFirst().orElseThrow()).contains("Available");
        assertThat(pv.out().lines().filter(l -> l.startsWith("big")).findFirst().orElseThrow()).contains("Bound").contains("default/logs");
    }

    @Test
    void aDaemonSetRollsOutOnEveryNode() throws Exception {
        Path m = manifest("agent.yaml", """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: default}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers:
                      - name: agent
                        image: obs/agent:1.0
                        readinessProbe: {httpGet: {path: /, port: 9100}, initialDelaySeconds: 3}
                """);
        Kubectl.Run applied = kubectl("apply", "-f", m.toString());
        assertThat(applied.code()).as(applied.out()).isZero();
        Kubectl.Run rollout = kubectl("rollout", "status", "ds/agent", "--timeout=60s");
        assertThat(rollout.code()).as(rollout.out()).isZero();
        assertThat(rollout.out()).contains("daemon set \"agent\" successfully rolled out");
        Kubectl.Run ds = kubectl("get", "ds", "agent", "--no-headers");
        assertThat(ds.out().trim().split("\\s+")).startsWith("agent", "3", "3", "3", "3", "3", "<none>");
        assertThat(kubectl("set", "image", "ds/agent", "agent=obs/agent:2.0").code()).isZero();
        Kubectl.Run update = kubectl("rollout", "status", "ds/agent", "--timeout=60s");
        assertThat(update.code()).as(update.out()).isZero();
        assertThat(update.out()).contains("successfully rolled out");
        assertThat(kubectl("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.containers[0].image}").out())
                .isEqualTo("obs/agent:2.0 obs/agent:2.0 obs/agent:2.0");
        Kubectl.Run drain = kubectl("drain", "node-0", "--ignore-daemonsets", "--timeout=60s");
        assertThat(drain.code()).as(drain.out()).isZero();
        assertThat(kubectl("get", "pods", "-l", "app=agent", "-o", "wide").out()).as("daemon pods stay on a drained node").contains("node-0");
    }
}
