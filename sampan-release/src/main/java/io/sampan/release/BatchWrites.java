package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.compiler.StandardLabels;
import io.sampan.spec.ReleasePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The objects one batch of one stage writes on a cluster. A Deployment whose pod template changed
 * becomes a stable/canary pair: the canary ({@code <name>-canary}, the new template) holds the
 * batch's instances and the stable side (the previous release's Deployment) the rest; the last batch
 * applies the new Deployment with every instance, and the canary goes once it is ready. A
 * StatefulSet moves by {@code partition}. A rolling update writes the objects as they are.
 */
final class BatchWrites {
    static final String TRACK = "sampan.io/track";
    static final String CANARY_SUFFIX = "-canary";

    private final Release release;
    private final Release.ClusterTarget target;
    private final Map<String, HasMetadata> previous = new LinkedHashMap<>();
    private final List<ReleasePolicy.Batch> batches;

    BatchWrites(Release release, Release.ClusterTarget target, Release.ClusterTarget previousTarget) {
        this.release = release;
        this.target = target;
        this.batches = release.plan().batches();
        if (previousTarget != null) {
            previousTarget.objects().forEach(o -> previous.put(key(o), o));
        }
    }

    int lastBatch() {
        return batches.size() - 1;
    }

    private boolean batchStrategy() {
        return release.plan().policy().strategy() == ReleasePolicy.Strategy.BATCH;
    }

    /** The rolled-out workloads (Deployments, StatefulSets) of a stage. */
    List<HasMetadata> workloads(int stage) {
        return target.objects().stream().filter(ReleaseEngine::isRolledOut).filter(o -> stageOf(o) == stage).toList();
    }

    private int stageOf(HasMetadata o) {
        String service = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(StandardLabels.SERVICE);
        List<List<String>> stages = release.plan().stages();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).contains(service)) {
                return i;
            }
        }
        return 0;
    }

    /** Whether batch {@code batch} of the stage shifts anything (some workload changed its template since the previous release). */
    boolean batching(int stage, int batch) {
        return batchStrategy() && batch < lastBatch() && workloads(stage).stream().anyMatch(this::changed);
    }

    private boolean changed(HasMetadata o) {
        HasMetadata before = previous.get(key(o));
        if (o instanceof Deployment d && before instanceof Deployment p) {
            return !Objects.equals(d.getSpec().getTemplate(), p.getSpec().getTemplate());
        }
        if (o instanceof StatefulSet s && before instanceof StatefulSet p) {
            return !Objects.equals(s.getSpec().getTemplate(), p.getSpec().getTemplate());
        }
        return false;
    }

    /** What to apply for this batch: on stage 0 everything that is not a workload of a later stage, a job run by trigger or a prerequisite. */
    List<HasMetadata> objects(int stage, int batch) {
        List<HasMetadata> out = new ArrayList<>();
        List<HasMetadata> triggered = new ArrayList<>(ReleaseEngine.triggered(target.objects(), "pre-release"));
        triggered.addAll(ReleaseEngine.triggered(target.objects(), "post-release"));
        triggered.addAll(ReleaseEngine.triggered(target.objects(), "prerequisite"));
        for (HasMetadata o : target.objects()) {
            if (triggered.contains(o)) {
                continue;
            }
            if (ReleaseEngine.isRolledOut(o)) {
                if (stageOf(o) == stage) {
                    out.addAll(batchOf(o, batch));
                }
            } else if (stage == 0 && !(o instanceof Job && o.getMetadata().getAnnotations() != null
                    && o.getMetadata().getAnnotations().containsKey(ReleaseEngine.TRIGGER))) {
                out.add(o);
            }
        }
        return out;
    }

    private List<HasMetadata> batchOf(HasMetadata o, int batch) {
        HasMetadata before = previous.get(key(o));
        if (!batchStrategy() || before == null) {
            return List.of(o);
        }
        int total = replicas(o);
        int moved = batch >= lastBatch() ? total : instances(batch, total);
        if (o instanceof StatefulSet s) {
            return List.of(partitioned(s, changed(o) ? total - moved : 0));
        }
        if (batch >= lastBatch() || !changed(o)) {
            return List.of(o);
        }
        Deployment stable = new DeploymentBuilder((Deployment) before).editSpec().withReplicas(total - moved).endSpec().build();
        return List.of(canary((Deployment) o, moved), stable);
    }

    /** Instances at the new version after batch {@code batch}: batches never shrink what earlier ones moved. */
    int instances(int batch, int total) {
        int moved = 0;
        for (int i = 0; i <= batch && i < batches.size(); i++) {
            moved = Math.max(moved, batches.get(i).instances(total));
        }
        return moved;
    }

    private static int replicas(HasMetadata o) {
        Integer n = o instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) o).getSpec().getReplicas();
        return n == null ? 1 : n;
    }

    static Deployment canary(Deployment d, int replicas) {
        Map<String, String> labels = new LinkedHashMap<>(d.getMetadata().getLabels() == null ? Map.of() : d.getMetadata().getLabels());
        labels.put(TRACK, "canary");
        Map<String, String> selector = new LinkedHashMap<>(d.getSpec().getSelector().getMatchLabels());
        selector.put(TRACK, "canary");
        Map<String, String> podLabels = new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        podLabels.put(TRACK, "canary");
        return new DeploymentBuilder(d).editMetadata().withName(d.getMetadata().getName() + CANARY_SUFFIX).withLabels(labels).endMetadata()
                .editSpec().withReplicas(replicas).editSelector().withMatchLabels(selector).endSelector()
                .editTemplate().editMetadata().withLabels(podLabels).endMetadata().endTemplate().endSpec().build();
    }

    private static StatefulSet partitioned(StatefulSet s, int partition) {
        return new StatefulSetBuilder(s).editSpec().editOrNewUpdateStrategy().withType("RollingUpdate").editOrNewRollingUpdate()
                .withPartition(partition).endRollingUpdate().endUpdateStrategy().endSpec().build();
    }

    /** The canary Deployments a stage may have left (deleting an absent one is fine). */
    List<ObjectRef> canaries(int stage) {
        if (release.plan().policy().strategy() == ReleasePolicy.Strategy.ROLLING) {
            return List.of();
        }
        return workloads(stage).stream().filter(o -> o instanceof Deployment)
                .map(o -> new ObjectRef(o.getApiVersion(), o.getKind(), target.namespace(), o.getMetadata().getName() + CANARY_SUFFIX)).toList();
    }

    /** "batch 2 of 3 of shop-web, shop-api" or just the names. */
    String describe(int stage, int batch) {
        String names = String.join(", ", workloads(stage).stream().map(o -> o.getMetadata().getName()).toList());
        if (!batching(stage, Math.min(batch, lastBatch() - 1)) || lastBatch() == 0) {
            return names.isEmpty() ? "the release" : names;
        }
        return "batch " + (batch + 1) + " of " + batches.size() + " of " + names;
    }

    private static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
