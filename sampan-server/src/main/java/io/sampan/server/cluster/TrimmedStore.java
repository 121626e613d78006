package io.sampan.server.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object trimmed to what observing an app needs, so a mirror of
 * thousands of pods costs a few KB each, not the whole object: no {@code managedFields} or
 * last-applied annotation anywhere, no pod template in workloads, of a pod's spec only its node,
 * of a node only its name and zone. Status, labels, owners, generations and everything a diagnosis
 * reads are kept. Objects are trimmed in place: the informer hands over freshly decoded ones that
 * nobody else holds.
 */
final class TrimmedStore<T extends HasMetadata> implements ItemStore<T> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private final Map<String, T> items = new ConcurrentHashMap<>();
    private final UnaryOperator<T> trim;
    private final BiConsumer<T, T> changed;

    /** @param changed told of each change after the store holds it: the object before (null when added) and after (null when removed) */
    TrimmedStore(UnaryOperator<T> trim, BiConsumer<T, T> changed) {
        this.trim = trim;
        this.changed = changed;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        T trimmed = trim.apply(obj);
        T before = items.put(key, trimmed);
        changed.accept(before, trimmed);
        return before;
    }

    @Override
    public T remove(String key) {
        T before = items.remove(key);
        if (before != null) {
            changed.accept(before, null);
        }
        return before;
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }

    static <T extends HasMetadata> T metadata(T o) {
        ObjectMeta m = o.getMetadata();
        m.setManagedFields(List.of());
        if (m.getAnnotations() != null) {
            m.getAnnotations().remove(LAST_APPLIED);
        }
        return o;
    }

    static Deployment deployment(Deployment d) {
        if (d.getSpec() != null) {
            d.getSpec().setTemplate(null);
        }
        return metadata(d);
    }

    static StatefulSet statefulSet(StatefulSet s) {
        if (s.getSpec() != null) {
            s.getSpec().setTemplate(null);
            s.getSpec().setVolumeClaimTemplates(List.of());
        }
        return metadata(s);
    }

    static ReplicaSet replicaSet(ReplicaSet r) {
        if (r.getSpec() != null) {
            r.getSpec().setTemplate(null);
        }
        return metadata(r);
    }

    /** A job keeps its template's labels (what a diagnosis selects its pods by), not its pod spec. */
    static Job job(Job j) {
        if (j.getSpec() != null && j.getSpec().getTemplate() != null) {
            j.getSpec().getTemplate().setSpec(null);
        }
        return metadata(j);
    }

    static Pod pod(Pod p) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        PodSpec spec = new PodSpec();
        spec.setNodeName(node);
        p.setSpec(spec);
        return metadata(p);
    }

    static Event event(Event e) {
        return metadata(e);
    }

    static Node node(Node n) {
        String zone = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(Fabric8ClusterDriver.ZONE_LABEL);
        return new NodeBuilder().withNewMetadata().withName(n.getMetadata().getName()).withUid(n.getMetadata().getUid())
                .withResourceVersion(n.getMetadata().getResourceVersion())
                .withLabels(zone == null ? Map.of() : Map.of(Fabric8ClusterDriver.ZONE_LABEL, zone)).endMetadata().build();
    }
}
