package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identifies one object in a cluster. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
    public static ObjectRef of(HasMetadata o) {
        return new ObjectRef(o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    @Override
    public String toString() {
        return kind + "/" + name + (namespace == null ? "" : " in " + namespace);
    }
}
