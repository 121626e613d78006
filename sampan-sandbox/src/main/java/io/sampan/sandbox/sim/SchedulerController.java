package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds pending pods of the default scheduler to nodes. The decision is the placement engine's; this
 * controller feeds it nodes and bound pods, binds, and for a pod that fits nowhere writes
 * {@code PodScheduled=False/Unschedulable} and a FailedScheduling event with the engine's message.
 * Unschedulable pods are tried again when a node changes or a bound pod goes, those that failed on
 * pod affinity or topology spread also when a pod is bound (as kube-scheduler's queueing hints
 * move them), and every minute. A pod with {@code schedulingGates} waits, {@code SchedulingGated},
 * until they are removed.
 */
public final class SchedulerController implements Controller {
    static final String COMPONENT = "default-scheduler";
    private final Api api;
    private final ControllerManager manager;
    private final Informer pods;
    private final Informer nodes;
    private final Events events;
    private final Placement placement;
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    /** Unschedulable pods that another pod's binding may help: they failed on pod affinity or topology spread. */
    private final Set<String> waitingForPods = ConcurrentHashMap.newKeySet();

    /** The scheduling decisions: a view of nodes and bound pods, and where a pod goes. */
    public interface Placement {
        void upsertNode(ObjectNode node);

        void removeNode(String name);

        void assign(ObjectNode pod);

        void unassign(ObjectNode pod);

        /** The node for the pod, or null with {@code message} set. */
        Decision place(ObjectNode pod);

        record Decision(String node, String message) {
        }
    }

    public SchedulerController(Api api, ControllerManager manager, Informer nodes, Informer pods, Events events, Placement placement) {
        this.api = api;
        this.manager = manager;
        this.pods = pods;
        this.nodes = nodes;
        this.events = events;
        this.placement = placement;
        nodes.addHandler((before, after) -> {
            if (after == null) {
                placement.removeNode(Meta.name(before));
            } else {
                placement.upsertNode(after);
            }
            retryUnschedulable();
        });
        pods.addHandler((before, after) -> {
            if (after == null) {
                unschedulable.remove(Meta.key(before));
                waitingForPods.remove(Meta.key(before));
                if (bound(before)) {
                    placement.unassign(before);
                    retryUnschedulable();
                }
                return;
            }
            String phase = after.path("status").path("phase").asText("");
            if (bound(after)) {
                if (phase.equals("Succeeded") || phase.equals("Failed")) {
                    placement.unassign(after);
                } else {
                    placement.assign(after);
                    if ((before == null || !bound(before)) && !waitingForPods.isEmpty()) {
                        waitingForPods.forEach(k -> manager.enqueue(this, k));
                    }
                }
            } else if (COMPONENT.equals(after.path("spec").path("schedulerName").asText(COMPONENT))) {
                manager.enqueue(this, Meta.key(after));
            }
        });
    }

    private static boolean bound(JsonNode pod) {
        return !pod.path("spec").path("nodeName").asText("").isEmpty();
    }

    private void retryUnschedulable() {
        for (String key : unschedulable) {
            manager.enqueue(this, key);
        }
    }

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public void reconcile(String key) {
        ObjectNode pod = pods.get(key);
        if (pod == null || bound(pod)) {
            unschedulable.remove(key);
            waitingForPods.remove(key);
            return;
        }
        if (!pod.path("spec").path("schedulingGates").isEmpty()) {
            // kube-scheduler leaves a gated pod out of its queue: no attempt, no event, until the gates are removed
            unschedulable.remove(key);
            waitingForPods.remove(key);
            if (!"SchedulingGated".equals(Meta.condition(pod, "PodScheduled").path("reason").asText())) {
                ObjectNode update = pod.deepCopy();
                setUnschedulable(update, "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates");
                api.updateStatus(Kinds.POD, update);
            }
            return;
        }
        String volumes = VolumeBinder.unboundClaim(api, pod); // the volume binding check: wait for the pod's claims
        Placement.Decision d = volumes == null ? placement.place(pod) : new Placement.Decision(null, "0/" + nodes.size()
                + " nodes are available: " + volumes + ". preemption: 0/" + nodes.size() + " nodes are available: " + nodes.size()
                + " Preemption is not helpful for scheduling.");
        if (d.node() != null) {
            ObjectNode update = pod.deepCopy();
            update.with("spec").put("nodeName", d.node());
            ObjectNode bound = api.update(Kinds.POD, update); // the kubelet reports PodScheduled=True with the rest of the status
            unschedulable.remove(key);
            waitingForPods.remove(key);
            events.normal(bound, COMPONENT, "Scheduled", "Successfully assigned " + key + " to " + d.node());
            return;
        }
        boolean first = unschedulable.add(key);
        if (d.message().contains("didn't match pod affinity rules") || d.message().contains("pod topology spread constraints")) {
            waitingForPods.add(key);
        } else {
            waitingForPods.remove(key);
        }
        JsonNode current = Meta.condition(pod, "PodScheduled");
        if (first || !d.message().equals(current.path("message").asText())) {
            ObjectNode update = pod.deepCopy();
            setUnschedulable(update, "Unschedulable", d.message());
            api.updateStatus(Kinds.POD, update);
            events.warning(pod, COMPONENT, "FailedScheduling", d.message());
        }
        manager.enqueueAfter(this, key, volumes == null ? Duration.ofMinutes(1) : Duration.ofSeconds(1));
    }

    private void setUnschedulable(ObjectNode pod, String reason, String message) {
        boolean scheduled = false;
        ObjectNode status = pod.with("status");
        status.put("phase", "Pending");
        Map<String, JsonNode> keep = new LinkedHashMap<>();
        for (JsonNode c : status.path("conditions")) {
            if (!c.path("type").asText().equals("PodScheduled")) {
                keep.put(c.path("type").asText(), c);
            }
        }
        var conditions = status.putArray("conditions");
        keep.values().forEach(conditions::add);
        ObjectNode c = conditions.addObject().put("type", "PodScheduled").put("status", scheduled ? "True" : "False").putNull("lastProbeTime")
                .put("lastTransitionTime", Kubelet.ts(manager.clock().instant()));
        if (!scheduled) {
            c.put("reason", reason).put("message", message);
        }
    }
}
