package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
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
 *
 * <p>A canary release routes by traffic instead: the stable side keeps every instance, the canary
 * gets instances in proportion to its weight (at least one), the service's Service selects the
 * stable pods only (their pod-template-hash), a {@code <service>-canary} Service selects the canary
 * pods, and a {@code <ingress>-canary} Ingress carries ingress-nginx's canary annotations (weight,
 * then the header and cookie rules) for each Ingress of the service; a service exposed by a Gateway
 * API HTTPRoute has its route re-applied with the match rules and the weights instead
 * ({@link CanaryRouting}).
 */
final class BatchWrites extends StageWrites {
    static final String TRACK = "sampan.io/track";
    static final String CANARY_SUFFIX = "-canary";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    static final String NGINX = "nginx.ingress.kubernetes.io/";

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

    private ReleasePolicy.Strategy strategy() {
        return release.plan().policy().strategy();
    }

    private boolean batchStrategy() {
        return strategy() == ReleasePolicy.Strategy.BATCH || strategy() == ReleasePolicy.Strategy.CANARY;
    }

    /** Whether this batch of the stage routes traffic to a canary. */
    boolean canarying(int stage, int batch) {
        return strategy() == ReleasePolicy.Strategy.CANARY && batching(stage, batch);
    }

    /** The rolled-out workloads (Deployments, StatefulSets) of a stage; addons (prerequisites) belong to no stage. */
    List<HasMetadata> workloads(int stage) {
        return target.objects().stream().filter(ReleaseEngine::isRolledOut).filter(o -> ReleaseEngine.triggered(List.of(o), "prerequisite").isEmpty())
                .filter(o -> stageOf(o) == stage).toList();
    }

    private int stageOf(HasMetadata o) {
        String service = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(StandardLabels.SERVICE);
        List<List<String>> stages = release.plan().stages();
        for (int i = 0; i < stages.size(); i++) {
            if (service != null && stages.get(i).contains(service)) {
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

    List<HasMetadata> objects(int stage, int batch) {
        return objects(stage, batch, Map.of());
    }

    /**
     * What to apply for this batch: on stage 0 everything that is not a workload of a later stage, a
     * job run by trigger or a prerequisite; during a canary, the routing objects of the stage's
     * services ({@code stableHashes}: pod-template-hash of each stable Deployment).
     */
    List<HasMetadata> objects(int stage, int batch, Map<String, String> stableHashes) {
        List<HasMetadata> routing = new ArrayList<>(canarying(stage, batch) ? routing(stage, batch, stableHashes) : List.of());
        routing.addAll(batching(stage, batch) || batch >= lastBatch() ? autoscalers(stage, batch) : List.of());
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
                    && o.getMetadata().getAnnotations().containsKey(ReleaseEngine.TRIGGER))
                    && routing.stream().noneMatch(r -> key(r).equals(key(o)))) {
                out.add(o);
            }
        }
        out.addAll(routing);
        if (strategy() == ReleasePolicy.Strategy.CANARY && stage > 0 && batch >= lastBatch()) {
            out.addAll(serviceObjects(stage)); // the live routing again, as released
        }
        return out;
    }

    /** The Services, Ingresses and HTTPRoutes of the stage's services. */
    private List<HasMetadata> serviceObjects(int stage) {
        List<String> services = workloads(stage).stream().map(BatchWrites::service).toList();
        return target.objects().stream().filter(o -> (o instanceof Service || o instanceof Ingress || CanaryRouting.isHttpRoute(o))
                && services.contains(service(o))).toList();
    }

    private static String service(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(StandardLabels.SERVICE);
    }

    /**
     * The stable Service (stable pods only), the canary Service, and a canary Ingress for each Ingress
     * or the service's HTTPRoute split by weight ({@link CanaryRouting}), of each changed Deployment.
     */
    private List<HasMetadata> routing(int stage, int batch, Map<String, String> stableHashes) {
        List<HasMetadata> out = new ArrayList<>();
        int weight = ((ReleasePolicy.Batch.Percent) batches.get(batch)).percent();
        for (HasMetadata w : workloads(stage)) {
            if (!(w instanceof Deployment d) || !changed(w)) {
                continue;
            }
            String hash = stableHashes.get(d.getMetadata().getName());
            for (HasMetadata o : target.objects()) {
                if (o instanceof Service svc && Objects.equals(service(svc), service(d)) && svc.getSpec().getSelector() != null) {
                    Map<String, String> stable = new LinkedHashMap<>(svc.getSpec().getSelector());
                    if (hash != null) {
                        stable.put(POD_TEMPLATE_HASH, hash);
                    }
                    out.add(new ServiceBuilder(svc).editSpec().withSelector(stable).endSpec().build());
                    Map<String, String> canary = new LinkedHashMap<>(svc.getSpec().getSelector());
                    canary.put(TRACK, "canary");
                    out.add(new ServiceBuilder(svc).editMetadata().withName(svc.getMetadata().getName() + CANARY_SUFFIX).endMetadata()
                            .editSpec().withSelector(canary).endSpec().build());
                } else if (o instanceof Ingress ing && Objects.equals(service(ing), service(d))) {
                    out.add(canaryIngress(ing, weight));
                } else if (CanaryRouting.isHttpRoute(o) && Objects.equals(service(o), service(d))) {
                    out.add(CanaryRouting.weighted(o, weight, release.plan().policy().match()));
                }
            }
        }
        return out;
    }

