package io.sampan.release;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a cluster shows of one app at one moment: its workloads, their pods and the events about
 * them, the last log lines of containers that crashed (fetched by the driver for diagnosis), and
 * the zone of each node the pods run on (for the topology view).
 */
public record ObservedState(List<Deployment> deployments, List<StatefulSet> statefulSets, List<ReplicaSet> replicaSets, List<Job> jobs,
        List<Pod> pods, List<Event> events, Map<String, List<String>> crashLogs, Map<String, String> nodeZones) {

    public static final ObservedState EMPTY = new ObservedState(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());

    /** Without node zones. */
    public ObservedState(List<Deployment> deployments, List<StatefulSet> statefulSets, List<ReplicaSet> replicaSets, List<Job> jobs,
            List<Pod> pods, List<Event> events, Map<String, List<String>> crashLogs) {
        this(deployments, statefulSets, replicaSets, jobs, pods, events, crashLogs, Map.of());
    }

    public ObservedState {
        nodeZones = Map.copyOf(nodeZones);
        deployments = List.copyOf(deployments);
        statefulSets = List.copyOf(statefulSets);
        replicaSets = List.copyOf(replicaSets);
        jobs = List.copyOf(jobs);
        pods = List.copyOf(pods);
        events = List.copyOf(events);
        crashLogs = Map.copyOf(crashLogs);
    }

    /** The observed counterpart of a desired workload, if it exists. */
    public Optional<HasMetadata> find(ObjectRef ref) {
        List<? extends HasMetadata> candidates = switch (ref.kind()) {
            case "Deployment" -> deployments;
            case "StatefulSet" -> statefulSets;
            case "Job" -> jobs;
            default -> List.of();
        };
        return candidates.stream().filter(o -> o.getMetadata().getName().equals(ref.name())).map(o -> (HasMetadata) o).findFirst();
    }

    /** Pods whose labels contain every entry of {@code selector}. */
    public List<Pod> podsMatching(Map<String, String> selector) {
        return pods.stream().filter(p -> p.getMetadata().getLabels() != null
                && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
    }

    /** Events about the object of this kind and name, newest last. */
    public List<Event> eventsAbout(String kind, String name) {
        return events.stream().filter(e -> e.getInvolvedObject() != null && kind.equals(e.getInvolvedObject().getKind())
                && name.equals(e.getInvolvedObject().getName())).toList();
    }
}
