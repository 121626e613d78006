package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulated side of a sandbox cluster, in the spirit of KWOK: nodes from a {@link NodeProfile}
 * with heartbeats, a scheduler, kubelets that run pods through their life, and the controllers
 * Kubernetes runs (Deployment, ReplicaSet, Endpoints, node lifecycle, garbage collection, events),
 * all on one {@link SimClock}. Tests and tools drive failures through the methods here.
 */
public final class Simulation implements AutoCloseable {
    public static final String BY_OWNER = "owner";
    public static final String BY_NODE = "node";
    public static final String BY_NAMESPACE = "namespace";
    /** Pods by {@code namespace/key=value} for each label; Services by the same for each pair of their selector. */
    public static final String BY_LABEL = "label";

    /**
     * How the cluster behaves: its nodes, clock, how long an image pull takes and how often nodes
     * heartbeat.
     */
    public record Options(NodeProfile nodes, SimClock clock, Duration imagePull, Duration heartbeat, boolean probeDelays) {
        public static Options defaults() {
            return new Options(NodeProfile.defaults(), SimClock.scaled(1), Duration.ZERO, Duration.ofSeconds(10), true);
        }

        public Options withNodes(NodeProfile p) {
            return new Options(p, clock, imagePull, heartbeat, probeDelays);
        }

        public Options withClock(SimClock c) {
            return new Options(nodes, c, imagePull, heartbeat, probeDelays);
        }

        public Options withImagePull(Duration d) {
            return new Options(nodes, clock, d, heartbeat, probeDelays);
        }

        /** Whether readiness probes' initial delays are honoured (true) or pods are ready as soon as they run (false). */
        public Options withProbeDelays(boolean honoured) {
            return new Options(nodes, clock, imagePull, heartbeat, honoured);
        }
    }

    private final Api api;
    private final ControllerManager manager;
    private final List<Informer> informers = new ArrayList<>();
    private final Informer nodes;
    private final Informer pods;
    private final Events events;
    private final NodeController nodeController;
    private final Kubelet kubelet;
    private final GarbageCollector gc;
    private final Disruption disruption;
    private final PodLogs logs;
    private final PodMetrics podMetrics = new PodMetrics();
    private final SimulatedOperators operators;
    private int nodeIndex;

    public Simulation(Store store, Options options) {
        this.api = new Api(store);
        this.manager = new ControllerManager(options.clock());
        ensureNamespace(NodeController.LEASE_NAMESPACE);
        nodes = informer(store, Kinds.NODE);
        pods = informer(store, Kinds.POD).index(BY_OWNER, p -> one(Meta.controllerUid(p)))
                .index(BY_NODE, p -> one(p.path("spec").path("nodeName").asText(null)))
                .index(BY_NAMESPACE, p -> one(Meta.namespace(p)))
                .index(BY_LABEL, p -> LabelIndex.ofLabels(Meta.namespace(p), Meta.labels(p)));
        Informer replicaSets = informer(store, Kinds.REPLICASET).index(BY_OWNER, o -> one(Meta.controllerUid(o)));
        Informer deployments = informer(store, Kinds.DEPLOYMENT);
        LabelIndex serviceSelectors = LabelIndex.serviceSelectors();
        LabelIndex budgetSelectors = LabelIndex.labelSelectors();
        Informer services = informer(store, Kinds.SERVICE).index(BY_NAMESPACE, o -> one(Meta.namespace(o)))
                .index(BY_LABEL, serviceSelectors::keys);
        events = new Events(api, manager);
        gc = new GarbageCollector(api, manager);
        nodeController = new NodeController(api, manager, nodes, pods, events, options.heartbeat());
        new SchedulerController(api, manager, nodes, pods, events, new KubeScheduler());
        kubelet = new Kubelet(api, manager, pods, nodes, events, options.imagePull());
        if (!options.probeDelays()) {
            kubelet.ignoreProbeDelays();
        }
        logs = new PodLogs(api, kubelet, options.clock());
        new ReplicaSetController(api, manager, replicaSets, pods, events);
        new DeploymentController(api, manager, deployments, replicaSets, pods, events);
        new EndpointsController(api, manager, services, serviceSelectors, pods, nodes);
        Informer quotas = informer(store, Kinds.QUOTA).index(BY_NAMESPACE, o -> one(Meta.namespace(o)));
        store.addAdmission(new Quotas(api, manager, quotas, pods));
        Informer budgets = informer(store, Kinds.PDB).index(BY_NAMESPACE, o -> one(Meta.namespace(o))).index(BY_LABEL, budgetSelectors::keys);
        disruption = new Disruption(api, manager, budgets, budgetSelectors, pods, events);
        Informer revisions = informer(store, Kinds.CONTROLLER_REVISION).index(BY_OWNER, o -> one(Meta.controllerUid(o)));
        Informer claims = informer(store, Kinds.PVC);
        VolumeBinder volumes = new VolumeBinder(api, manager, claims, informer(store, VolumeBinder.PV), pods, events);
        store.addAdmission(volumes);
        store.addAdmission(new StatefulSetController(api, manager, informer(store, Kinds.STATEFULSET), pods, revisions, events));
        store.addAdmission(new DaemonSetController(api, manager, informer(store, Kinds.DAEMONSET), pods, nodes, revisions, events));
        Informer jobs = informer(store, Kinds.JOB).index(BY_OWNER, o -> one(Meta.controllerUid(o)));
        new JobController(api, manager, jobs, pods, events);
        new CronJobController(api, manager, informer(store, Kinds.CRONJOB), jobs, events);
        new HorizontalPodAutoscalerController(api, manager, informer(store, Kinds.HPA), deployments, pods, events, podMetrics);
        operators = new SimulatedOperators(api, manager, store);
        for (NodeProfile.Pool pool : options.nodes().pools()) {
            for (int i = 0; i < pool.count(); i++) {
                if (api.get(Kinds.NODE, null, pool.prefix() + "-" + i).isPresent()) {
                    nodeIndex++; // restored from a data directory: kept, not created again
                    continue;
                }
                addNode(pool, i);
            }
        }
    }