    private Ingress canaryIngress(Ingress ing, int weight) {
        Map<String, String> annotations = new LinkedHashMap<>(ing.getMetadata().getAnnotations() == null ? Map.of()
                : ing.getMetadata().getAnnotations());
        annotations.put(NGINX + "canary", "true");
        annotations.put(NGINX + "canary-weight", Integer.toString(weight));
        for (ReleasePolicy.Match m : release.plan().policy().match()) {
            if (m.header() != null && !annotations.containsKey(NGINX + "canary-by-header")) {
                annotations.put(NGINX + "canary-by-header", m.header());
                if (m.values().size() == 1) {
                    annotations.put(NGINX + "canary-by-header-value", m.values().get(0));
                } else if (m.values().size() > 1) {
                    annotations.put(NGINX + "canary-by-header-pattern", "^(" + String.join("|", m.values().stream().map(BatchWrites::literal).toList())
                            + ")$");
                }
            } else if (m.cookie() != null && !annotations.containsKey(NGINX + "canary-by-cookie")) {
                annotations.put(NGINX + "canary-by-cookie", m.cookie());
            }
        }
        Ingress copy = new IngressBuilder(ing).editMetadata().withName(ing.getMetadata().getName() + CANARY_SUFFIX).withAnnotations(annotations)
                .endMetadata().build();
        copy.getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(p -> {
            if (p.getBackend().getService() != null) {
                p.getBackend().getService().setName(p.getBackend().getService().getName() + CANARY_SUFFIX);
            }
        }));
        if (copy.getSpec().getTls() != null) {
            copy.getSpec().setTls(List.of()); // the main Ingress holds the certificate; a canary rule rides on its host
        }
        return copy;
    }

    /** A value matched literally inside a regular expression. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
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
        if (strategy() == ReleasePolicy.Strategy.CANARY) {
            // traffic moves by weight; the stable side keeps every instance, the canary follows its weight
            return List.of(canary((Deployment) o, Math.max(1, moved)), before);
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

    /** The workload's instances; an autoscaled one (no replicas of its own) counts its autoscaler's minimum. */
    private int replicas(HasMetadata o) {
        Integer n = o instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) o).getSpec().getReplicas();
        if (n != null) {
            return n;
        }
        HorizontalPodAutoscaler hpa = autoscaler(o);
        return hpa == null || hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
    }

    /** The release's autoscaler of this workload, if any. */
    private HorizontalPodAutoscaler autoscaler(HasMetadata workload) {
        for (HasMetadata o : target.objects()) {
            if (o instanceof HorizontalPodAutoscaler hpa && hpa.getSpec().getScaleTargetRef() != null
                    && workload.getKind().equals(hpa.getSpec().getScaleTargetRef().getKind())
                    && workload.getMetadata().getName().equals(hpa.getSpec().getScaleTargetRef().getName())) {
                return hpa;
            }
        }
        return null;
    }

    /**
     * While a stage's batches run, the autoscaler of each changed workload is pinned to the stable
     * side's instances (it would otherwise scale the stable side against the batch); the last batch
     * applies it as released.
     */
    private List<HasMetadata> autoscalers(int stage, int batch) {
        List<HasMetadata> out = new ArrayList<>();
        for (HasMetadata w : workloads(stage)) {
            HorizontalPodAutoscaler hpa = autoscaler(w);
            if (hpa == null || !changed(w) || !batchStrategy() || !previous.containsKey(key(w))) {
                continue;
            }
            if (batch >= lastBatch()) {
                out.add(hpa);
                continue;
            }
            int total = replicas(w);
            int stable = strategy() == ReleasePolicy.Strategy.CANARY || w instanceof StatefulSet ? total : total - instances(batch, total);
            out.add(new HorizontalPodAutoscalerBuilder(hpa).editSpec().withMinReplicas(Math.max(1, stable)).withMaxReplicas(Math.max(1, stable))
                    .endSpec().build());
        }
        return out;
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

    /**
     * The canary objects a stage may have left: Deployments, and for a canary its Ingresses and
     * Services, routing first (deleting an absent one is fine).
     */
    List<ObjectRef> canaries(int stage) {
        if (strategy() == ReleasePolicy.Strategy.ROLLING) {
            return List.of();
        }
        // what routes to the canary goes before what it routes to: canary Ingresses, then Services, then Deployments
        List<HasMetadata> owners = new ArrayList<>();
        if (strategy() == ReleasePolicy.Strategy.CANARY) {
            List<HasMetadata> routing = serviceObjects(stage).stream().filter(o -> !CanaryRouting.isHttpRoute(o)).toList(); // routes are re-applied
            routing.stream().filter(o -> o instanceof Ingress).forEach(owners::add);
            routing.stream().filter(o -> !(o instanceof Ingress)).forEach(owners::add);
        }
        owners.addAll(workloads(stage).stream().filter(o -> o instanceof Deployment).toList());
        return owners.stream().map(o -> new ObjectRef(o.getApiVersion(), o.getKind(), target.namespace(), o.getMetadata().getName() + CANARY_SUFFIX))
                .toList();
    }

    @Override
    boolean drains(int stage) {
        return strategy() == ReleasePolicy.Strategy.CANARY && batching(stage, 0);
    }

    @Override
    List<ObjectRef> canaryRoutes(int stage) {
        return drains(stage) ? canaries(stage).stream().filter(r -> r.kind().equals("Ingress")).toList() : List.of();
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
