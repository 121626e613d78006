package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DependencyBindingFeatureTest {
    private static final String APP = """
            services:
              web: {image: r.local/web:1, port: 8080, dependsOn: [user-api], addons: [db]}
              user-api: {image: r.local/api:1, port: 8000}
            jobs:
              migrate: {image: r.local/api:1, trigger: pre-release, addons: [db, legacy]}
            addons:
              db: {type: mysql, version: "8.0"}
              legacy: {type: mysql, external: {secret: legacy-db}}
            """;

    static Map<String, EnvVar> env(List<EnvVar> vars) {
        return vars.stream().collect(Collectors.toMap(EnvVar::getName, v -> v, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void dependsOnInjectsHostPortAndUrlOfTheStandardPort() {
        Map<String, EnvVar> env = env(TestApps.compile(APP).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv());
        assertThat(env.get("USER_API_HOST").getValue()).isEqualTo("shop-user-api");
        assertThat(env.get("USER_API_PORT").getValue()).isEqualTo("80");
        assertThat(env.get("USER_API_URL").getValue()).isEqualTo("http://shop-user-api");
    }

    @Test
    void addonsComeFromTheConnectionSecretByReferenceNeverInlined() {
        CompiledApp app = TestApps.compile(APP);
        Map<String, EnvVar> env = env(app.get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
        for (String key : List.of("HOST", "PORT", "USERNAME", "PASSWORD", "DATABASE", "URL")) {
            EnvVar v = env.get("DB_" + key);
            assertThat(v.getValue()).as(key).isNull();
            assertThat(v.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-addon-db");
            assertThat(v.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key.toLowerCase());
        }
        assertThat(env.get("DB_USERNAME").getValueFrom().getSecretKeyRef().getOptional()).isTrue();
        assertThat(env.get("DB_HOST").getValueFrom().getSecretKeyRef().getOptional()).isNull();
        Job job = app.ofType(Job.class).get(0);
        Map<String, EnvVar> jobEnv = env(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
        assertThat(jobEnv.get("LEGACY_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("legacy-db");
        assertThat(jobEnv.get("DB_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-addon-db");
    }

    @Test
    void aValueTheUserWroteWinsOverTheInjectedOne() {
        Map<String, EnvVar> env = env(TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, dependsOn: [api], env: {API_URL: "http://gateway/api"}}
                  api: {image: r.local/api:1, port: 8000}
                """).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
        assertThat(env.get("API_URL").getValue()).isEqualTo("http://gateway/api");
        assertThat(env.get("API_HOST").getValue()).isEqualTo("shop-api");
    }
}
