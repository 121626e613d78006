package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes and their lifecycle: each live node's kubelet renews its Lease in {@code kube-node-lease};
 * a node whose lease is older than the grace period (40 s) becomes {@code Ready=Unknown}, is
 * tainted {@code node.kubernetes.io/unreachable:NoExecute}, its pods are marked not ready, and they
 * are evicted when their toleration of that taint runs out (300 s by default) — their controllers
 * then replace them elsewhere. A recovered node becomes Ready again. Pods bound to a deleted node
 * are deleted.
 */
public final class NodeController implements Controller {
    static final String COMPONENT = "node-controller";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final Duration GRACE = Duration.ofSeconds(40);
    private final Api api;
    private final ControllerManager manager;
    private final Informer nodes;
    private final Informer pods;
    private final Events events;
    private final Duration heartbeat;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastBeat = new ConcurrentHashMap<>();
    private final Map<String, Instant> taintedAt = new ConcurrentHashMap<>();

    public NodeController(Api api, ControllerManager manager, Informer nodes, Informer pods, Events events, Duration heartbeat) {
        this.api = api;
        this.manager = manager;
        this.nodes = nodes;
        this.pods = pods;
        this.events = events;
        this.heartbeat = heartbeat;
        nodes.addHandler((before, after) -> manager.enqueue(this, Meta.name(after != null ? after : before)));
    }

    @Override
    public String name() {
        return "node-lifecycle";
    }

    /** Creates a node (Ready, with its addresses and capacity); {@code index} numbers its IP. */
    public ObjectNode create(String name, int index, String cpu, String memory, int podCapacity, Map<String, String> labels, Iterable<String> taints) {
        ObjectNode node = Meta.JSON.createObjectNode();
        ObjectNode meta = node.putObject("metadata").put("name", name);
        ObjectNode l = meta.putObject("labels");
        l.put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux").put("kubernetes.io/arch", "amd64").put("beta.kubernetes.io/os", "linux")
                .put("beta.kubernetes.io/arch", "amd64");
        labels.forEach(l::put);
        ObjectNode spec = node.putObject("spec");
        spec.put("podCIDR", "10.244." + index + ".0/24");
        for (String t : taints) {
            spec.withArray("taints").add(taint(t));
        }
        ObjectNode status = node.putObject("status");
        for (String which : new String[] {"capacity", "allocatable"}) {
            status.putObject(which).put("cpu", cpu).put("memory", memory).put("pods", Integer.toString(podCapacity))
                    .put("ephemeral-storage", "100Gi");
        }
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", "192.168." + (index >> 8 & 255) + "." + (index & 255));
        addresses.addObject().put("type", "Hostname").put("address", name);
        status.putObject("nodeInfo").put("kubeletVersion", "v1.32.0").put("kubeProxyVersion", "v1.32.0").put("containerRuntimeVersion",
                "containerd://1.7.0-sandbox").put("osImage", "Sampan sandbox").put("operatingSystem", "linux").put("architecture", "amd64")
                .put("kernelVersion", "6.1.0");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        status.set("conditions", conditions(true, manager.clock().instant(), null));
        ObjectNode created = api.create(Kinds.NODE, node);
        lastBeat.put(name, manager.clock().instant());
        events.normal(created, "kubelet", "NodeReady", "Node " + name + " status is now: NodeReady");
        return created;
    }

    static ObjectNode taint(String spec) {
        // key=value:Effect or key:Effect
        int colon = spec.lastIndexOf(':');
        String kv = colon < 0 ? spec : spec.substring(0, colon);
        String effect = colon < 0 ? "NoSchedule" : spec.substring(colon + 1);
        int eq = kv.indexOf('=');
        ObjectNode t = Meta.JSON.createObjectNode().put("key", eq < 0 ? kv : kv.substring(0, eq));
        if (eq >= 0) {
            t.put("value", kv.substring(eq + 1));
        }
        return t.put("effect", effect);
    }

