package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sampan.sandbox.SandboxCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated operators on a manual clock: a named kind's objects become ready after the delay, or fail with the message. */
class SimulatedOperatorsTest {
    static SandboxCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("operators", 0, Simulation.Options.defaults().withClock(SimClock.manual(Instant.parse("2026-12-01T10:00:00Z"))));
        Config config = Config.fromKubeconfig(cluster.kubeconfig());
        config.setOnlyHttpWatches(true);
        client = new KubernetesClientBuilder().withConfig(config).build();
        for (String[] crd : List.of(new String[] {"databases.spotahome.com", "RedisFailover", "redisfailovers"},
                new String[] {"kafka.strimzi.io", "Kafka", "kafkas"}, new String[] {"postgresql.cnpg.io", "Cluster", "clusters"})) {
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder().withNewMetadata()
                    .withName(crd[2] + "." + crd[0]).endMetadata().withNewSpec().withGroup(crd[0]).withScope("Namespaced").withNewNames()
                    .withKind(crd[1]).withPlural(crd[2]).endNames().addNewVersion().withName("v1").withServed(true).withStorage(true)
                    .withNewSubresources().withNewStatus().endStatus().endSubresources().withNewSchema().withOpenAPIV3Schema(
                            new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build())
                    .endSchema().endVersion().endSpec().build()).create();
        }
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("ops").endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    static GenericKubernetesResource create(String group, String kind, String name) {
        return client.genericKubernetesResources(group + "/v1", kind).inNamespace("ops").resource(new GenericKubernetesResourceBuilder()
                .withApiVersion(group + "/v1").withKind(kind).withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("replicas", 3))).build()).create();
    }

    static GenericKubernetesResource get(String group, String kind, String name) {
        return client.genericKubernetesResources(group + "/v1", kind).inNamespace("ops").withName(name).get();
    }

    @Test
    void anOperatedKindBecomesReadyAfterItsDelayAndOthersAreLeftAlone() {
        cluster.simulation().operators().operate("databases.spotahome.com", "RedisFailover", Duration.ofSeconds(30));
        create("databases.spotahome.com", "RedisFailover", "cache");
        create("kafka.strimzi.io", "Kafka", "untouched");
        cluster.simulation().advance(Duration.ofSeconds(29));
        assertThat(get("databases.spotahome.com", "RedisFailover", "cache").getAdditionalProperties()).doesNotContainKey("status");

        cluster.simulation().advance(Duration.ofSeconds(1));
        GenericKubernetesResource ready = get("databases.spotahome.com", "RedisFailover", "cache");
        assertThat(ready.<String>get("status", "phase")).isEqualTo("Ready");
        assertThat(ready.<Object>get("status", "observedGeneration").toString()).isEqualTo("1");
        assertThat(ready.<List<Map<String, Object>>>get("status", "conditions")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("type", "Ready").containsEntry("status", "True"));
        assertThat(get("kafka.strimzi.io", "Kafka", "untouched").getAdditionalProperties()).doesNotContainKey("status");
    }

    @Test
    void aFailingKindReportsItsMessage() {
        cluster.simulation().operators().fail("postgresql.cnpg.io", "Cluster", "no storage class fast-ssd");
        create("postgresql.cnpg.io", "Cluster", "orders");
        cluster.simulation().awaitIdle();
        GenericKubernetesResource failed = get("postgresql.cnpg.io", "Cluster", "orders");
        assertThat(failed.<String>get("status", "phase")).isEqualTo("Failed");
        assertThat(failed.<String>get("status", "message")).isEqualTo("no storage class fast-ssd");
        assertThat(failed.<List<Map<String, Object>>>get("status", "conditions")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("status", "False").containsEntry("message", "no storage class fast-ssd"));
    }
}
