package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's API semantics as the fabric8 client sees them over HTTP. */
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiSemanticsTest {
    static SandboxCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("semantics");
        Config config = Config.fromKubeconfig(cluster.kubeconfig());
        config.setOnlyHttpWatches(true); // see the module README: a refused WebSocket upgrade costs the JDK client ~19 s
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    static ConfigMap cm(String ns, String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .addToData("k", "v").build();
    }

    static void namespace(String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    @Test
    void crudWithResourceVersionsAndOptimisticConcurrency() {
        namespace("crud");
        ConfigMap created = client.configMaps().inNamespace("crud").resource(cm("crud", "a", Map.of())).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThatThrownBy(() -> client.configMaps().inNamespace("crud").resource(cm("crud", "a", Map.of())).create())
                .isInstanceOf(KubernetesClientException.class).satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        ConfigMap changed = new ConfigMapBuilder(created).addToData("k2", "v2").build();
        ConfigMap updated = client.configMaps().inNamespace("crud").resource(changed).update();
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThatThrownBy(() -> client.configMaps().inNamespace("crud").resource(new ConfigMapBuilder(created).addToData("lost", "x").build()).update())
                .as("a write based on a stale version").isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getStatus().getReason()).isEqualTo("Conflict"));
        assertThat(client.configMaps().inNamespace("crud").withName("a").get().getData()).containsKeys("k", "k2").doesNotContainKey("lost");
        assertThatThrownBy(() -> client.configMaps().inNamespace("nope").resource(cm("nope", "x", Map.of())).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("namespaces \"nope\" not found");
        client.configMaps().inNamespace("crud").withName("a").delete();
        assertThat(client.configMaps().inNamespace("crud").withName("a").get()).isNull();
    }

    @Test
    void generationCountsSpecChangesAndStatusIsItsOwnSubresource() {
        namespace("gen");
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("gen").endMetadata().withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("r/web:1").endContainer().endSpec().endTemplate()
                .endSpec().build();
        Deployment created = client.apps().deployments().inNamespace("gen").resource(d).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        Deployment seen = client.apps().deployments().inNamespace("gen").withName("web").waitUntilCondition(x -> x.getStatus() != null
                && Integer.valueOf(2).equals(x.getStatus().getAvailableReplicas()), 10, TimeUnit.SECONDS);
        assertThat(seen.getStatus().getObservedGeneration()).as("pods scheduled, started and ready").isEqualTo(1L);
        assertThat(seen.getStatus().getAvailableReplicas()).isEqualTo(2);
        Deployment labelled = client.apps().deployments().inNamespace("gen").withName("web").edit(x -> new DeploymentBuilder(x).editMetadata()
                .addToLabels("team", "a").endMetadata().build());
        assertThat(labelled.getMetadata().getGeneration()).as("metadata is not spec").isEqualTo(1L);
        assertThat(labelled.getStatus()).as("a write to the main resource keeps the status").isNotNull();
        Deployment scaled = client.apps().deployments().inNamespace("gen").withName("web").scale(5);
        assertThat(client.apps().deployments().inNamespace("gen").withName("web").get().getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(scaled).isNotNull();
    }

    @Test
    void selectorsAndPaging() {
        namespace("sel");
        for (int i = 0; i < 7; i++) {
            client.configMaps().inNamespace("sel").resource(cm("sel", "c" + i, Map.of("tier", i % 2 == 0 ? "web" : "db", "n", "x" + i))).create();
        }
        assertThat(client.configMaps().inNamespace("sel").withLabel("tier", "web").list().getItems()).hasSize(4);
        assertThat(client.configMaps().inNamespace("sel").withLabelIn("n", "x1", "x2").list().getItems()).hasSize(2);
        assertThat(client.configMaps().inNamespace("sel").withLabelNotIn("tier", "web").list().getItems()).hasSize(3);
        assertThat(client.configMaps().inNamespace("sel").withoutLabel("tier", "web").list().getItems()).hasSize(3);
        assertThat(client.configMaps().inNamespace("sel").withField("metadata.name", "c3").list().getItems()).hasSize(1);
        var page = client.configMaps().inNamespace("sel").list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(3L).build());
        assertThat(page.getItems()).hasSize(3);
        assertThat(page.getMetadata().getContinue()).isNotBlank();
        var next = client.configMaps().inNamespace("sel").list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(3L)
                .withContinue(page.getMetadata().getContinue()).build());
        assertThat(next.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("c3", "c4", "c5");
        assertThat(client.configMaps().inAnyNamespace().withLabel("tier", "db").list().getItems()).hasSize(3);
    }

    @Test
    void patchesOfEveryKindAndServerSideApply() {
        namespace("patch");
        ConfigMap applied = client.configMaps().inNamespace("patch").resource(cm("patch", "p", Map.of("a", "1"))).fieldManager("sampan")
                .forceConflicts().serverSideApply();
        assertThat(applied.getData()).containsEntry("k", "v");
        ConfigMap reapplied = client.configMaps().inNamespace("patch").resource(new ConfigMapBuilder(cm("patch", "p", Map.of("a", "1")))
                .addToData("k3", "v3").build()).fieldManager("sampan").forceConflicts().serverSideApply();
        assertThat(reapplied.getData()).containsEntry("k3", "v3");
        ConfigMap same = client.configMaps().inNamespace("patch").resource(new ConfigMapBuilder(cm("patch", "p", Map.of("a", "1")))
                .addToData("k3", "v3").build()).fieldManager("sampan").forceConflicts().serverSideApply();
        assertThat(same.getMetadata().getResourceVersion()).as("applying the same again changes nothing").isEqualTo(reapplied.getMetadata().getResourceVersion());
        ConfigMap merged = client.configMaps().inNamespace("patch").withName("p").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"data\":{\"k\":null,\"m\":\"1\"}}");
        assertThat(merged.getData()).doesNotContainKey("k").containsEntry("m", "1");
        ConfigMap json = client.configMaps().inNamespace("patch").withName("p").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/data/m\",\"value\":\"2\"},{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"2\"}]");
        assertThat(json.getData()).containsEntry("m", "2");
        assertThat(json.getMetadata().getLabels()).containsEntry("b", "2");

        Deployment d = new DeploymentBuilder().withNewMetadata().withName("sm").withNamespace("patch").endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels("app", "sm").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "sm").endMetadata()
                .withNewSpec().addNewContainer().withName("a").withImage("r/a:1").endContainer().addNewContainer().withName("b").withImage("r/b:1")
                .endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().deployments().inNamespace("patch").resource(d).create();
        Deployment strategic = client.apps().deployments().inNamespace("patch").withName("sm").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"r/b:2\"}]}}}}");
        assertThat(strategic.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
                .as("containers merge by name").containsExactly("a=r/a:1", "b=r/b:2");
    }

    @Test
    void applyingAgainRemovesWhatTheManagerNoLongerSetsButKeepsOthersFields() {
        namespace("ssa");
        Deployment v1 = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("ssa").addToLabels("keep", "1")
                .addToLabels("drop", "1").endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "api").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "api").endMetadata().withNewSpec().addNewContainer().withName("api")
                .withImage("r/api:1").addNewEnv().withName("A").withValue("1").endEnv().addNewEnv().withName("B").withValue("2").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().deployments().inNamespace("ssa").resource(v1).fieldManager("sampan").forceConflicts().serverSideApply();
        client.apps().deployments().inNamespace("ssa").withName("api").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"someone\":\"else\"}}}");
        Deployment v2 = new DeploymentBuilder(v1).editMetadata().removeFromLabels("drop").endMetadata().editSpec().withReplicas(null)
                .editTemplate().editSpec().editFirstContainer().withEnv(v1.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0))
                .endContainer().endSpec().endTemplate().endSpec().build();
        Deployment after = client.apps().deployments().inNamespace("ssa").resource(v2).fieldManager("sampan").forceConflicts().serverSideApply();
        assertThat(after.getMetadata().getLabels()).containsEntry("keep", "1").doesNotContainKey("drop");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName()).containsExactly("A");
        assertThat(after.getSpec().getReplicas()).as("dropped from the applied configuration, then defaulted as the API server does").isEqualTo(1);
        assertThat(after.getMetadata().getAnnotations()).as("another manager's field").containsEntry("someone", "else");
    }

    @Test
    void watchesDeliverChangesFromAResourceVersionAndOldOnesAreGone() throws Exception {
        namespace("watch");
        ConfigMap first = client.configMaps().inNamespace("watch").resource(cm("watch", "w1", Map.of())).create();
        client.configMaps().inNamespace("watch").resource(cm("watch", "w2", Map.of())).create();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        var watch = client.configMaps().inNamespace("watch").withResourceVersion(first.getMetadata().getResourceVersion()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                seen.add(action + " " + cm.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        try {
            assertThat(seen.poll(5, TimeUnit.SECONDS)).as("replayed from the given version, not before").isEqualTo("ADDED w2");
            client.configMaps().inNamespace("watch").withName("w1").delete();
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("DELETED w1");
        } finally {
            watch.close();
        }
        List<String> names = client.configMaps().inNamespace("watch").list().getItems().stream().map(c -> c.getMetadata().getName()).toList();
        assertThat(names).containsExactly("w2");
    }

    @Test
    void deletingANamespaceRemovesWhatIsInIt() {
        namespace("gone");
        client.configMaps().inNamespace("gone").resource(cm("gone", "x", Map.of())).create();
        client.namespaces().withName("gone").delete();
        assertThat(client.configMaps().inNamespace("gone").list().getItems()).isEmpty();
    }
}