    private static ArrayNode conditions(boolean ready, Instant now, JsonNode old) {
        ArrayNode c = Meta.JSON.createArrayNode();
        String ts = Kubelet.ts(now);
        for (String[] pressure : new String[][] {{"MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
            {"DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
            {"PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"}}) {
            c.addObject().put("type", pressure[0]).put("status", ready ? "False" : "Unknown").put("lastHeartbeatTime", ts)
                    .put("lastTransitionTime", ts).put("reason", ready ? pressure[1] : "NodeStatusUnknown")
                    .put("message", ready ? pressure[2] : "Kubelet stopped posting node status.");
        }
        c.addObject().put("type", "Ready").put("status", ready ? "True" : "Unknown").put("lastHeartbeatTime", ts).put("lastTransitionTime", ts)
                .put("reason", ready ? "KubeletReady" : "NodeStatusUnknown").put("message", ready ? "kubelet is posting ready status"
                        : "Kubelet stopped posting node status.");
        return c;
    }

    /** The node's kubelet stops: no more heartbeats (it goes NotReady after the grace period). */
    public void fail(String node) {
        down.add(node);
        manager.enqueue(this, node);
    }

    /** The node's kubelet is back. */
    public void recover(String node) {
        down.remove(node);
        lastBeat.put(node, manager.clock().instant());
        manager.enqueue(this, node);
    }

    @Override
    public void reconcile(String name) {
        ObjectNode node = nodes.get(name);
        Instant now = manager.clock().instant();
        if (node == null) {
            for (ObjectNode p : pods.byIndex(Simulation.BY_NODE, name)) {
                api.delete(Kinds.POD, Meta.namespace(p), Meta.name(p)); // pod GC: pods of a node that no longer exists
            }
            lastBeat.remove(name);
            api.delete(Kinds.LEASE, LEASE_NAMESPACE, name);
            return;
        }
        boolean alive = !down.contains(name);
        if (alive) {
            renewLease(name, now);
            lastBeat.put(name, now);
        }
        Instant beat = lastBeat.getOrDefault(name, now);
        boolean ready = Meta.conditionTrue(node, "Ready");
        if (alive && !ready) {
            markReady(node, now);
        } else if (!alive && ready && !now.isBefore(beat.plus(GRACE))) {
            markUnreachable(node, now);
        } else if (!alive && !ready) {
            evictPods(node, now);
        }
        if (alive) {
            manager.enqueueAfter(this, name, heartbeat);
        } else if (ready) {
            manager.enqueueAfter(this, name, Duration.between(now, beat.plus(GRACE)));
        }
    }

    private void renewLease(String name, Instant now) {
        ObjectNode lease = api.get(Kinds.LEASE, LEASE_NAMESPACE, name).orElse(null);
        if (lease == null) {
            lease = Meta.JSON.createObjectNode();
            lease.putObject("metadata").put("name", name).put("namespace", LEASE_NAMESPACE);
            lease.putObject("spec").put("holderIdentity", name).put("leaseDurationSeconds", 40).put("renewTime", micro(now));
            api.create(Kinds.LEASE, lease);
            return;
        }
        lease.with("spec").put("renewTime", micro(now));
        api.update(Kinds.LEASE, lease);
    }

    private static String micro(Instant i) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(i);
    }

    private void markReady(ObjectNode node, Instant now) {
        ObjectNode update = node.deepCopy();
        ArrayNode taints = Meta.JSON.createArrayNode();
        for (JsonNode t : node.path("spec").path("taints")) {
            if (!UNREACHABLE.equals(t.path("key").asText())) {
                taints.add(t);
            }
        }
        if (taints.isEmpty()) {
            update.with("spec").remove("taints");
        } else {
            update.with("spec").set("taints", taints);
        }
        update = api.update(Kinds.NODE, update);
        update.with("status").set("conditions", conditions(true, now, null));
        ObjectNode saved = api.updateStatus(Kinds.NODE, update);
        taintedAt.remove(Meta.name(node));
        events.normal(saved, "kubelet", "NodeReady", "Node " + Meta.name(node) + " status is now: NodeReady");
    }

    private void markUnreachable(ObjectNode node, Instant now) {
        ObjectNode update = node.deepCopy();
        update.with("status").set("conditions", conditions(false, now, null));
        update = api.updateStatus(Kinds.NODE, update);
        update.with("spec").withArray("taints").addObject().put("key", UNREACHABLE).put("effect", "NoExecute").put("timeAdded", Kubelet.ts(now));
        ObjectNode saved = api.update(Kinds.NODE, update);
        taintedAt.put(Meta.name(node), now);
        events.normal(saved, COMPONENT, "NodeNotReady", "Node " + Meta.name(node) + " status is now: NodeNotReady");
        for (ObjectNode p : pods.byIndex(Simulation.BY_NODE, Meta.name(node))) {
            if (Meta.conditionTrue(p, "Ready")) {
                ObjectNode pu = p.deepCopy();
                for (JsonNode c : pu.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Ready") || c.path("type").asText().equals("ContainersReady")) {
                        ((ObjectNode) c).put("status", "False").put("lastTransitionTime", Kubelet.ts(now)).put("reason", "NodeNotReady");
                    }
                }
                for (JsonNode cs : pu.path("status").path("containerStatuses")) {
                    ((ObjectNode) cs).put("ready", false);
                }
                api.updateStatus(Kinds.POD, pu);
                events.warning(p, COMPONENT, "NodeNotReady", "Node is not ready");
            }
        }
        evictPods(saved, now);
    }

    /** Evicts the pods whose toleration of the unreachable taint has run out; comes back for the next one. */
    private void evictPods(ObjectNode node, Instant now) {
        Instant since = taintedAt.getOrDefault(Meta.name(node), now);
        Instant next = null;
        for (ObjectNode p : pods.byIndex(Simulation.BY_NODE, Meta.name(node))) {
            Long seconds = toleration(p);
            if (seconds == null) {
                continue; // tolerates forever
            }
            Instant at = since.plusSeconds(seconds);
            if (!now.isBefore(at)) {
                events.normal(p, "taint-eviction-controller", "TaintManagerEviction", "Marking for deletion Pod " + Meta.key(p));
                api.delete(Kinds.POD, Meta.namespace(p), Meta.name(p));
            } else if (next == null || at.isBefore(next)) {
                next = at;
            }
        }
        if (next != null) {
            manager.enqueueAfter(this, Meta.name(node), Duration.between(now, next));
        }
    }

    /** How long the pod tolerates an unreachable node: null for ever, 0 when not at all. */
    private static Long toleration(JsonNode pod) {
        for (JsonNode t : pod.path("spec").path("tolerations")) {
            String op = t.path("operator").asText("Equal");
            boolean keyMatches = t.path("key").asText("").isEmpty() && op.equals("Exists") || UNREACHABLE.equals(t.path("key").asText());
            String effect = t.path("effect").asText("");
            if (keyMatches && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return t.has("tolerationSeconds") ? t.path("tolerationSeconds").asLong() : null;
            }
        }
        return 0L;
    }

    boolean isDown(String node) {
        return down.contains(node);
    }
}
