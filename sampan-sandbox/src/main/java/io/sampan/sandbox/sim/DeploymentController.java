package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The Deployment controller: one ReplicaSet per pod template (named by its pod-template-hash),
 * rolled with {@code RollingUpdate} (maxSurge / maxUnavailable, rounding as Kubernetes does) or
 * {@code Recreate}; {@code paused}; revision annotations (an old template coming back — {@code
 * kubectl rollout undo} — takes the next revision); {@code revisionHistoryLimit}; and the status
 * fields and conditions kubectl reads, including {@code Progressing=False/ProgressDeadlineExceeded}
 * when no progress was made for {@code progressDeadlineSeconds}.
 */
public final class DeploymentController implements Controller {
    static final String COMPONENT = "deployment-controller";
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String HASH = "pod-template-hash";
    private final Api api;
    private final ControllerManager manager;
    private final Informer deployments;
    private final Informer replicaSets;
    private final Informer pods;
    private final Events events;

    public DeploymentController(Api api, ControllerManager manager, Informer deployments, Informer replicaSets, Informer pods, Events events) {
        this.api = api;
        this.manager = manager;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.events = events;
        deployments.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        replicaSets.addHandler((before, after) -> {
            ObjectNode rs = after != null ? after : before;
            for (JsonNode ref : rs.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean() && "Deployment".equals(ref.path("kind").asText())) {
                    manager.enqueue(this, Meta.key(Meta.namespace(rs), ref.path("name").asText()));
                }
            }
        });
    }

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public void reconcile(String key) {
        ObjectNode d = deployments.get(key);
        if (d == null || d.path("metadata").has("deletionTimestamp")) {
            return;
        }
        JsonNode spec = d.path("spec");
        int replicas = spec.path("replicas").asInt(1);
        String hash = templateHash(spec.path("template"), d.path("status").path("collisionCount").asInt(0));
        List<ObjectNode> all = new ArrayList<>(replicaSets.byIndex(Simulation.BY_OWNER, Meta.uid(d)));
        all.sort(Comparator.comparingLong(DeploymentController::revision).thenComparing(rs -> rs.path("metadata").path("creationTimestamp").asText()));
        ObjectNode newRs = null;
        List<ObjectNode> old = new ArrayList<>();
        for (ObjectNode rs : all) {
            if (hash.equals(Meta.labels(rs).get(HASH))) {
                newRs = rs;
            } else {
                old.add(rs);
            }
        }
        boolean paused = spec.path("paused").asBoolean(false);
        String created = null;
        if (paused) {
            if (newRs != null && old.stream().allMatch(rs -> rs.path("spec").path("replicas").asInt() == 0)) {
                newRs = scale(d, newRs, replicas);
            }
            writeStatus(d, newRs, old, null);
            return;
        }
        long maxOld = old.stream().mapToLong(DeploymentController::revision).max().orElse(0);
        boolean recreate = "Recreate".equals(spec.path("strategy").path("type").asText());
        if (newRs == null) {
            int initial = recreate ? 0 : Math.min(replicas, Math.max(0, replicas + maxSurge(d) - total(old)));
            newRs = createReplicaSet(d, hash, maxOld + 1, old.isEmpty() ? replicas : initial);
            created = Meta.name(newRs);
        } else if (revision(newRs) <= maxOld) {
            ObjectNode update = newRs.deepCopy();
            update.with("metadata").with("annotations").put(REVISION, Long.toString(maxOld + 1));
            newRs = api.update(Kinds.REPLICASET, update);
        }
        syncRevision(d, newRs);
        if (recreate) {
            newRs = recreate(d, newRs, old, replicas);
        } else {
            newRs = rolling(d, newRs, old, replicas);
        }
        cleanup(d, newRs, old, replicas);
        writeStatus(d, newRs, old, created);
    }

    private ObjectNode rolling(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, int replicas) {
        int surge = maxSurge(d);
        int unavailable = maxUnavailable(d);
        int current = spec(newRs) + total(old);
        int maxTotal = replicas + surge;
        int target = spec(newRs);
        if (target > replicas) {
            target = replicas;
        } else if (current < maxTotal) {
            target = Math.min(replicas, target + (maxTotal - current));
        }
        if (target != spec(newRs)) {
            newRs = scale(d, newRs, target);
        }
        int minAvailable = replicas - unavailable;
        int allPods = spec(newRs) + total(old);
        int newUnavailable = spec(newRs) - newRs.path("status").path("availableReplicas").asInt(0);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return newRs;
        }
        // first old replicas that are not available anyway, oldest ReplicaSets first
        for (int i = 0; i < old.size() && maxScaledDown > 0; i++) {
            ObjectNode rs = old.get(i);
            int unhealthy = spec(rs) - rs.path("status").path("availableReplicas").asInt(0);
            int by = Math.min(Math.max(unhealthy, 0), maxScaledDown);
            if (by > 0) {
                old.set(i, scale(d, rs, spec(rs) - by));
                maxScaledDown -= by;
            }
        }
        int available = newRs.path("status").path("availableReplicas").asInt(0);
        for (ObjectNode rs : old) {
            available += Math.min(spec(rs), rs.path("status").path("availableReplicas").asInt(0));
        }
        int scaleDown = available - minAvailable;
        for (int i = 0; i < old.size() && scaleDown > 0; i++) {
            ObjectNode rs = old.get(i);
            int by = Math.min(spec(rs), scaleDown);
            if (by > 0) {
                old.set(i, scale(d, rs, spec(rs) - by));
                scaleDown -= by;
            }
        }
        return newRs;
    }

    private ObjectNode recreate(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, int replicas) {
        boolean oldScaled = false;
        for (int i = 0; i < old.size(); i++) {
            if (spec(old.get(i)) > 0) {
                old.set(i, scale(d, old.get(i), 0));
                oldScaled = true;
            }
        }
        if (oldScaled) {
            return newRs;
        }
        for (ObjectNode rs : old) {
            if (!ReplicaSetController.active(pods.byIndex(Simulation.BY_OWNER, Meta.uid(rs))).isEmpty()) {
                return newRs; // wait until every old pod is gone
            }
        }
        return spec(newRs) == replicas ? newRs : scale(d, newRs, replicas);
    }

    private void cleanup(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, int replicas) {
        int limit = d.path("spec").path("revisionHistoryLimit").asInt(10);
        List<ObjectNode> idle = new ArrayList<>();
        for (ObjectNode rs : old) {
            if (spec(rs) == 0 && rs.path("status").path("replicas").asInt(0) == 0
                    && rs.path("metadata").path("generation").asLong(1) <= rs.path("status").path("observedGeneration").asLong(0)) {
                idle.add(rs);
            }
        }
        for (int i = 0; i < idle.size() - limit; i++) {
            api.delete(Kinds.REPLICASET, Meta.namespace(idle.get(i)), Meta.name(idle.get(i)));
            old.remove(idle.get(i));
        }
    }

    private ObjectNode createReplicaSet(ObjectNode d, String hash, long revision, int replicas) {
        ObjectNode rs = Meta.JSON.createObjectNode();
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", Meta.name(d) + "-" + hash).put("namespace", Meta.namespace(d));
        ObjectNode template = ((ObjectNode) d.path("spec").path("template")).deepCopy();
        template.with("metadata").with("labels").put(HASH, hash);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put(REVISION, Long.toString(revision))
                .put("deployment.kubernetes.io/desired-replicas", Integer.toString(d.path("spec").path("replicas").asInt(1)))
                .put("deployment.kubernetes.io/max-replicas", Integer.toString(d.path("spec").path("replicas").asInt(1) + maxSurge(d)));
        String cause = Meta.annotation(d, "kubernetes.io/change-cause");
        if (cause != null) {
            annotations.put("kubernetes.io/change-cause", cause);
        }
        Meta.setController(rs, d);
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        if (d.path("spec").has("minReadySeconds")) {
            spec.set("minReadySeconds", d.path("spec").path("minReadySeconds"));
        }
        ObjectNode selector = ((ObjectNode) d.path("spec").path("selector")).deepCopy();
        selector.with("matchLabels").put(HASH, hash);
        spec.set("selector", selector);
        spec.set("template", template);
        ObjectNode created = api.create(Kinds.REPLICASET, rs);
        events.normal(d, COMPONENT, "ScalingReplicaSet", "Scaled up replica set " + Meta.name(created) + " from 0 to " + replicas);
        return created;
    }

    private ObjectNode scale(ObjectNode d, ObjectNode rs, int to) {
        int from = spec(rs);
        if (from == to) {
            return rs;
        }
        ObjectNode update = rs.deepCopy();
        update.with("spec").put("replicas", to);
        update.with("metadata").with("annotations").put("deployment.kubernetes.io/desired-replicas",
                Integer.toString(d.path("spec").path("replicas").asInt(1)));
        ObjectNode scaled = api.update(Kinds.REPLICASET, update);
        events.normal(d, COMPONENT, "ScalingReplicaSet", "Scaled " + (to > from ? "up" : "down") + " replica set " + Meta.name(rs) + " from "
                + from + " to " + to);
        return scaled;
    }

    private void syncRevision(ObjectNode d, ObjectNode newRs) {
        String revision = Meta.annotation(newRs, REVISION);
        if (!Objects.equals(revision, Meta.annotation(d, REVISION))) {
            ObjectNode update = d.deepCopy();
            update.with("metadata").with("annotations").put(REVISION, revision);
            api.update(Kinds.DEPLOYMENT, update);
        }
    }

    private void writeStatus(ObjectNode key, ObjectNode newRs, List<ObjectNode> old, String createdRs) {
        ObjectNode d = deployments.get(Meta.key(key)); // the annotation sync may have written it
        if (d == null) {
            return;
        }
        int replicas = d.path("spec").path("replicas").asInt(1);
        Instant now = manager.clock().instant();
        int total = 0;
        int ready = 0;
        int available = 0;
        List<ObjectNode> every = new ArrayList<>(old);
        if (newRs != null) {
            every.add(newRs);
        }
        for (ObjectNode rs : every) {
            ObjectNode fresh = replicaSets.get(Meta.key(rs));
            JsonNode s = fresh == null ? rs.path("status") : fresh.path("status");
            total += s.path("replicas").asInt(0);
            ready += s.path("readyReplicas").asInt(0);
            available += s.path("availableReplicas").asInt(0);
        }
        ObjectNode freshNew = newRs == null ? null : replicaSets.get(Meta.key(newRs));
        int updated = freshNew == null ? 0 : freshNew.path("status").path("replicas").asInt(0);
        JsonNode oldStatus = d.path("status");
        ObjectNode status = Meta.JSON.createObjectNode();
        status.put("observedGeneration", d.path("metadata").path("generation").asLong(1)).put("replicas", total).put("updatedReplicas", updated)
                .put("readyReplicas", ready).put("availableReplicas", available).put("unavailableReplicas", Math.max(0, total - available));
        if (oldStatus.has("collisionCount")) {
            status.set("collisionCount", oldStatus.get("collisionCount"));
        }
        ArrayNode conditions = status.putArray("conditions");
        boolean minAvailable = available >= replicas - maxUnavailable(d);
        condition(conditions, oldStatus, "Available", minAvailable, minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, false);
        String rsName = newRs == null ? "" : Meta.name(newRs);
        boolean complete = updated == replicas && total == replicas && available == replicas;
        JsonNode progressing = Meta.condition(d, "Progressing");
        long deadline = d.path("spec").path("progressDeadlineSeconds").asLong(600);
        if (d.path("spec").path("paused").asBoolean(false)) {
            condition(conditions, oldStatus, "Progressing", null, "DeploymentPaused", "Deployment is paused", now, true);
        } else if (createdRs != null) {
            condition(conditions, oldStatus, "Progressing", true, "NewReplicaSetCreated", "Created new replica set \"" + createdRs + "\"", now, true);
        } else if (complete) {
            condition(conditions, oldStatus, "Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"" + rsName + "\" has successfully progressed.",
                    now, "NewReplicaSetAvailable".equals(progressing.path("reason").asText()) ? false : true);
        } else if (progressed(oldStatus, status) || progressing.isMissingNode() || "DeploymentPaused".equals(progressing.path("reason").asText())) {
            condition(conditions, oldStatus, "Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
        } else if ("ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
            conditions.add(progressing.deepCopy());
        } else {
            Instant last = Instant.parse(progressing.path("lastUpdateTime").asText(now.toString()));
            if (!now.isBefore(last.plusSeconds(deadline))) {
                condition(conditions, oldStatus, "Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"" + rsName
                        + "\" has timed out progressing.", now, true);
                events.warning(d, COMPONENT, "ProgressDeadlineExceeded", "Deployment \"" + Meta.name(d) + "\" has timed out progressing.");
            } else {
                conditions.add(progressing.deepCopy());
                manager.enqueueAfter(this, Meta.key(d), Duration.between(now, last.plusSeconds(deadline)));
            }
        }
        if (!status.equals(oldStatus)) {
            ObjectNode update = d.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.DEPLOYMENT, update);
        }
    }

    /** Whether the rollout moved forward: more updated, ready or available replicas, or fewer old ones. */
    private static boolean progressed(JsonNode before, JsonNode after) {
        return after.path("updatedReplicas").asInt() > before.path("updatedReplicas").asInt()
                || after.path("readyReplicas").asInt() > before.path("readyReplicas").asInt()
                || after.path("availableReplicas").asInt() > before.path("availableReplicas").asInt()
                || after.path("replicas").asInt() - after.path("updatedReplicas").asInt()
                        < before.path("replicas").asInt() - before.path("updatedReplicas").asInt();
    }

    private static void condition(ArrayNode conditions, JsonNode oldStatus, String type, Boolean value, String reason, String message,
            Instant now, boolean touch) {
        String status = value == null ? "Unknown" : value ? "True" : "False";
        String ts = Kubelet.ts(now);
        String transition = ts;
        String update = ts;
        for (JsonNode c : oldStatus.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                if (status.equals(c.path("status").asText())) {
                    transition = c.path("lastTransitionTime").asText(ts);
                }
                if (!touch && status.equals(c.path("status").asText()) && reason.equals(c.path("reason").asText())) {
                    update = c.path("lastUpdateTime").asText(ts);
                }
            }
        }
        conditions.addObject().put("type", type).put("status", status).put("lastUpdateTime", update).put("lastTransitionTime", transition)
                .put("reason", reason).put("message", message);
    }

    static long revision(JsonNode rs) {
        String r = Meta.annotation(rs, REVISION);
        try {
            return r == null ? 0 : Long.parseLong(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int spec(JsonNode rs) {
        return rs.path("spec").path("replicas").asInt(0);
    }

    private static int total(List<ObjectNode> rss) {
        return rss.stream().mapToInt(DeploymentController::spec).sum();
    }

    /** The pod-template-hash of a template: FNV-1a of its JSON (and the collision count), in the safe alphabet. */
    static String templateHash(JsonNode template, int collisionCount) {
        long h = Meta.fnv32a(template);
        if (collisionCount > 0) {
            h = (h * 31 + collisionCount) & 0xffffffffL;
        }
        return Meta.safeEncode(h);
    }

    int maxSurge(JsonNode d) {
        if ("Recreate".equals(d.path("spec").path("strategy").path("type").asText())) {
            return 0;
        }
        int replicas = d.path("spec").path("replicas").asInt(1);
        int surge = intOrPercent(d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"), replicas, true, "25%");
        int unavailable = intOrPercent(d.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable"), replicas, false, "25%");
        return surge == 0 && unavailable == 0 ? 0 : surge;
    }

    int maxUnavailable(JsonNode d) {
        int replicas = d.path("spec").path("replicas").asInt(1);
        if ("Recreate".equals(d.path("spec").path("strategy").path("type").asText())) {
            return replicas;
        }
        int surge = intOrPercent(d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"), replicas, true, "25%");
        int unavailable = intOrPercent(d.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable"), replicas, false, "25%");
        if (surge == 0 && unavailable == 0) {
            return 1;
        }
        return Math.min(unavailable, replicas);
    }

    /** An int-or-percent field of {@code total}: a surge rounds up, an unavailability down. */
    static int intOrPercent(JsonNode v, int total, boolean roundUp, String defaultValue) {
        String s = v.isMissingNode() || v.isNull() ? defaultValue : v.asText();
        if (s.endsWith("%")) {
            double p = Double.parseDouble(s.substring(0, s.length() - 1)) * total / 100.0;
            return (int) (roundUp ? Math.ceil(p) : Math.floor(p));
        }
        return Integer.parseInt(s);
    }
}
