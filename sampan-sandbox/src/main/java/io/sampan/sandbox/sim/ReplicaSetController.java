package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps {@code spec.replicas} pods of each ReplicaSet: creates missing ones from the template,
 * deletes surplus ones (those not yet scheduled, not running, not ready, then the youngest first,
 * as Kubernetes does) and reports replicas, ready and available ({@code minReadySeconds}) counts.
 */
public final class ReplicaSetController implements Controller {
    static final String COMPONENT = "replicaset-controller";
    private final Api api;
    private final ControllerManager manager;
    private final Informer replicaSets;
    private final Informer pods;
    private final Events events;

    public ReplicaSetController(Api api, ControllerManager manager, Informer replicaSets, Informer pods, Events events) {
        this.api = api;
        this.manager = manager;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.events = events;
        replicaSets.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            ObjectNode p = after != null ? after : before;
            if ("ReplicaSet".equals(Meta.controllerKind(p))) {
                for (JsonNode ref : p.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean()) {
                        manager.enqueue(this, Meta.key(Meta.namespace(p), ref.path("name").asText()));
                    }
                }
            }
        });
    }

    @Override
    public String name() {
        return "replicaset";
    }

    @Override
    public void reconcile(String key) {
        ObjectNode rs = replicaSets.get(key);
        if (rs == null || rs.path("metadata").has("deletionTimestamp")) {
            return; // its pods go with it (garbage collector)
        }
        List<ObjectNode> owned = active(pods.byIndex(Simulation.BY_OWNER, Meta.uid(rs)));
        int want = rs.path("spec").path("replicas").asInt(1);
        int diff = want - owned.size();
        if (diff > 0) {
            for (int i = 0; i < diff; i++) {
                ObjectNode pod = PodTemplates.pod(rs, rs.path("spec").path("template"), Meta.name(rs) + "-" + Meta.suffix());
                try {
                    ObjectNode created = api.create(Kinds.POD, pod);
                    events.normal(rs, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
                } catch (io.sampan.sandbox.ApiError refused) {
                    if (refused.code() != 403) {
                        throw refused;
                    }
                    // refused by admission (quota): say so where kubectl describe and Sampan's diagnosis look, and retry later
                    events.warning(rs, COMPONENT, "FailedCreate", "Error creating: " + refused.getMessage());
                    manager.enqueueAfter(this, Meta.key(rs), Duration.ofSeconds(10));
                    break;
                }
            }
        } else if (diff < 0) {
            owned.sort(DELETE_FIRST);
            for (ObjectNode p : owned.subList(0, -diff)) {
                if (api.delete(Kinds.POD, Meta.namespace(p), Meta.name(p))) {
                    events.normal(rs, COMPONENT, "SuccessfulDelete", "Deleted pod: " + Meta.name(p));
                }
            }
        }
        writeStatus(rs);
    }

    private void writeStatus(ObjectNode rs) {
        List<ObjectNode> owned = active(pods.byIndex(Simulation.BY_OWNER, Meta.uid(rs)));
        Instant now = manager.clock().instant();
        int minReady = rs.path("spec").path("minReadySeconds").asInt(0);
        int ready = 0;
        int available = 0;
        Instant nextAvailable = null;
        for (ObjectNode p : owned) {
            if (PodTemplates.ready(p)) {
                ready++;
                Instant since = PodTemplates.readySince(p);
                Instant availableAt = since.plusSeconds(minReady);
                if (!availableAt.isAfter(now)) {
                    available++;
                } else if (nextAvailable == null || availableAt.isBefore(nextAvailable)) {
                    nextAvailable = availableAt;
                }
            }
        }
        ObjectNode status = Meta.JSON.createObjectNode().put("replicas", owned.size()).put("fullyLabeledReplicas", owned.size())
                .put("readyReplicas", ready).put("availableReplicas", available)
                .put("observedGeneration", rs.path("metadata").path("generation").asLong(1));
        if (!status.equals(rs.path("status"))) {
            ObjectNode update = rs.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.REPLICASET, update);
        }
        if (nextAvailable != null) {
            manager.enqueueAfter(this, Meta.key(rs), Duration.between(now, nextAvailable));
        }
    }

    /** Pods that count: not finished. */
    static List<ObjectNode> active(List<ObjectNode> pods) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode p : pods) {
            String phase = p.path("status").path("phase").asText("");
            if (!phase.equals("Succeeded") && !phase.equals("Failed") && !p.path("metadata").has("deletionTimestamp")) {
                out.add(p);
            }
        }
        return out;
    }

    /** Kubernetes' order for scale-down: unscheduled, pending, not ready, more restarts, youngest. */
    static final Comparator<ObjectNode> DELETE_FIRST = Comparator
            .comparing((ObjectNode p) -> !p.path("spec").path("nodeName").asText("").isEmpty())
            .thenComparing(p -> p.path("status").path("phase").asText("").equals("Running"))
            .thenComparing(PodTemplates::ready)
            .thenComparing(p -> -PodTemplates.restarts(p))
            .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(""), Comparator.reverseOrder());
}
