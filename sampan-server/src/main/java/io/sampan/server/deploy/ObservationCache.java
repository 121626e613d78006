package io.sampan.server.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ObservedState;
import io.sampan.server.cluster.Fabric8ClusterDriver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * What status readers see of an app on a cluster. A cluster registered by kubeconfig answers from
 * its driver's watch-fed mirror ({@code Fabric8ClusterDriver.observeTopology}): an in-memory lookup
 * by app, so fifty readers of a thousand apps cost the cluster nothing beyond its watches. Another
 * driver (tests' fakes) is asked for the namespace and the app's part is picked out of it.
 */
@Component
public class ObservationCache {
    private final ClusterDrivers drivers;

    public ObservationCache(ClusterDrivers drivers) {
        this.drivers = drivers;
    }

    /**
     * What the cluster shows of the app with these owner labels in {@code namespace}.
     *
     * @param observeNamespace how to observe everything Sampan manages in the namespace, for a driver without a mirror
     */
    public ObservedState get(String cluster, String namespace, Map<String, String> ownerLabels,
            java.util.function.Supplier<ObservedState> observeNamespace) {
        if (drivers.forStatus(cluster) instanceof Fabric8ClusterDriver mirrored) {
            return mirrored.observeTopology(namespace, ownerLabels);
        }
        return forApp(observeNamespace.get(), ownerLabels);
    }

    /**
     * A value that changes whenever what {@link #get} answers for the app could; empty when the
     * answer is read from the cluster each time (no mirror, or the mirror not current).
     */
    public java.util.Optional<Object> version(String cluster, String namespace, Map<String, String> ownerLabels) {
        return drivers.forStatus(cluster) instanceof Fabric8ClusterDriver mirrored ? mirrored.topologyVersion(namespace, ownerLabels)
                : java.util.Optional.empty();
    }

    /** The part of a namespace's observation that belongs to the app with these owner labels. */
    static ObservedState forApp(ObservedState all, Map<String, String> ownerLabels) {
        String app = ownerLabels.get("sampan.io/app");
        Predicate<HasMetadata> owned = o -> o.getMetadata().getLabels() != null
                && o.getMetadata().getLabels().entrySet().containsAll(ownerLabels.entrySet());
        Predicate<HasMetadata> ofApp = o -> o.getMetadata().getLabels() != null
                && app != null && app.equals(o.getMetadata().getLabels().get("sampan.io/app"));
        var deployments = all.deployments().stream().filter(owned).toList();
        var sets = all.statefulSets().stream().filter(owned).toList();
        var jobs = all.jobs().stream().filter(owned).toList();
        var replicaSets = all.replicaSets().stream().filter(ofApp).toList();
        var pods = all.pods().stream().filter(ofApp).toList();
        Set<String> names = new HashSet<>();
        Stream.of(deployments, sets, jobs, replicaSets, pods).flatMap(List::stream).forEach(o -> names.add(o.getMetadata().getName()));
        var events = all.events().stream().filter(ev -> ev.getInvolvedObject() != null && names.contains(ev.getInvolvedObject().getName()))
                .toList();
        Map<String, List<String>> logs = new HashMap<>();
        all.crashLogs().forEach((podAndContainer, lines) -> {
            if (names.contains(podAndContainer.substring(0, Math.max(0, podAndContainer.indexOf('/'))))) {
                logs.put(podAndContainer, lines);
            }
        });
        return new ObservedState(deployments, sets, replicaSets, jobs, pods, events, logs, all.nodeZones());
    }
}
