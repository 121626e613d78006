package io.sampan.server.addon;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ReleaseRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * Addons end to end through the real API, the real driver and a sandbox cluster (30 times faster
 * than the wall clock): {@code examples/shop} gets a template MySQL and Redis in dev and the release
 * waits for both; in prod, with external policies, the same app.yaml binds registered instances; an
 * operator's custom resource is made and waited on; a failing addon fails the release with its reason;
 * and no password shows in any answer, audit entry or log line.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:addons-e2e;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false", "logging.level.io.sampan=DEBUG"})
class AddonsEndToEndTest {
    static final String PROJECT = "/api/v1/orgs/default/projects/shop";
    static final String EXTERNAL_PASSWORD = "prod-db-password-5f4e3d2c1b";
    static SandboxCluster cluster;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;

    @BeforeAll
    static void startCluster() {
        NodeProfile nodes = new NodeProfile(List.of(new NodeProfile.Pool("node", 6, "8", "32Gi", 110, List.of("a", "b", "c"),
                Map.of("machine", "compute"), List.of())));
        cluster = SandboxCluster.start("addons", 0, Simulation.Options.defaults().withNodes(nodes).withClock(SimClock.scaled(30)));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static KubernetesClient client() {
        Config config = Config.fromKubeconfig(cluster.kubeconfig());
        config.setOnlyHttpWatches(true);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    ApiClient api() throws Exception {
        ApiClient api = new ApiClient(port);
        if (api.get(PROJECT).status() != 200) {
            assertThat(api.post("/api/v1/clusters", JSON.writeValueAsString(Map.of("name", "addons", "kubeconfig", cluster.kubeconfig())))
                    .status()).isEqualTo(201);
            api.post("/api/v1/orgs/default/projects", "{\"name\":\"shop\"}");
            for (String env : List.of("dev", "prod", "ops", "broken")) {
                assertThat(api.post(PROJECT + "/environments", "{\"name\":\"" + env + "\",\"clusters\":[{\"cluster\":\"addons\"}]}").status())
                        .isEqualTo(201);
            }
            assertThat(api.yaml(PROJECT + "/apps", Files.readString(Path.of("..", "examples", "shop", "app.yaml"))).status()).isEqualTo(201);
        }
        return api;
    }

    /** Ticks the release until it ends (the sandbox runs on its own threads: polled with a deadline); returns every message seen. */
    List<String> runUntilDone(ApiClient api, String release) {
        List<String> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            runner.runOnce();
            var r = api.get(release).json();
            r.get("clusters").forEach(c -> messages.add(c.get("step").asString() + ": " + c.get("message").asString()));
            if (!r.get("phase").asString().equals("running")) {
                messages.add(r.get("phase").asString() + (r.get("reason").isNull() ? "" : ": " + r.get("reason").asString()));
                return messages;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError("release " + release + " still running after 90 s: " + messages.get(messages.size() - 1));
    }

    static Map<String, String> data(KubernetesClient k, String namespace, String secret) {
        Secret s = k.secrets().inNamespace(namespace).withName(secret).get();
        assertThat(s).as("Secret " + secret + " in " + namespace).isNotNull();
        Map<String, String> out = new java.util.TreeMap<>();
        s.getData().forEach((key, v) -> out.put(key, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    static EnvVar env(KubernetesClient k, String namespace, String deployment, String name) {
        return k.apps().deployments().inNamespace(namespace).withName(deployment).get().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shopGetsTemplateAddonsInDevAndRegisteredOnesInProdWithoutShowingAPassword(CapturedOutput logs) throws Exception {
        ApiClient api = api();
        List<String> seen = new ArrayList<>();

        String dev = PROJECT + "/apps/shop/environments/dev/releases";
        var diff = api.get(PROJECT + "/apps/shop/environments/dev/diff");
        assertThat(diff.status()).isEqualTo(200);
        assertThat(diff.body()).as("the diff shows the addons to come").contains("addon-shop-db");
        assertThat(api.get(PROJECT + "/environments/dev/addons").json()).as("a diff provisions and binds nothing").isEmpty();
        assertThat(api.post(dev, "{}").status()).isEqualTo(201);
        List<String> messages = runUntilDone(api, dev + "/1");
        assertThat(messages.get(messages.size() - 1)).isEqualTo("succeeded");
        assertThat(messages).as("the release said what it waited for")
                .anyMatch(m -> m.startsWith("prerequisites: waiting for addon shop-") && m.contains("instances are ready"));
        List<String> passwords = new ArrayList<>();
        try (KubernetesClient k = client()) {
            java.time.Instant appCreated = java.time.Instant.parse(k.apps().deployments().inNamespace("shop-dev").withName("shop-api").get()
                    .getMetadata().getCreationTimestamp());
            for (String pod : List.of("addon-shop-db-0", "addon-shop-cache-0")) {
                String ready = k.pods().inNamespace("shop-dev").withName(pod).get().getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getLastTransitionTime();
                assertThat(appCreated).as("the app starts once " + pod + " is ready").isAfterOrEqualTo(java.time.Instant.parse(ready));
            }
            for (String set : List.of("addon-shop-db", "addon-shop-cache")) {
                var s = k.apps().statefulSets().inNamespace("shop-dev").withName(set).get();
                assertThat(s.getStatus().getReadyReplicas()).isEqualTo(1);
                assertThat(s.getSpec().getVolumeClaimTemplates()).hasSize(1);
                assertThat(s.getMetadata().getLabels()).containsEntry("sampan.io/addon", set.substring(6)).doesNotContainKey("sampan.io/app");
                assertThat(k.services().inNamespace("shop-dev").withName(set + "-hl").get().getSpec().getClusterIP()).isEqualTo("None");
            }
            assertThat(k.persistentVolumeClaims().inNamespace("shop-dev").withName("data-addon-shop-db-0").get()).isNotNull();
            Map<String, String> db = data(k, "shop-dev", "shop-addon-db");
            assertThat(db).containsEntry("host", "addon-shop-db").containsEntry("port", "3306").containsEntry("username", "app")
                    .containsEntry("database", "app").containsEntry("url", "mysql://addon-shop-db:3306/app").doesNotContainKey("admin-password");
            assertThat(db.get("password")).hasSize(24);
            passwords.add(db.get("password"));
            passwords.add(data(k, "shop-dev", "addon-shop-db-credentials").get("admin-password"));
            passwords.add(data(k, "shop-dev", "shop-addon-cache").get("password"));
            var dbHost = env(k, "shop-dev", "shop-api", "DB_HOST");
            assertThat(dbHost.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-addon-db");
            assertThat(env(k, "shop-dev", "shop-worker", "CACHE_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-addon-cache");
        }
        var list = api.get(PROJECT + "/environments/dev/addons");
        seen.add(list.body());
        assertThat(list.json()).hasSize(2);
        list.json().forEach(a -> {
            assertThat(a.get("status").asString()).isEqualTo("ready");
            assertThat(a.get("provider").asString()).isEqualTo("template");
            assertThat(a.get("secret").asString()).isEqualTo("addon-" + a.get("name").asString() + "-credentials");
        });
        assertThat(list.json().get(1).get("boundTo").get(0).asString()).isEqualTo("shop:db");

        // a second release re-renders the same credentials: nothing to change
        seen.add(api.get(PROJECT + "/apps/shop/environments/dev/diff").body());
        assertThat(api.get(PROJECT + "/apps/shop/environments/dev/diff").json().get("clusters").get(0).get("changes").toString())
                .doesNotContain("addon");

        // prod: the same app.yaml binds registered instances
        var registered = api.post(PROJECT + "/environments/prod/addons", "{\"name\":\"db\",\"type\":\"mysql\",\"external\":{\"host\":"
                + "\"mysql.prod.example.com\",\"username\":\"shop\",\"password\":\"" + EXTERNAL_PASSWORD + "\",\"database\":\"shop\",\"tls\":true}}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        seen.add(registered.body());
        seen.add(api.post(PROJECT + "/environments/prod/addons", "{\"name\":\"cache\",\"type\":\"redis\",\"external\":{\"host\":"
                + "\"redis.prod.example.com\",\"port\":6380,\"password\":\"" + EXTERNAL_PASSWORD + "-redis\"}}").body());
        var policy = api.send("PUT", PROJECT + "/environments/prod/addon-policy", "application/json", "{\"mysql\":\"external\",\"redis\":\"external\"}");
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);
        String prod = PROJECT + "/apps/shop/environments/prod/releases";
        assertThat(api.post(prod, "{}").status()).isEqualTo(201);
        messages = runUntilDone(api, prod + "/1");
        assertThat(messages.get(messages.size() - 1)).isEqualTo("succeeded");
        try (KubernetesClient k = client()) {
            assertThat(data(k, "shop-prod", "shop-addon-db")).containsEntry("host", "mysql.prod.example.com").containsEntry("port", "3306")
                    .containsEntry("username", "shop").containsEntry("password", EXTERNAL_PASSWORD).containsEntry("tls", "true")
                    .containsEntry("url", "mysql://mysql.prod.example.com:3306/shop");
            assertThat(data(k, "shop-prod", "shop-addon-cache")).containsEntry("port", "6380");
            assertThat(k.apps().statefulSets().inNamespace("shop-prod").list().getItems()).as("nothing provisioned in prod").isEmpty();
        }
        seen.add(api.get(PROJECT + "/environments/prod/addons/db").body());
        seen.add(api.get(PROJECT + "/apps/shop/environments/prod/releases/1/objects").body());
        seen.add(api.get(PROJECT + "/apps/shop/environments/dev/releases/1/objects").body());
        seen.add(api.get(PROJECT + "/apps/shop/environments/dev/releases/1").body());
        seen.add(api.get("/api/v1/audit?limit=500").body());
        passwords.add(EXTERNAL_PASSWORD);
        for (String password : passwords) {
            assertThat(seen).as("API answers").noneMatch(body -> body.contains(password));
            assertThat(logs.getAll()).as("logs").doesNotContain(password);
        }

        var refused = api.send("DELETE", PROJECT + "/environments/dev/addons/shop-db", "application/json", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("--delete-data");
    }

    static void installCrd(KubernetesClient k, String group, String kind, String plural) {
        k.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder().withNewMetadata()
                .withName(plural + "." + group).endMetadata().withNewSpec().withGroup(group).withScope("Namespaced").withNewNames().withKind(kind)
                .withPlural(plural).withSingular(kind.toLowerCase()).endNames().addNewVersion().withName(group.contains("strimzi") ? "v1beta2" : "v1")
                .withServed(true).withStorage(true).withNewSubresources().withNewStatus().endStatus().endSubresources().withNewSchema()
                .withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build())
                .endSchema().endVersion().endSpec().build()).create();
    }

    static String app(String name, String type) {
        return """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  services:
                    web: {image: registry.local/%s/web:1.0, port: 8080, resources: {cpu: 100m, memory: 128Mi}, addons: [store]}
                  addons:
                    store: {type: %s}
                """.formatted(name, name, type);
    }

    @Test
    void anOperatorsCustomResourceIsMadeWhenItsCrdIsInstalledAndWaitedOn() throws Exception {
        ApiClient api = api();
        assertThat(api.yaml(PROJECT + "/apps", app("sessions", "redis")).status()).isEqualTo(201);
        api.send("PUT", PROJECT + "/environments/ops/addon-policy", "application/json", "{\"redis\":\"operator\"}");
        String releases = PROJECT + "/apps/sessions/environments/ops/releases";
        var noCrd = api.post(releases, "{}");
        assertThat(noCrd.status()).isEqualTo(409);
        assertThat(noCrd.json().get("detail").asString()).contains("needs the CRD redisfailovers.databases.spotahome.com in cluster addons");

        cluster.simulation().operators().operate("databases.spotahome.com", "RedisFailover", Duration.ofSeconds(3));
        try (KubernetesClient k = client()) {
            installCrd(k, "databases.spotahome.com", "RedisFailover", "redisfailovers");
        }
        assertThat(api.post(releases, "{}").status()).isEqualTo(201);
        List<String> messages = runUntilDone(api, releases + "/1");
        assertThat(messages.get(messages.size() - 1)).isEqualTo("succeeded");
        assertThat(messages).anyMatch(m -> m.contains("addon sessions-store (RedisFailover addon-sessions-store)"));
        try (KubernetesClient k = client()) {
            var cr = k.genericKubernetesResources("databases.spotahome.com/v1", "RedisFailover").inNamespace("shop-ops")
                    .withName("addon-sessions-store").get();
            assertThat(cr.get("spec", "auth", "secretPath").toString()).isEqualTo("addon-sessions-store-credentials");
            assertThat(data(k, "shop-ops", "sessions-addon-store")).containsEntry("host", "rfrm-addon-sessions-store")
                    .containsEntry("sentinels", "rfs-addon-sessions-store:26379");
        }
        assertThat(api.get(PROJECT + "/environments/ops/addons/sessions-store").json().get("status").asString()).isEqualTo("ready");
    }

    @Test
    void aFailingAddonFailsTheReleaseWithItsReason() throws Exception {
        ApiClient api = api();
        assertThat(api.yaml(PROJECT + "/apps", app("events", "kafka")).status()).isEqualTo(201);
        api.send("PUT", PROJECT + "/environments/broken/addon-policy", "application/json", "{\"*\":\"operator\"}");
        cluster.simulation().operators().fail("kafka.strimzi.io", "Kafka", "0/6 nodes have the storage class fast-ssd");
        try (KubernetesClient k = client()) {
            installCrd(k, "kafka.strimzi.io", "Kafka", "kafkas");
        }
        String releases = PROJECT + "/apps/events/environments/broken/releases";
        assertThat(api.post(releases, "{}").status()).isEqualTo(201);
        List<String> messages = runUntilDone(api, releases + "/1");
        assertThat(messages.get(messages.size() - 1)).isEqualTo("failed: addon events-store (Kafka addon-events-store) failed: "
                + "Kafka failed: 0/6 nodes have the storage class fast-ssd");
        try (KubernetesClient k = client()) {
            assertThat(k.apps().deployments().inNamespace("shop-broken").withName("events-web").get()).as("nothing of the app ran").isNull();
        }
        var shown = api.get(PROJECT + "/environments/broken/addons/events-store").json();
        assertThat(shown.get("status").asString()).isEqualTo("failed");
        assertThat(shown.get("reason").asString()).contains("0/6 nodes have the storage class fast-ssd");
    }
}
