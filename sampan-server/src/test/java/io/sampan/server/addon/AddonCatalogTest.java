package io.sampan.server.addon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.server.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog as shipped and as overridden, and the objects each provider renders from it. */
class AddonCatalogTest {
    static final AddonCatalog SHIPPED = new AddonCatalog("");

    static AddonInstance instance(String type, Provider provider, String host) {
        return new AddonInstance("id-1", "p", "e", "shop-db", type, SHIPPED.get("type", type).defaultVersion(), "small", provider, false, "a",
                host, SHIPPED.get("type", type).port(), "app", "app", false, Instant.EPOCH);
    }

    @Test
    void everyShippedTypeHasVersionsPlansATemplateAndTheIssuesOnesAnOperator() {
        assertThat(SHIPPED.entries()).containsKeys("mysql", "postgresql", "redis", "rabbitmq", "kafka", "elasticsearch", "mongodb");
        SHIPPED.entries().values().forEach(e -> {
            assertThat(e.plans()).containsKey("small");
            assertThat(e.template()).as(e.type()).isNotNull();
            assertThat(AddonObjects.of(instance(e.type(), Provider.TEMPLATE, "addon-shop-db"), e, "ns", "dev")).hasSize(4);
            if (e.operator() != null) {
                HasMetadata cr = AddonObjects.of(instance(e.type(), Provider.OPERATOR, "h"), e, "ns", "dev").get(1);
                assertThat(cr).as(e.type()).isInstanceOf(GenericKubernetesResource.class);
                assertThat(cr.getMetadata().getName()).isEqualTo("addon-shop-db");
                assertThat(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(cr)).as(e.type()).doesNotContain("${");
            }
        });
        assertThat(SHIPPED.entries().values().stream().filter(e -> e.operator() != null).map(AddonCatalog.Entry::type))
                .contains("mysql", "postgresql", "redis", "rabbitmq", "kafka", "elasticsearch");
        assertThatThrownBy(() -> SHIPPED.get("spec.addons.db.type", "oracle")).isInstanceOf(RegistryException.Invalid.class)
                .hasMessageStartingWith("the platform offers no addon of type \"oracle\"; it offers elasticsearch, kafka");
        assertThatThrownBy(() -> AddonCatalog.plan(SHIPPED.get("t", "mysql"), "spec.addons.db.plan", "huge"))
                .hasMessage("mysql has no plan \"huge\"; plans: ha, small");
    }

    @Test
    void everyExamplesAddonIsOfferedInEveryEnvironment() throws Exception {
        try (var files = Files.list(Path.of("..", "examples"))) {
            for (Path app : files.map(d -> d.resolve("app.yaml")).filter(Files::exists).toList()) {
                var doc = io.sampan.spec.read.AppReader.read(app);
                List<String> envs = new java.util.ArrayList<>(doc.environments());
                envs.add(null);
                for (String env : envs) {
                    doc.resolve(env).addons().values().stream().filter(a -> !a.isExternal()).forEach(a -> {
                        AddonCatalog.Entry e = SHIPPED.get("type", a.type());
                        assertThat(AddonCatalog.version(e, app + " " + a.name(), a.version())).isNotNull();
                        assertThat(AddonCatalog.plan(e, app + " " + a.name(), a.plan())).isNotNull();
                    });
                }
            }
        }
    }

    @Test
    void theTemplateIsAStatefulSetWithClaimsProbeAndCredentialsByReference() {
        List<HasMetadata> objects = AddonObjects.of(instance("mysql", Provider.TEMPLATE, "addon-shop-db"), SHIPPED.get("t", "mysql"), "shop-dev", "dev");
        Secret secret = (Secret) objects.get(0);
        assertThat(secret.getData()).as("credentials are filled in only on their way into the cluster").isNullOrEmpty();
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("sampan.io/addon-credentials", "id-1/server")
                .containsEntry("sampan.io/trigger", "prerequisite");
        assertThat(((Service) objects.get(1)).getSpec().getClusterIP()).isEqualTo("None");
        StatefulSet set = (StatefulSet) objects.get(3);
        assertThat(set.getMetadata().getLabels()).containsEntry("sampan.io/addon", "shop-db").doesNotContainKey("sampan.io/app");
        assertThat(set.getSpec().getServiceName()).isEqualTo("addon-shop-db-hl");
        assertThat(set.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        var c = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("docker.io/library/mysql:8.0.40");
        assertThat(c.getReadinessProbe().getExec().getCommand()).contains("sh");
        assertThat(c.getEnv()).filteredOn(v -> v.getName().equals("MYSQL_ROOT_PASSWORD")).singleElement()
                .satisfies(v -> assertThat(v.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin-password"));
    }

    @Test
    void aPlatformsDirectoryReplacesAShippedTypeAndANamedFileIsBlamedForAMistake(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mysql.yaml"), """
                type: mysql
                port: 3307
                url: "mysql://${host}:${port}"
                defaultVersion: "8.0"
                versions: {"8.0": {image: "mirror.local/mysql:8.0.40"}}
                plans: {small: {replicas: 1, cpu: 250m, memory: 512Mi, storage: 1Gi}}
                """);
        AddonCatalog c = new AddonCatalog(dir.toString());
        assertThat(c.get("t", "mysql").port()).isEqualTo(3307);
        assertThat(c.get("t", "redis").port()).isEqualTo(6379);
        Files.writeString(dir.resolve("broken.yaml"), "type: x\nport: 1\nsizes: {}\n");
        assertThatThrownBy(() -> new AddonCatalog(dir.toString())).hasMessageContaining("broken.yaml").hasMessageContaining("sizes");
    }

    @Test
    void connectionKeysAreTheStandardOnesPlusTheOperatorsOwn() {
        AddonInstance redis = new AddonInstance("id", "p", "e", "cache", "redis", "7", "small", Provider.OPERATOR, true, null, "rfrm-addon-cache",
                6379, "default", "0", true, Instant.EPOCH);
        Map<String, String> keys = Connection.keys(redis, SHIPPED.get("t", "redis"), Map.of("password", "pw", "admin-password", "root"), false);
        assertThat(keys).containsExactly(Map.entry("host", "rfrm-addon-cache"), Map.entry("port", "6379"), Map.entry("username", "default"),
                Map.entry("database", "0"), Map.entry("password", "pw"), Map.entry("url", "redis://rfrm-addon-cache:6379/0"), Map.entry("tls", "true"),
                Map.entry("sentinels", "rfs-addon-cache:26379"), Map.entry("master-name", "mymaster"));
    }
}
