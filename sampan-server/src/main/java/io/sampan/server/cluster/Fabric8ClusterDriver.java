package io.sampan.server.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link ClusterDriver} over the Kubernetes API with fabric8: server-side apply with field manager
 * {@code sampan} (taking ownership of fields on conflict, as the platform is the source of truth),
 * label-selected listing of what Sampan owns, and observation of workloads, pods and events.
 * Observing reads the cluster's watch-fed {@link ClusterMirror} (an in-memory lookup), and the
 * cluster itself only when the mirror cannot vouch for being current; {@link #observeWorkloads},
 * which a release calls right after its own write, always reads the cluster. Whether the cluster
 * serves an optional API (the Gateway API's HTTPRoute) is asked of its discovery and cached.
 */
public final class Fabric8ClusterDriver implements ClusterDriver, AutoCloseable {
    /** The kinds Sampan creates for apps, in the order they are pruned. */
    static final List<Class<? extends HasMetadata>> OWNED_KINDS = List.of(Ingress.class, HorizontalPodAutoscaler.class,
            PodDisruptionBudget.class, CronJob.class, Job.class, Deployment.class, StatefulSet.class, Service.class, ConfigMap.class,
            io.fabric8.kubernetes.api.model.ResourceQuota.class, io.fabric8.kubernetes.api.model.LimitRange.class);
    static final int LOG_LINES = 10;
    static final String HTTP_ROUTE_API = io.sampan.compiler.feature.HttpRouteFeature.API_VERSION;
    static final String HTTP_ROUTE = io.sampan.compiler.feature.HttpRouteFeature.KIND;
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String APP_LABEL = "sampan.io/app";

    private final KubernetesClient client;
    private final ClusterMirror mirror;
    private final Set<String> knownNamespaces = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.time.Clock clock;
    /** What discovery said of each {@code apiVersion kind}, and when. */
    private final Map<String, Discovered> discovered = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a served API is believed served, and an absent one absent (so installing its CRDs is seen soon). */
    static final java.time.Duration SERVED_FOR = java.time.Duration.ofMinutes(10);
    static final java.time.Duration ABSENT_FOR = java.time.Duration.ofSeconds(15);

    private record Discovered(boolean served, java.time.Instant at) {
    }

    public Fabric8ClusterDriver(KubernetesClient client) {
        this(client, java.time.Clock.systemUTC());
    }

    public Fabric8ClusterDriver(KubernetesClient client, java.time.Clock clock) {
        this.client = client;
        this.clock = clock;
        this.mirror = new ClusterMirror(client, clock);
    }

    @Override
    public void apply(List<HasMetadata> objects) {
        call(() -> {
            for (HasMetadata o : objects) {
                ensureNamespace(o.getMetadata().getNamespace());
                mirror.wrote(client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
            }
            return null;
        });
    }

    /** By API discovery ({@code /apis/GROUP/VERSION}), cached: a served API for {@link #SERVED_FOR}, an absent one for {@link #ABSENT_FOR}. */
    @Override
    public boolean serves(String apiVersion, String kind) {
        String key = apiVersion + " " + kind;
        java.time.Instant now = clock.instant();
        Discovered known = discovered.get(key);
        if (known != null && now.isBefore(known.at().plus(known.served() ? SERVED_FOR : ABSENT_FOR))) {
            return known.served();
        }
        boolean served = call(() -> {
            try {
                var resources = client.getApiResources(apiVersion);
                return resources != null && resources.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
            } catch (KubernetesClientException notFound) {
                if (notFound.getCode() == 404) {
                    return false;
                }
                throw notFound;
            }
        });
        discovered.put(key, new Discovered(served, now));
        return served;
    }

    @Override
    public List<ObjectRef> list(String namespace, Map<String, String> labels) {
        return call(() -> {
            List<ObjectRef> out = new ArrayList<>();
            if (serves(HTTP_ROUTE_API, HTTP_ROUTE)) { // a route of an earlier release, or of an environment that had a gateway
                for (HasMetadata o : client.genericKubernetesResources(HTTP_ROUTE_API, HTTP_ROUTE).inNamespace(namespace).withLabels(labels).list()
                        .getItems()) {
                    out.add(ObjectRef.of(o));
                }
            }
            for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
                for (HasMetadata o : client.resources(kind).inNamespace(namespace).withLabels(labels).list().getItems()) {
                    out.add(ObjectRef.of(o));
                }
            }
            return out;
        });
    }

    @Override
    public java.util.Optional<HasMetadata> get(ObjectRef ref) {
        return call(() -> {
            for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
                if (kind.getSimpleName().equals(ref.kind())) {
                    return java.util.Optional.ofNullable((HasMetadata) client.resources(kind).inNamespace(ref.namespace()).withName(ref.name()).get());
                }
            }
            var other = generic(ref);
            return java.util.Optional.<HasMetadata>ofNullable(other == null ? null : other.get());
        });
    }

    /** Any other kind (Secrets, claims, CRDs, custom resources) by discovery; {@code null} when the cluster does not serve the kind. */
    private io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.GenericKubernetesResource> generic(ObjectRef ref) {
        try {
            var kind = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
            return ref.namespace() == null ? kind.withName(ref.name()) : kind.inNamespace(ref.namespace()).withName(ref.name());
        } catch (KubernetesClientException notServed) {
            if (notServed.getCode() == 0 || notServed.getCode() == 404) {
                return null;
            }
            throw notServed;
        }
    }

    @Override
    public void delete(ObjectRef ref) {
        call(() -> {
            for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
                if (kind.getSimpleName().equals(ref.kind())) {
                    client.resources(kind).inNamespace(ref.namespace()).withName(ref.name())
                            .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
                    return null;
                }
            }
            var other = generic(ref);
            if (other != null) {
                other.withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            }
            return null;
        });
    }

    /** From the mirror when it is current, with the crash logs (read from the cluster) a diagnosis quotes. */
    @Override
    public ObservedState observe(String namespace, Map<String, String> labels) {
        return call(() -> mirror.observe(namespace, labels).map(seen -> withCrashLogs(namespace, seen))
                .orElseGet(() -> read(namespace, labels, true)));
    }

    /** What a status shows: as {@link #observe}, without crash logs (a status shows restarts, not logs). */
    public ObservedState observeTopology(String namespace, Map<String, String> labels) {
        return call(() -> mirror.observe(namespace, labels).orElseGet(() -> read(namespace, labels, true)));
    }

    /**
     * A value that changes whenever what {@link #observeTopology} answers for the app could change;
     * empty when that answer would come from the cluster rather than the mirror.
     */
    public java.util.Optional<Object> topologyVersion(String namespace, Map<String, String> labels) {
        return call(() -> mirror.version(namespace, labels.get(APP_LABEL)));
    }

    /** Always read from the cluster: a release calls this right after writing, before any watch has told of the write. */
    @Override
    public ObservedState observeWorkloads(String namespace, Map<String, String> labels) {
        return call(() -> read(namespace, labels, false));
    }

    /** Stops the watches of the mirror. */
    @Override
    public void close() {
        mirror.close();
    }

    /** Namespaces whose objects the mirror keeps now. */
    public Set<String> mirroredNamespaces() {
        return mirror.watchedNamespaces();
    }

    private ObservedState withCrashLogs(String namespace, ObservedState seen) {
        Map<String, List<String>> logs = crashLogs(namespace, seen.pods());
        return logs.isEmpty() ? seen : new ObservedState(seen.deployments(), seen.statefulSets(), seen.replicaSets(), seen.jobs(), seen.pods(),
                seen.events(), logs, seen.nodeZones());
    }

    /** Reads the cluster: lists of the app's workloads, pods and (with diagnostics) warning events, logs and zones. */
    private ObservedState read(String namespace, Map<String, String> labels, boolean diagnostics) {
        // pods and replica sets carry the app label but not every owner label; without an app, all of Sampan's
        String app = labels.get(APP_LABEL);
        List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).withLabels(labels).list().getItems();
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).withLabels(labels).list().getItems();
        List<ReplicaSet> replicaSets = (app == null ? client.apps().replicaSets().inNamespace(namespace).withLabel(APP_LABEL)
                : client.apps().replicaSets().inNamespace(namespace).withLabel(APP_LABEL, app)).list().getItems();
        List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace).withLabels(labels).list().getItems();
        List<Pod> pods = (app == null ? client.pods().inNamespace(namespace).withLabel(APP_LABEL)
                : client.pods().inNamespace(namespace).withLabel(APP_LABEL, app)).list().getItems();
        if (!diagnostics) {
            return new ObservedState(deployments, sets, replicaSets, jobs, pods, List.of(), Map.of(), Map.of());
        }
        Set<String> names = new HashSet<>();
        deployments.forEach(o -> names.add(o.getMetadata().getName()));
        sets.forEach(o -> names.add(o.getMetadata().getName()));
        replicaSets.forEach(o -> names.add(o.getMetadata().getName()));
        jobs.forEach(o -> names.add(o.getMetadata().getName()));
        pods.forEach(o -> names.add(o.getMetadata().getName()));
        // warnings only: they carry what a diagnosis reads (FailedCreate, FailedScheduling, Unhealthy, BackOff),
        // and a namespace of a thousand apps holds tens of thousands of normal events
        List<Event> events = client.v1().events().inNamespace(namespace).withField("type", "Warning").list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && names.contains(e.getInvolvedObject().getName())).toList();
        return new ObservedState(deployments, sets, replicaSets, jobs, pods, events, crashLogs(namespace, pods), nodeZones(pods));
    }

    private Map<String, List<String>> crashLogs(String namespace, List<Pod> pods) {
        Map<String, List<String>> logs = new HashMap<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                if (cs.getRestartCount() == null || cs.getRestartCount() == 0 || cs.getLastState() == null
                        || cs.getLastState().getTerminated() == null) {
                    continue;
                }
                try {
                    String log = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).inContainer(cs.getName())
                            .terminated().tailingLines(LOG_LINES).getLog();
                    logs.put(pod.getMetadata().getName() + "/" + cs.getName(), log == null ? List.of() : log.lines().toList());
                } catch (KubernetesClientException notAvailable) {
                    // logs are a help for the diagnosis, not a requirement
                }
            }
        }
        return logs;
    }

    /** Zones of the nodes the pods run on; empty when the credentials may not read nodes. */
    private Map<String, String> nodeZones(List<Pod> pods) {
        Set<String> nodes = new HashSet<>();
        pods.forEach(p -> {
            if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
                nodes.add(p.getSpec().getNodeName());
            }
        });
        if (nodes.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> zones = new HashMap<>();
            client.nodes().list().getItems().forEach(n -> {
                String zone = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(ZONE_LABEL);
                if (zone != null && nodes.contains(n.getMetadata().getName())) {
                    zones.put(n.getMetadata().getName(), zone);
                }
            });
            return zones;
        } catch (KubernetesClientException forbidden) {
            return Map.of();
        }
    }

    private void ensureNamespace(String namespace) {
        if (namespace == null || knownNamespaces.contains(namespace)) {
            return;
        }
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "sampan").endMetadata().build();
        client.resource(ns).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        knownNamespaces.add(namespace);
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 408 && e.getCode() != 429) {
                throw e; // the cluster answered: the request itself is wrong
            }
            throw new Unreachable(ClusterCheck.reason(e), e);
        }
    }
}
