package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class EnvironmentFeatureTest {

    @Test
    void appEnvThenServiceEnvThenEnvironmentOverridesAllReachTheContainer() {
        var app = TestApps.app("""
                env: {TZ: UTC, LOG_LEVEL: info}
                services:
                  web: {image: r.local/web:1, port: 8080, env: {LOG_LEVEL: debug, FEATURE_X: "true"}}
                environments:
                  prod: {env: {TZ: Asia/Shanghai}}
                """, "prod");
        var env = DependencyBindingFeatureTest.env(new AppCompiler().compile(app, TestApps.PROFILE).get(Deployment.class, "shop-web")
                .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
        assertThat(env.get("TZ").getValue()).isEqualTo("Asia/Shanghai");
        assertThat(env.get("LOG_LEVEL").getValue()).isEqualTo("debug");
        assertThat(env.get("FEATURE_X").getValue()).isEqualTo("true");
        assertThat(env.get("SAMPAN_APP").getValue()).isEqualTo("shop");
        assertThat(env.get("SAMPAN_SERVICE").getValue()).isEqualTo("web");
        assertThat(env.get("SAMPAN_ENVIRONMENT").getValue()).isEqualTo("prod");
        assertThat(env.values()).extracting(EnvVar::getName).doesNotHaveDuplicates();
    }
}
