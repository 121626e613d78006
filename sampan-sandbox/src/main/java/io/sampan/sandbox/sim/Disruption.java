package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ApiError;
import java.util.ArrayList;
import java.util.List;

/**
 * PodDisruptionBudgets: keeps each budget's status (expected, healthy, desired healthy, disruptions
 * allowed), and decides evictions ({@code POST pods/NAME/eviction}, {@code kubectl drain}): an
 * eviction that would take a budget below its minimum is refused with 429, as the API server does.
 */
public final class Disruption implements Controller {
    private final Api api;
    private final Informer budgets;
    private final LabelIndex selectors;
    private final Informer pods;
    private final Events events;

    public Disruption(Api api, ControllerManager manager, Informer budgets, LabelIndex selectors, Informer pods, Events events) {
        this.selectors = selectors;
        this.api = api;
        this.budgets = budgets;
        this.pods = pods;
        this.events = events;
        budgets.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            for (ObjectNode p : new ObjectNode[] {before, after}) {
                if (p != null) {
                    for (ObjectNode b : selectors.candidates(budgets, p)) {
                        if (Meta.selects(b.path("spec").path("selector"), Meta.labels(p))) {
                            manager.enqueue(this, Meta.key(b));
                        }
                    }
                }
            }
        });
    }

    @Override
    public String name() {
        return "disruption";
    }

    private record Budget(int expected, int healthy, int desired) {
        int allowed() {
            return Math.max(0, healthy - desired);
        }
    }

    private Budget budget(JsonNode pdb) {
        List<ObjectNode> selected = new ArrayList<>();
        for (ObjectNode p : LabelIndex.pods(pods, Meta.namespace(pdb), Meta.strings(pdb.path("spec").path("selector").path("matchLabels")))) {
            String phase = p.path("status").path("phase").asText("");
            if (Meta.selects(pdb.path("spec").path("selector"), Meta.labels(p)) && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                selected.add(p);
            }
        }
        int expected = selected.size();
        int healthy = (int) selected.stream().filter(PodTemplates::ready).count();
        JsonNode spec = pdb.path("spec");
        int desired;
        if (spec.has("minAvailable")) {
            desired = DeploymentController.intOrPercent(spec.path("minAvailable"), expected, true, "0");
        } else if (spec.has("maxUnavailable")) {
            desired = Math.max(0, expected - DeploymentController.intOrPercent(spec.path("maxUnavailable"), expected, true, "0"));
        } else {
            desired = expected;
        }
        return new Budget(expected, healthy, desired);
    }

    @Override
    public void reconcile(String key) {
        ObjectNode pdb = budgets.get(key);
        if (pdb == null) {
            return;
        }
        Budget b = budget(pdb);
        ObjectNode status = Meta.JSON.createObjectNode().put("observedGeneration", pdb.path("metadata").path("generation").asLong(1))
                .put("expectedPods", b.expected()).put("currentHealthy", b.healthy()).put("desiredHealthy", b.desired())
                .put("disruptionsAllowed", b.allowed());
        JsonNode old = Meta.condition(pdb, "DisruptionAllowed");
        boolean allowed = b.allowed() > 0;
        String transition = old.path("status").asText().equals(allowed ? "True" : "False") ? old.path("lastTransitionTime").asText()
                : null;
        status.putArray("conditions").addObject().put("type", "DisruptionAllowed").put("status", allowed ? "True" : "False")
                .put("reason", allowed ? "SufficientPods" : "InsufficientPods").put("message", "")
                .put("lastTransitionTime", transition != null ? transition : Kubelet.ts(api.store().now()))
                .put("observedGeneration", pdb.path("metadata").path("generation").asLong(1));
        if (!status.equals(pdb.path("status"))) {
            ObjectNode update = pdb.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.PDB, update);
        }
    }

    /** Evicts a pod unless a budget forbids it (429 TooManyRequests), as the eviction subresource does. */
    public synchronized void evict(String namespace, String name) {
        ObjectNode pod = api.get(Kinds.POD, namespace, name).orElseThrow(() -> ApiError.notFound(Kinds.POD, name));
        if (PodTemplates.ready(pod)) {
            for (ObjectNode pdb : selectors.candidates(budgets, pod)) {
                if (!Meta.selects(pdb.path("spec").path("selector"), Meta.labels(pod))) {
                    continue;
                }
                Budget b = budget(pdb);
                if (b.allowed() <= 0) {
                    throw new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.")
                            .withCause("DisruptionBudget", "The disruption budget " + Meta.name(pdb) + " needs " + b.desired()
                                    + " healthy pods and has " + b.healthy() + " currently");
                }
            }
        }
        events.normal(pod, "eviction", "Evicted", "Evicted pod " + Meta.key(pod));
        api.delete(Kinds.POD, namespace, name);
    }
}
