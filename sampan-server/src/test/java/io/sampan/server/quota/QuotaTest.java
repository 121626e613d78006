package io.sampan.server.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.release.FakeCluster;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Quotas as a platform team uses them: set at each level, checked before a release starts, usage with the overcommit saving. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:quota;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false"})
class QuotaTest {
    static final String BASE = "/api/v1/orgs/default/projects/shop";

    @TestConfiguration
    static class Clusters {
        @Bean
        @Primary
        ClusterDrivers quotaDrivers() {
            FakeCluster c = new FakeCluster();
            return name -> c;
        }
    }

    @LocalServerPort
    int port;

    static String app(String name, String cpu, int replicas) {
        return "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: " + name + "}\nspec:\n  services:\n    web: {image: r.local/"
                + name + ":1, port: 8080, replicas: " + replicas + ", resources: {cpu: \"" + cpu + "\", memory: 1Gi}}\n";
    }

    @Test
    void aReleaseThatWouldPassAQuotaIsRefusedWithTheNumbers() {
        ApiClient api = new ApiClient(port);
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"shop\"}");
        api.unreachableCluster("dc1");
        api.post(BASE + "/environments", "{\"name\":\"prod\",\"profile\":{\"cpuOvercommit\":2},\"clusters\":[{\"cluster\":\"dc1\"}]}");
        assertThat(api.send("PUT", BASE + "/quota", "application/json", "{\"cpu\":\"4\",\"memory\":\"16Gi\"}").status()).isEqualTo(200);

        api.yaml(BASE + "/apps", app("cart", "1", 2));
        assertThat(api.post(BASE + "/apps/cart/environments/prod/releases", "{}").status()).isEqualTo(201);
        api.yaml(BASE + "/apps", app("search", "1.5", 2));
        ApiClient.Response refused = api.post(BASE + "/apps/search/environments/prod/releases", "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("type").asString()).endsWith("/quota-exceeded");
        assertThat(refused.json().get("detail").asString()).isEqualTo("project default/shop: cpu 2 of 4 used, release needs +3");
        assertThat(api.get(BASE + "/apps/search/environments/prod/releases").json().get("items")).as("nothing was recorded").isEmpty();

        api.yaml(BASE + "/apps", app("cart", "2", 2));
        assertThat(api.post(BASE + "/apps/cart/environments/prod/releases", "{\"supersede\":true}").status())
                .as("an app's own earlier release does not count against it").isEqualTo(201);

        var usage = api.get(BASE + "/quota").json().get(0);
        assertThat(usage.get("cpuQuota").asString()).isEqualTo("4");
        assertThat(usage.get("cpuLimits").asString()).isEqualTo("4");
        assertThat(usage.get("cpuRequests").asString()).as("limit / overcommit ratio 2").isEqualTo("2");
        assertThat(usage.get("cpuSavedByOvercommit").asString()).isEqualTo("2");
        assertThat(usage.get("memoryLimits").asString()).isEqualTo("2Gi");

        api.send("PUT", BASE + "/environments/prod/quota", "application/json", "{\"instances\":3,\"cluster\":\"dc1\"}");
        api.send("PUT", BASE + "/environments/prod/quota", "application/json", "{\"cpu\":\"8\",\"memory\":\"16Gi\"}");
        api.yaml(BASE + "/apps", app("guarded", "100m", 1));
        api.send("PUT", BASE + "/quota", "application/json", "{}");
        assertThat(api.post(BASE + "/apps/guarded/environments/prod/releases", "{}").status()).isEqualTo(201);
        String objects = api.get(BASE + "/apps/guarded/environments/prod/releases/1/objects").json().get("dc1").get("yaml").asString();
        assertThat(objects).contains("kind: ResourceQuota").contains("name: sampan-quota").contains("pods: \"4\"")
                .as("the per-cluster quota wins over the all-clusters one").doesNotContain("limits.cpu: \"10\"");
        assertThat(objects).contains("kind: LimitRange").contains("defaultRequest:").contains("cpu: \"250m\"");
        api.yaml(BASE + "/apps", app("tiny", "100m", 2));
        assertThat(api.send("PUT", BASE + "/quota", "application/json", "{}").status()).isEqualTo(200);
        assertThat(api.post(BASE + "/apps/tiny/environments/prod/releases", "{}").json().get("detail").asString())
                .isEqualTo("environment shop/prod on cluster dc1: instances 3 of 3 used, release needs +2");
        assertThat(api.send("PUT", BASE + "/quota", "application/json", "{\"cpu\":\"lots\"}").json().get("errors").get(0).get("field").asString())
                .isEqualTo("cpu");
    }

    @Test
    void usageShowsEachAppsLimitsNextToItsRequestsAndWarnsOfMemoryOvercommit() {
        ApiClient api = new ApiClient(port);
        String base = "/api/v1/orgs/default/projects/report";
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"report\"}");
        api.unreachableCluster("dc7");
        var risky = api.post(base + "/environments", "{\"name\":\"batch\",\"profile\":{\"cpuOvercommit\":4,\"memoryOvercommit\":1.5},"
                + "\"clusters\":[{\"cluster\":\"dc7\"}]}");
        assertThat(risky.status()).as("memory overcommit needs the explicit flag").isEqualTo(422);
        assertThat(risky.json().get("errors").get(0).get("field").asString()).isEqualTo("profile.memoryOvercommit");
        assertThat(api.post(base + "/environments", "{\"name\":\"batch\",\"profile\":{\"cpuOvercommit\":4,\"memoryOvercommit\":1.5,"
                + "\"allowMemoryOvercommit\":true},\"clusters\":[{\"cluster\":\"dc7\"}]}").status()).isEqualTo(201);
        api.post(base + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"dc7\"}]}");
        api.yaml(base + "/apps", app("etl", "2", 3));
        api.yaml(base + "/apps", app("api", "500m", 1));
        api.post(base + "/apps/etl/environments/batch/releases", "{}");
        api.post(base + "/apps/api/environments/dev/releases", "{}");

        var usage = api.get(base + "/usage").json();
        assertThat(usage.get("apps")).hasSize(2);
        var api0 = usage.get("apps").get(0);
        assertThat(api0.get("app").asString() + " " + api0.get("environment").asString() + " " + api0.get("cluster").asString())
                .isEqualTo("api dev dc7");
        assertThat(api0.get("cpuLimits").asString()).isEqualTo("500m");
        assertThat(api0.get("cpuRequests").asString()).as("no overcommit in dev").isEqualTo("500m");
        var etl = usage.get("apps").get(1);
        assertThat(etl.get("cpuLimits").asString()).isEqualTo("6");
        assertThat(etl.get("cpuRequests").asString()).isEqualTo("1500m");
        assertThat(etl.get("cpuSavedByOvercommit").asString()).isEqualTo("4500m");
        assertThat(etl.get("memoryLimits").asString()).isEqualTo("3Gi");
        assertThat(etl.get("memoryRequests").asString()).as("3 × 1Gi / 1.5, rounded up to whole MiB").isEqualTo("2049Mi");
        assertThat(etl.get("memorySavedByOvercommit").asString()).isEqualTo("1023Mi");
        assertThat(usage.get("warnings")).singleElement().satisfies(w -> assertThat(w.asString()).startsWith("environment batch overcommits memory 1.5x"));
        assertThat(api.get(base + "/environments/batch/quota").json().get(0).get("memorySavedByOvercommit").asString()).isEqualTo("1023Mi");
    }
}
