package io.sampan.release;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory cluster for engine tests: remembers what was applied and deleted, and shows each
 * workload as the test says (ready or not, job complete or failed), plus pods and events to diagnose.
 */
public final class FakeCluster implements ClusterDriver {
    public final Map<String, HasMetadata> objects = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    public final List<String> applyLog = new ArrayList<>();
    public final List<String> deleted = new ArrayList<>();
    public final Set<String> ready = new HashSet<>();
    public final Set<String> failedJobs = new HashSet<>();
    public final List<Pod> pods = java.util.Collections.synchronizedList(new ArrayList<>());
    public final List<Event> events = new ArrayList<>();
    public final Map<String, String> nodeZones = new java.util.concurrent.ConcurrentHashMap<>();
    public String unreachable;
    /** APIs ({@code apiVersion kind}) the cluster does not serve; everything else is served. */
    public final Set<String> unserved = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When set, everything applied is ready at once (a cluster with instant rollouts). */
    public volatile boolean autoReady;

    public static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    @Override
    public void apply(List<HasMetadata> applied) {
        check();
        for (HasMetadata o : applied) {
            objects.put(key(o), o);
            applyLog.add(key(o));
        }
    }

    @Override
    public boolean serves(String apiVersion, String kind) {
        check();
        return !unserved.contains(apiVersion + " " + kind);
    }

    @Override
    public List<ObjectRef> list(String namespace, Map<String, String> labels) {
        check();
        return objects.values().stream().filter(o -> o.getMetadata().getLabels() != null
                && o.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())).map(ObjectRef::of).toList();
    }

    @Override
    public java.util.Optional<HasMetadata> get(ObjectRef ref) {
        check();
        HasMetadata o = objects.get(ref.kind() + "/" + ref.name());
        if (o instanceof Deployment || o instanceof StatefulSet || o instanceof Job) {
            return observe(ref.namespace(), Map.of()).find(ref); // with the status the test gives it
        }
        return java.util.Optional.ofNullable(o);
    }

    @Override
    public void delete(ObjectRef ref) {
        check();
        objects.remove(ref.kind() + "/" + ref.name());
        deleted.add(ref.kind() + "/" + ref.name());
    }

    @Override
    public ObservedState observe(String namespace, Map<String, String> labels) {
        check();
        List<Deployment> deployments = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        for (HasMetadata o : objects.values()) {
            if (o instanceof Deployment d) {
                int n = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                int available = autoReady || ready.contains(key(o)) ? n : 0;
                deployments.add(new DeploymentBuilder(d).editMetadata().withGeneration(1L).endMetadata().withNewStatus()
                        .withObservedGeneration(1L).withReplicas(n).withUpdatedReplicas(n).withAvailableReplicas(available)
                        .withReadyReplicas(available).endStatus().build());
            } else if (o instanceof Job j) {
                String condition = failedJobs.contains(key(o)) ? "Failed" : autoReady || ready.contains(key(o)) ? "Complete" : null;
                JobBuilder b = new JobBuilder(j);
                jobs.add(condition == null ? b.withNewStatus().withActive(1).endStatus().build()
                        : b.withNewStatus().addNewCondition().withType(condition).withStatus("True")
                                .withReason(condition.equals("Failed") ? "BackoffLimitExceeded" : null).endCondition().endStatus().build());
            }
        }
        List<StatefulSet> sets = new ArrayList<>();
        for (HasMetadata o : objects.values()) {
            if (o instanceof StatefulSet s) {
                int n = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                int ready = autoReady || this.ready.contains(key(o)) ? n : 0;
                var strategy = s.getSpec().getUpdateStrategy();
                int partition = strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null ? 0
                        : strategy.getRollingUpdate().getPartition();
                sets.add(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(s).editMetadata().withGeneration(1L).endMetadata()
                        .withNewStatus().withObservedGeneration(1L).withReplicas(n).withReadyReplicas(ready)
                        .withUpdatedReplicas(ready == n ? n - partition : 0).withCurrentRevision("r").withUpdateRevision("r").endStatus().build());
            }
        }
        return new ObservedState(deployments, sets, List.of(), jobs, List.copyOf(pods), List.copyOf(events), Map.of(), nodeZones);
    }

    Event event(String kind, String name, String reason, String message) {
        Event e = new EventBuilder().withNewInvolvedObject().withKind(kind).withName(name).endInvolvedObject().withReason(reason)
                .withMessage(message).build();
        events.add(e);
        return e;
    }

    private void check() {
        if (unreachable != null) {
            throw new Unreachable(unreachable, null);
        }
    }
}
