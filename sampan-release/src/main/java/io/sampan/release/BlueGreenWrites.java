package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.sampan.compiler.StandardLabels;
import io.sampan.spec.ReleasePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The objects of a blue-green release, batch by batch, for each Deployment of a stage whose pod
 * template changed since the previous release:
 * <ol start="0">
 * <li><b>preview</b>: {@code <name>-preview} (the new template with every instance, selector and pods
 * labelled {@code sampan.io/track: preview}), a {@code <svc>-preview} Service selecting its pods and,
 * for each Ingress of the service, an {@code <ingress>-preview} Ingress on the preview host(s) routed
 * to it. The live Service keeps selecting the old pods only (their pod-template-hash), since the
 * preview pods carry its labels too. The engine waits for the preview, checks the gates, then pauses
 * (the policy's {@code pause}, by default for a person).</li>
 * <li><b>switch</b>: the live Service selects the preview pods ({@code sampan.io/track: preview}), in
 * one write: live traffic is on the new version at once. The old Deployment is untouched and kept
 * for {@code switchBackDelay}: an abort or a failure meanwhile switches the Service back in one write
 * ({@link #switchBack}) and removes the preview.</li>
 * <li><b>replace</b>: the released Deployment (the new template under the real name) rolls while live
 * traffic stays on the preview.</li>
 * <li><b>released</b>: every object as released (the Services select the real Deployment's pods
 * again); once ready, the preview objects are deleted. Nothing is left over.</li>
 * </ol>
 * Everything else of the stage (StatefulSets, unchanged Deployments, other objects) is written as
 * released with the preview batch: a StatefulSet rolls as a plain rolling update.
 */
final class BlueGreenWrites extends StageWrites {
    static final String SUFFIX = "-preview";
    static final String PREVIEW = "preview";
    static final int PREVIEW_BATCH = 0;
    static final int SWITCH = 1;
    static final int REPLACE = 2;
    static final int RELEASED = 3;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Release release;
    private final Release.ClusterTarget target;
    private final Map<String, HasMetadata> previous = new LinkedHashMap<>();
    /** The objects as released, stage by stage, as a rolling update writes them. */
    private final BatchWrites plain;

    BlueGreenWrites(Release release, Release.ClusterTarget target, Release.ClusterTarget previousTarget) {
        this.release = release;
        this.target = target;
        this.plain = new BatchWrites(release, target, previousTarget);
        if (previousTarget != null) {
            previousTarget.objects().forEach(o -> previous.put(key(o), o));
        }
    }

    @Override
    int lastBatch() {
        return RELEASED;
    }

    @Override
    boolean batching(int stage, int batch) {
        return batch < RELEASED && !changed(stage).isEmpty();
    }

    /** The preview batch pins each live Service to the old pods' pod-template-hash. */
    @Override
    boolean canarying(int stage, int batch) {
        return batch == PREVIEW_BATCH && batching(stage, batch);
    }

    /**
     * Promoted with {@code --full}: the preview still becomes ready first; after it the switch and the
     * released Deployment are written at once (live traffic on the preview while that Deployment
     * rolls), then everything as released. Never the Services as released over an old Deployment.
     */
    @Override
    int underFull(int stage, int batch) {
        if (!batching(stage, PREVIEW_BATCH)) {
            return RELEASED;
        }
        return batch <= PREVIEW_BATCH ? PREVIEW_BATCH : batch <= REPLACE ? REPLACE : RELEASED;
    }

    /** Gates check the preview before the switch, and the live traffic on the new version after it. */
    @Override
    boolean gatesAfter(int stage, int batch) {
        return batch <= SWITCH;
    }

    @Override
    List<HasMetadata> objects(int stage, int batch) {
        return objects(stage, batch, Map.of());
    }

    @Override
    List<HasMetadata> objects(int stage, int batch, Map<String, String> stableHashes) {
        List<HasMetadata> released = plain.objects(stage, plain.lastBatch());
        List<Deployment> changed = changed(stage);
        if (changed.isEmpty()) {
            return released;
        }
        if (batch >= RELEASED) {
            List<HasMetadata> out = new ArrayList<>(released);
            for (HasMetadata o : routing(changed)) {
                if (out.stream().noneMatch(x -> key(x).equals(key(o)))) {
                    out.add(o); // a later stage's live Services and Ingresses again, as released
                }
            }
            return out;
        }
        List<HasMetadata> out = new ArrayList<>();
        Set<String> live = new LinkedHashSet<>();
        // the live Services first, so that no preview pod ever takes live traffic before the switch
        for (Deployment d : changed) {
            for (Service svc : services(d)) {
                live.add(key(svc));
                out.add(batch == PREVIEW_BATCH ? pinned(svc, stableHashes.get(d.getMetadata().getName())) : onPreview(svc));
            }
        }
        Set<String> changedKeys = new LinkedHashSet<>(changed.stream().map(BlueGreenWrites::key).toList());
        for (HasMetadata o : released) {
            if (live.contains(key(o)) || changedKeys.contains(key(o)) && batch != REPLACE) {
                continue;
            }
            out.add(o);
        }
        for (Deployment d : changed) {
            out.add(preview(d, instances(d)));
            for (Service svc : services(d)) {
                out.add(previewService(svc));
            }
            for (Ingress ing : ingresses(d)) {
                Ingress preview = previewIngress(ing);
                if (!preview.getSpec().getRules().isEmpty()) {
                    out.add(preview);
                }
            }
        }
        return out;
    }

    /**
     * The previous release's live Services, each selecting the pods of its Deployment's current
     * version only (its pod-template-hash), for every service whose preview is still there: written
     * before the preview goes, so live traffic is back on the old version in one step.
     */
    @Override
    List<HasMetadata> switchBack(ClusterDriver driver, Supplier<Map<String, String>> stableHashes) {
        List<HasMetadata> out = new ArrayList<>();
        Map<String, String> hashes = null;
        for (int stage = 0; stage < release.plan().stageCount(); stage++) {
            for (Deployment d : changed(stage)) {
                ObjectRef preview = new ObjectRef(d.getApiVersion(), d.getKind(), target.namespace(), d.getMetadata().getName() + SUFFIX);
                if (driver.get(preview).isEmpty()) {
                    continue;
                }
                hashes = hashes == null ? stableHashes.get() : hashes;
                for (Service svc : services(d)) {
                    if (previous.get(key(svc)) instanceof Service before && before.getSpec().getSelector() != null) {
                        out.add(pinned(before, hashes.get(d.getMetadata().getName())));
                    }
                }
            }
        }
        return out;
    }

    /** The preview Deployments, Services and Ingresses a stage may have left (deleting an absent one is fine). */
    @Override
    List<ObjectRef> canaries(int stage) {
        List<ObjectRef> out = new ArrayList<>();
        for (HasMetadata w : plain.workloads(stage)) {
            if (!(w instanceof Deployment d)) {
                continue;
            }
            List<HasMetadata> owned = new ArrayList<>(List.of(d));
            owned.addAll(services(d));
            owned.addAll(ingresses(d));
            owned.forEach(o -> out.add(new ObjectRef(o.getApiVersion(), o.getKind(), target.namespace(), o.getMetadata().getName() + SUFFIX)));
        }
        return out;
    }

    @Override
    String describe(int stage, int batch) {
        List<Deployment> changed = changed(stage);
        if (changed.isEmpty() || batch >= RELEASED) {
            return plain.describe(stage, batch);
        }
        String names = String.join(", ", changed.stream().map(d -> d.getMetadata().getName()).toList());
        return switch (batch) {
            case PREVIEW_BATCH -> "preview of " + names + previewHosts(changed);
            case SWITCH -> "the switch of " + names + " to the new version";
            default -> names + " at the new version (live traffic on the preview meanwhile)";
        };
    }

    @Override
    String pausedMessage(ReleaseProgress.Step.Paused p, Instant now) {
        List<Deployment> changed = changed(p.stage());
        if (changed.isEmpty() || p.batch() > SWITCH) {
            return null;
        }
        String names = String.join(", ", changed.stream().map(d -> d.getMetadata().getName()).toList());
        String left = p.until() == null ? null : CLOCK.format(p.until()) + " (" + left(now, p.until()) + " left)";
        if (p.batch() == PREVIEW_BATCH) {
            String ready = "preview of " + names + " ready" + previewHosts(changed);
            return ready + "; " + (left == null ? "waiting for approval by a project member who may deploy (sampan release promote "
                    + release.number() + ")" : "switch at " + left);
        }
        String live = "live traffic on the new version of " + names;
        return live + "; old version kept " + (left == null ? "until promoted" : "until " + left) + " for switch-back (sampan release abort "
                + release.number() + ")";
    }

    private static String left(Instant now, Instant until) {
        long s = Math.max(0, Duration.between(now, until).toSeconds());
        return (s >= 60 ? s / 60 + "m " : "") + s % 60 + "s";
    }

    private String previewHosts(List<Deployment> changed) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Deployment d : changed) {
            for (Ingress ing : ingresses(d)) {
                ing.getSpec().getRules().forEach(r -> {
                    if (r.getHost() != null) {
                        hosts.add(policy().previewHostOf(r.getHost()));
                    }
                });
            }
        }
        return hosts.isEmpty() ? "" : " on " + String.join(", ", hosts);
    }

    private ReleasePolicy policy() {
        return release.plan().policy();
    }

    /**
     * The stage's Deployments behind a Service whose pod template changed since the previous release:
     * what goes blue-green. One without a Service (a worker) has no traffic to switch and rolls as released.
     */
    List<Deployment> changed(int stage) {
        List<Deployment> out = new ArrayList<>();
        for (HasMetadata w : plain.workloads(stage)) {
            if (w instanceof Deployment d && previous.get(key(d)) instanceof Deployment before
                    && !Objects.equals(d.getSpec().getTemplate(), before.getSpec().getTemplate()) && !services(d).isEmpty()) {
                out.add(d);
            }
        }
        return out;
    }

    /** The release's Services (with a selector) of the Deployment's service. */
    private List<Service> services(Deployment d) {
        String service = service(d);
        return target.objects().stream().filter(o -> o instanceof Service s && s.getSpec().getSelector() != null && service != null
                && service.equals(service(o))).map(o -> (Service) o).toList();
    }

    /** The release's Ingresses of the Deployment's service. */
    private List<Ingress> ingresses(Deployment d) {
        String service = service(d);
        return target.objects().stream().filter(o -> o instanceof Ingress && service != null && service.equals(service(o))).map(o -> (Ingress) o)
                .toList();
    }

    /** The live Services and Ingresses of the changed Deployments, as released. */
    private List<HasMetadata> routing(List<Deployment> changed) {
        List<HasMetadata> out = new ArrayList<>();
        for (Deployment d : changed) {
            out.addAll(services(d));
            out.addAll(ingresses(d));
        }
        return out;
    }

    private static String service(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(StandardLabels.SERVICE);
    }

    /** Every instance of the Deployment; an autoscaled one (no replicas of its own) its autoscaler's minimum. */
    private int instances(Deployment d) {
        if (d.getSpec().getReplicas() != null) {
            return d.getSpec().getReplicas();
        }
        for (HasMetadata o : target.objects()) {
            if (o instanceof HorizontalPodAutoscaler hpa && hpa.getSpec().getScaleTargetRef() != null
                    && "Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())
                    && d.getMetadata().getName().equals(hpa.getSpec().getScaleTargetRef().getName()) && hpa.getSpec().getMinReplicas() != null) {
                return hpa.getSpec().getMinReplicas();
            }
        }
        return 1;
    }

    /** The live Service selecting only the pods with {@code hash} (the old version's), when it is known. */
    private static Service pinned(Service svc, String hash) {
        Map<String, String> selector = new LinkedHashMap<>(svc.getSpec().getSelector());
        if (hash != null) {
            selector.put(BatchWrites.POD_TEMPLATE_HASH, hash);
        }
        return new ServiceBuilder(svc).editSpec().withSelector(selector).endSpec().build();
    }

    /** The live Service selecting the preview pods: the switch. */
    private static Service onPreview(Service svc) {
        Map<String, String> selector = new LinkedHashMap<>(svc.getSpec().getSelector());
        selector.put(BatchWrites.TRACK, PREVIEW);
        return new ServiceBuilder(svc).editSpec().withSelector(selector).endSpec().build();
    }

    private static Service previewService(Service svc) {
        return new ServiceBuilder(onPreview(svc)).editMetadata().withName(svc.getMetadata().getName() + SUFFIX).endMetadata().build();
    }

    /** The new template beside the old: {@code <name>-preview}, selector and pods labelled {@code sampan.io/track: preview}. */
    static Deployment preview(Deployment d, int replicas) {
        Map<String, String> labels = new LinkedHashMap<>(d.getMetadata().getLabels() == null ? Map.of() : d.getMetadata().getLabels());
        labels.put(BatchWrites.TRACK, PREVIEW);
        Map<String, String> selector = new LinkedHashMap<>(d.getSpec().getSelector().getMatchLabels());
        selector.put(BatchWrites.TRACK, PREVIEW);
        Map<String, String> podLabels = new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        podLabels.put(BatchWrites.TRACK, PREVIEW);
        return new DeploymentBuilder(d).editMetadata().withName(d.getMetadata().getName() + SUFFIX).withLabels(labels).endMetadata()
                .editSpec().withReplicas(replicas).editSelector().withMatchLabels(selector).endSelector()
                .editTemplate().editMetadata().withLabels(podLabels).endMetadata().endTemplate().endSpec().build();
    }

    /**
     * The Ingress on the preview host(s), routed to the preview Services; without TLS (the live Ingress
     * holds the certificate). A rule without a host has no preview host and is left out.
     */
    private Ingress previewIngress(Ingress ing) {
        Ingress copy = new IngressBuilder(ing).editMetadata().withName(ing.getMetadata().getName() + SUFFIX).endMetadata().build();
        Set<String> live = new LinkedHashSet<>();
        target.objects().stream().filter(o -> o instanceof Service && Objects.equals(service(o), service(ing)))
                .forEach(o -> live.add(o.getMetadata().getName()));
        copy.getSpec().setRules(new ArrayList<>(copy.getSpec().getRules().stream().filter(r -> r.getHost() != null && !r.getHost().isEmpty())
                .toList()));
        copy.getSpec().setDefaultBackend(null);
        copy.getSpec().getRules().forEach(r -> {
            r.setHost(policy().previewHostOf(r.getHost()));
            if (r.getHttp() != null) {
                r.getHttp().getPaths().forEach(p -> {
                    if (p.getBackend().getService() != null && live.contains(p.getBackend().getService().getName())) {
                        p.getBackend().getService().setName(p.getBackend().getService().getName() + SUFFIX);
                    }
                });
            }
        });
        if (copy.getSpec().getTls() != null) {
            copy.getSpec().setTls(List.of());
        }
        return copy;
    }

    private static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
