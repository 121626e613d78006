package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.sampan.compiler.ContentHash;
import io.sampan.compiler.PodScope;
import io.sampan.spec.ObjectNames;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Config files from a ConfigMap whose name carries a hash of the content: changing a file makes a
 * new ConfigMap and so a new pod template, which rolls the pods (immutable infrastructure; no edit
 * in place). Each file is mounted read-only at its path.
 */
public final class ConfigFilesFeature implements Feature {
    static final String VOLUME = "sampan-config";

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        ServiceSpec s = scope.service();
        if (s == null || s.config().isEmpty()) {
            return;
        }
        pod.getSpec().getVolumes().add(new VolumeBuilder().withName(VOLUME).withNewConfigMap()
                .withName(name(scope)).withDefaultMode(0444).endConfigMap().build());
        Container c = PodScope.mainContainer(pod);
        Map<String, String> keys = keys(s);
        keys.forEach((path, key) -> c.getVolumeMounts().add(new VolumeMountBuilder().withName(VOLUME)
                .withMountPath(path).withSubPath(key).withReadOnly(true).build()));
    }

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        if (s == null || s.config().isEmpty()) {
            return List.of();
        }
        Map<String, String> data = new LinkedHashMap<>();
        keys(s).forEach((path, key) -> data.put(key, s.config().get(path)));
        return List.of(new ConfigMapBuilder().withNewMetadata().withName(name(scope)).withLabels(scope.labels())
                .addToAnnotations("sampan.io/files", String.join(",", s.config().keySet())).endMetadata()
                .withData(data).withImmutable(true).build());
    }

    static String name(PodScope scope) {
        StringBuilder content = new StringBuilder();
        scope.service().config().forEach((path, text) -> content.append(path).append('\0').append(text).append('\0'));
        return ObjectNames.configMap(scope.app().name(), scope.part(), ContentHash.of(content.toString()));
    }

    /** A ConfigMap key per file: its path with '/' turned into '_' (keys may not contain '/'). */
    static Map<String, String> keys(ServiceSpec s) {
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> used = new ArrayList<>();
        for (String path : s.config().keySet()) {
            String key = path.substring(1).replace('/', '_');
            while (used.contains(key)) {
                key = "_" + key;
            }
            used.add(key);
            keys.put(path, key);
        }
        return keys;
    }
}
