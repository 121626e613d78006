package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class RuntimePresetFeatureTest {

    private static PodSpec pod(String service) {
        return TestApps.compile(service).get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().map(e -> e.getValue()).orElse(null);
    }

    @Test
    void javaGetsHeapAndProcessorsFromItsLimitsAndAGracefulShutdown() {
        PodSpec pod = pod("""
                services:
                  web: {image: r.local/web:1, runtime: java, port: 8080, resources: {cpu: "1.5", memory: 2Gi}}
                """);
        Container c = pod.getContainers().get(0);
        assertThat(env(c, "JAVA_TOOL_OPTIONS")).isEqualTo(
                "-XX:ActiveProcessorCount=2 -Xms1536m -Xmx1536m -XX:MaxMetaspaceSize=256m -XX:+ExitOnOutOfMemoryError");
        assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10L);
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    }

    @Test
    void aSmallJvmGetsHalfItsMemoryAsHeap() {
        Container c = pod("""
                services:
                  web: {image: r.local/web:1, runtime: java, port: 8080, resources: {memory: 512Mi}}
                """).getContainers().get(0);
        assertThat(env(c, "JAVA_TOOL_OPTIONS")).contains("-Xmx256m").contains("-XX:MaxMetaspaceSize=64m");
    }

    @Test
    void goAndNodeAndPythonGetTheirOwnSettings() {
        assertThat(env(pod("""
                services:
                  web: {image: r.local/web:1, runtime: go, port: 8080, resources: {cpu: 2500m, memory: 1Gi}}
                """).getContainers().get(0), "GOMAXPROCS")).isEqualTo("3");
        assertThat(env(pod("""
                services:
                  web: {image: r.local/web:1, runtime: go, port: 8080, resources: {memory: 1Gi}}
                """).getContainers().get(0), "GOMEMLIMIT")).isEqualTo("921MiB");
        assertThat(env(pod("""
                services:
                  web: {image: r.local/web:1, runtime: node, port: 8080, resources: {memory: 1Gi}}
                """).getContainers().get(0), "NODE_OPTIONS")).isEqualTo("--max-old-space-size=768");
        assertThat(env(pod("""
                services:
                  web: {image: r.local/web:1, runtime: python, port: 8080}
                """).getContainers().get(0), "PYTHONUNBUFFERED")).isEqualTo("1");
    }

    @Test
    void aServiceWithoutRuntimeStillDrainsButGetsNoRuntimeEnvironment() {
        PodSpec pod = pod("""
                services:
                  web: {image: r.local/web:1, port: 8080}
                """);
        assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
        assertThat(pod.getContainers().get(0).getEnv()).extracting(e -> e.getName()).doesNotContain("JAVA_TOOL_OPTIONS", "GOMAXPROCS");
    }

    @Test
    void staticFilesServeOnPort8080WithAnHttpCheckOfTheRoot() {
        var app = TestApps.compile("""
                services:
                  web: {image: r.local/front:1, runtime: static}
                """);
        Container c = app.get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
    }
}
