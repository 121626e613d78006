package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class ConfigFilesFeatureTest {
    private static String app(String content) {
        return """
                services:
                  web:
                    image: r.local/web:1
                    port: 8080
                    config:
                      /app/config/application.yaml: "%s"
                      /etc/web/limits.conf: "max=1"
                """.formatted(content);
    }

    @Test
    void filesComeFromAnImmutableConfigMapMountedFileByFile() {
        CompiledApp app = TestApps.compile(app("a: 1"));
        ConfigMap cm = app.ofType(ConfigMap.class).get(0);
        assertThat(cm.getMetadata().getName()).matches("shop-web-config-[0-9a-f]{8}");
        assertThat(cm.getImmutable()).isTrue();
        assertThat(cm.getData()).containsEntry("app_config_application.yaml", "a: 1").containsEntry("etc_web_limits.conf", "max=1");
        PodSpec pod = app.get(Deployment.class, "shop-web").getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo(cm.getMetadata().getName());
        assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getMountPath, VolumeMount::getSubPath)
                .contains(org.assertj.core.api.Assertions.tuple("/app/config/application.yaml", "app_config_application.yaml"));
    }

    @Test
    void changingAFileChangesTheNameAndSoRollsThePods() {
        String before = TestApps.compile(app("a: 1")).ofType(ConfigMap.class).get(0).getMetadata().getName();
        String same = TestApps.compile(app("a: 1")).ofType(ConfigMap.class).get(0).getMetadata().getName();
        String after = TestApps.compile(app("a: 2")).ofType(ConfigMap.class).get(0).getMetadata().getName();
        assertThat(same).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }
}