    private static List<String> one(String v) {
        return v == null || v.isEmpty() ? List.of() : List.of(v);
    }

    private Informer informer(Store store, io.sampan.sandbox.ResourceType t) {
        Informer i = Informer.start(store, t);
        informers.add(i);
        return i;
    }

    private void ensureNamespace(String ns) {
        if (api.get(Kinds.NAMESPACE, null, ns).isEmpty()) {
            ObjectNode o = Meta.JSON.createObjectNode();
            o.putObject("metadata").put("name", ns);
            api.create(Kinds.NAMESPACE, o);
        }
    }

    /** Adds the {@code i}th node of a pool (zone round-robin, a rack per ten nodes). */
    public synchronized ObjectNode addNode(NodeProfile.Pool pool, int i) {
        nodeIndex++;
        Map<String, String> labels = new java.util.LinkedHashMap<>(pool.labels());
        if (!pool.zones().isEmpty()) {
            String zone = pool.zones().get(i % pool.zones().size());
            labels.put("topology.kubernetes.io/zone", zone);
            labels.put("topology.kubernetes.io/region", "sandbox");
        }
        labels.putIfAbsent("topology.sampan.io/rack", "rack-" + (i / 10));
        return nodeController.create(pool.prefix() + "-" + i, nodeIndex, pool.cpu(), pool.memory(), pool.pods(), labels, pool.taints());
    }

    /** Removes a node; its pods are deleted and replaced elsewhere by their controllers. */
    public void removeNode(String name) {
        api.delete(Kinds.NODE, null, name);
    }

    /** The node stops heartbeating: NotReady after 40 s, its pods evicted after their toleration (300 s). */
    public void failNode(String name) {
        nodeController.fail(name);
    }

    public void recoverNode(String name) {
        nodeController.recover(name);
    }

    /** Marks the node unschedulable, as {@code kubectl cordon} does. */
    public void cordon(String name, boolean unschedulable) {
        ObjectNode node = api.get(Kinds.NODE, null, name).orElseThrow();
        if (unschedulable) {
            node.with("spec").put("unschedulable", true);
        } else {
            node.with("spec").remove("unschedulable");
        }
        api.update(Kinds.NODE, node);
    }

    /** Evicts a pod as {@code POST pods/NAME/eviction} does: refused (429) when a disruption budget does not allow it. */
    public void evict(String namespace, String name) {
        disruption.evict(namespace, name);
    }

    /**
     * Drains a node as {@code kubectl drain} does: cordons it, then evicts its pods (DaemonSet pods
     * stay); returns the pods a disruption budget kept, to retry later.
     */
    public List<String> drain(String node) {
        cordon(node, true);
        List<String> refused = new ArrayList<>();
        for (ObjectNode p : List.copyOf(pods.byIndex(BY_NODE, node))) {
            if ("DaemonSet".equals(Meta.controllerKind(p))) {
                continue;
            }
            try {
                evict(Meta.namespace(p), Meta.name(p));
            } catch (io.sampan.sandbox.ApiError e) {
                if (e.code() != 429) {
                    throw e;
                }
                refused.add(Meta.key(p));
            }
        }
        return refused;
    }

    /**
     * Sets the CPU a Deployment's pods use, in millicores in total, spread evenly over its ready pods:
     * what HorizontalPodAutoscalers read (see {@link PodMetrics}; the Deployment annotation
     * {@value PodMetrics#LOAD_ANNOTATION} does the same through kubectl). A negative value clears it.
     */
    public void setCpuLoad(String namespace, String deployment, long millicores) {
        podMetrics.setCpuLoad(namespace, deployment, millicores);
    }

    /** The simulated operators of custom resource kinds (none until a test names a kind). */
    public SimulatedOperators operators() {
        return operators;
    }

    public Api api() {
        return api;
    }

    public ControllerManager manager() {
        return manager;
    }

    public SimClock clock() {
        return manager.clock();
    }

    public PodLogs logs() {
        return logs;
    }

    /** Waits until every controller is idle (delayed work not yet due aside). */
    public void awaitIdle() {
        try {
            if (!manager.awaitIdle(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the simulation did not settle within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Advances a manual clock and waits until what became due has happened. */
    public void advance(Duration d) {
        manager.clock().advance(d);
        awaitIdle();
    }

    @Override
    public void close() {
        manager.close();
        informers.forEach(Informer::stop);
        operators.stop();
        gc.stop();
    }
}
