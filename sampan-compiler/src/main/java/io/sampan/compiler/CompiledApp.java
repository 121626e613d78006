package io.sampan.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** The Kubernetes objects of one app in one environment on one cluster, in a stable order. */
public record CompiledApp(List<HasMetadata> objects) {
    public CompiledApp {
        objects = List.copyOf(objects);
    }

    public <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return ofType(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName() + " named " + name));
    }
}
