package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class HealthProbesFeatureTest {

    private static Container web(String spec) {
        return TestApps.compile(spec).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void httpHealthGivesReadinessLivenessAndAStartupBudget() {
        Container c = web("""
                services:
                  web: {image: r.local/web:1, port: 8080, health: {http: /healthz, startupSeconds: 60}}
                """);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(5);
        assertThat(c.getReadinessProbe().getTimeoutSeconds()).isEqualTo(2);
        assertThat(c.getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(c.getLivenessProbe().getTimeoutSeconds()).isEqualTo(3);
        assertThat(c.getLivenessProbe().getFailureThreshold()).isEqualTo(3);
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds()).isEqualTo(60);
    }

    @Test
    void javaGetsAStartupBudgetByDefault() {
        Container c = web("""
                services:
                  web: {image: r.local/web:1, runtime: java, port: 8080, resources: {memory: 1Gi}, health: {tcp: true}}
                """);
        assertThat(c.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds()).isEqualTo(120);
    }

    @Test
    void execHealthAndAnExplicitPort() {
        Container c = web("""
                services:
                  web: {image: r.local/web:1, port: 8080, health: {exec: [/bin/check, --quick]}}
                """);
        assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("/bin/check", "--quick");
        Container admin = web("""
                services:
                  web: {image: r.local/web:1, port: 8080, health: {http: /health, port: 9000}}
                """);
        assertThat(admin.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
    }

    @Test
    void withoutHealthOnlyATcpReadinessCheckAndNoLiveness() {
        Container c = web("""
                services:
                  web: {image: r.local/web:1, port: 8080}
                """);
        assertThat(c.getReadinessProbe().getTcpSocket()).isNotNull();
        assertThat(c.getLivenessProbe()).isNull();
        assertThat(c.getStartupProbe()).isNull();
    }
}
