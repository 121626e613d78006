package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Admission;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs DaemonSets as Kubernetes does: one pod on every node the template's nodeSelector, required
 * node affinity and tolerations allow (with the tolerations Kubernetes adds to daemon pods), each
 * pinned to its node by a required {@code matchFields metadata.name} affinity and placed by the
 * scheduler. Pods follow nodes as they come, change and go. A {@code RollingUpdate} replaces old
 * pods node by node within {@code maxUnavailable} (1 by default), or with {@code maxSurge} starts
 * the new pod before deleting the old; {@code OnDelete} waits for the user. Templates are kept as
 * ControllerRevisions; status carries what {@code kubectl rollout status} reads. As admission it
 * fills in the API server's defaults for a new DaemonSet.
 */
public final class DaemonSetController implements Controller, Admission {
    static final String COMPONENT = "daemonset-controller";
    /** The tolerations every daemon pod gets: key and effect. */
    private static final String[][] DAEMON_TOLERATIONS = {
        {"node.kubernetes.io/not-ready", "NoExecute"}, {"node.kubernetes.io/unreachable", "NoExecute"},
        {"node.kubernetes.io/disk-pressure", "NoSchedule"}, {"node.kubernetes.io/memory-pressure", "NoSchedule"},
        {"node.kubernetes.io/pid-pressure", "NoSchedule"}, {"node.kubernetes.io/unschedulable", "NoSchedule"}};
    private static final List<JsonNode> ADDED_TOLERATIONS = java.util.Arrays.stream(DAEMON_TOLERATIONS)
            .map(t -> (JsonNode) Meta.JSON.createObjectNode().put("key", t[0]).put("operator", "Exists").put("effect", t[1])).toList();
    private final Api api;
    private final ControllerManager manager;
    private final Informer daemonSets;
    private final Informer pods;
    private final Informer nodes;
    private final ControllerRevisions revisions;
    private final Events events;

    public DaemonSetController(Api api, ControllerManager manager, Informer daemonSets, Informer pods, Informer nodes,
            Informer controllerRevisions, Events events) {
        this.api = api;
        this.manager = manager;
        this.daemonSets = daemonSets;
        this.pods = pods;
        this.nodes = nodes;
        this.revisions = new ControllerRevisions(api, controllerRevisions);
        this.events = events;
        daemonSets.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            ObjectNode p = after != null ? after : before;
            if ("DaemonSet".equals(Meta.controllerKind(p))) {
                for (JsonNode ref : p.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean()) {
                        manager.enqueue(this, Meta.key(Meta.namespace(p), ref.path("name").asText()));
                    }
                }
            }
        });
        nodes.addHandler((before, after) -> {
            if (before == null || after == null || placementChanged(before, after)) {
                for (ObjectNode ds : daemonSets.all()) {
                    manager.enqueue(this, Meta.key(ds));
                }
            }
        });
    }

    private static boolean placementChanged(JsonNode before, JsonNode after) {
        return !Objects.equals(before.path("metadata").path("labels"), after.path("metadata").path("labels"))
                || !Objects.equals(before.path("spec"), after.path("spec"))
                || Meta.conditionTrue(before, "Ready") != Meta.conditionTrue(after, "Ready");
    }

    @Override
    public String name() {
        return "daemonset";
    }

    /** The API server's defaults for a new DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, ten revisions. */
    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        if (!type.equals(Kinds.DAEMONSET)) {
            return;
        }
        ObjectNode spec = object.with("spec");
        if (!spec.has("revisionHistoryLimit")) {
            spec.put("revisionHistoryLimit", 10);
        }
        ObjectNode strategy = spec.with("updateStrategy");
        if (!strategy.has("type")) {
            strategy.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode rolling = strategy.with("rollingUpdate");
            if (!rolling.has("maxUnavailable")) {
                rolling.put("maxUnavailable", 1);
            }
            if (!rolling.has("maxSurge")) {
                rolling.put("maxSurge", 0);
            }
        }
    }

    /** Whether a pod of this template may be placed on the node (NoSchedule and NoExecute taints), or may stay (NoExecute only). */
    record Fit(boolean shouldRun, boolean shouldContinueRunning) {
    }

    static Fit fit(JsonNode podSpec, JsonNode node) {
        if (!selects(podSpec, node)) {
            return new Fit(false, false);
        }
        List<JsonNode> tolerations = new ArrayList<>(ADDED_TOLERATIONS);
        podSpec.path("tolerations").forEach(tolerations::add);
        boolean run = true;
        boolean stay = true;
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            boolean tolerated = tolerations.stream().anyMatch(t -> tolerates(t, taint));
            if (!tolerated && effect.equals("NoExecute")) {
                run = false;
                stay = false;
            } else if (!tolerated && effect.equals("NoSchedule")) {
                run = false;
            }
        }
        return new Fit(run, stay);
    }

    /** Whether the node passes the pod's nodeSelector and required node affinity (matchExpressions on labels, matchFields on the name). */
    static boolean selects(JsonNode podSpec, JsonNode node) {
        Map<String, String> labels = Meta.labels(node);
        for (Map.Entry<String, String> e : Meta.strings(podSpec.path("nodeSelector")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        JsonNode terms = podSpec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (terms.isEmpty()) {
            return true;
        }
        for (JsonNode term : terms) {
            boolean all = term.path("matchExpressions").size() + term.path("matchFields").size() > 0;
            for (JsonNode x : term.path("matchExpressions")) {
                all &= requirement(x, labels.get(x.path("key").asText()));
            }
            for (JsonNode x : term.path("matchFields")) {
                all &= "metadata.name".equals(x.path("key").asText()) && requirement(x, Meta.name(node));
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** A NodeSelectorRequirement against a value (null when the label is absent). */
    private static boolean requirement(JsonNode x, String value) {
        Set<String> values = new HashSet<>();
        x.path("values").forEach(v -> values.add(v.asText()));
        return switch (x.path("operator").asText()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                try {
                    long have = Long.parseLong(value);
                    long bound = Long.parseLong(x.path("values").path(0).asText());
                    yield x.path("operator").asText().equals("Gt") ? have > bound : have < bound;
                } catch (NumberFormatException | NullPointerException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    static boolean tolerates(JsonNode toleration, JsonNode taint) {
        String effect = toleration.path("effect").asText("");
        if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
            return false;
        }
        String key = toleration.path("key").asText("");
        if ("Exists".equals(toleration.path("operator").asText("Equal"))) {
            return key.isEmpty() || key.equals(taint.path("key").asText());
        }
        return key.equals(taint.path("key").asText()) && toleration.path("value").asText("").equals(taint.path("value").asText(""));
    }

    /** The node a daemon pod is for: where it is bound, or the node its matchFields affinity names. */
    static String targetNode(JsonNode pod) {
        String bound = pod.path("spec").path("nodeName").asText("");
        if (!bound.isEmpty()) {
            return bound;
        }
        for (JsonNode term : pod.path("spec").path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms")) {
            for (JsonNode f : term.path("matchFields")) {
                if ("metadata.name".equals(f.path("key").asText()) && "In".equals(f.path("operator").asText()) && f.path("values").size() == 1) {
                    return f.path("values").path(0).asText();
                }
            }
        }
        return "";
    }

    private static boolean finished(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Failed") || phase.equals("Succeeded");
    }

    private boolean available(JsonNode ds, JsonNode pod, Instant now) {
        return PodTemplates.ready(pod) && !PodTemplates.readySince(pod).plusSeconds(ds.path("spec").path("minReadySeconds").asInt(0)).isAfter(now);
    }

    private static String hashOf(JsonNode pod) {
        return pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText("");
    }

    @Override
    public void reconcile(String key) {
        ObjectNode ds = daemonSets.get(key);
        if (ds == null) {
            return; // its pods go with it (garbage collector)
        }
        ControllerRevisions.Current update = revisions.ensure(ds, Meta.labels(ds.path("spec").path("template")));
        String hash = update.hash();
        Instant now = manager.clock().instant();
        JsonNode podSpec = ds.path("spec").path("template").path("spec");
        Map<String, List<ObjectNode>> byNode = podsByNode(ds);
        Map<String, ObjectNode> nodesByName = nodesByName();
        Map<String, Fit> fits = new TreeMap<>();
        nodesByName.forEach((name, node) -> fits.put(name, fit(podSpec, node)));
        boolean rolling = !"OnDelete".equals(ds.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"));
        int desired = 0;
        for (Fit fit : fits.values()) {
            desired += fit.shouldRun() ? 1 : 0;
        }
        int maxSurge = rolling ? scaled(ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxSurge"), desired, 0) : 0;
        List<String> create = new ArrayList<>();
        for (ObjectNode node : nodesByName.values()) {
            Fit fit = fits.get(Meta.name(node));
            List<ObjectNode> live = new ArrayList<>();
            for (ObjectNode p : byNode.getOrDefault(Meta.name(node), List.of())) {
                if (finished(p)) {
                    events.warning(ds, COMPONENT, "FailedDaemonPod", "Found failed daemon pod " + Meta.key(p) + " on node " + Meta.name(node)
                            + ", will try to kill it");
                    deletePod(ds, p);
                } else {
                    live.add(p);
                }
            }
            if (fit.shouldRun()) {
                if (live.isEmpty()) {
                    create.add(Meta.name(node));
                } else if (live.size() > 1 && !(maxSurge > 0 && live.size() == 2 && live.stream().anyMatch(p -> hashOf(p).equals(hash)))) {
                    live.sort(Comparator.comparing((ObjectNode p) -> p.path("metadata").path("creationTimestamp").asText()));
                    live.subList(1, live.size()).forEach(p -> deletePod(ds, p)); // one daemon pod per node: the oldest stays
                }
            } else if (!fit.shouldContinueRunning()) {
                live.forEach(p -> deletePod(ds, p));
            }
        }
        Set<String> existing = nodesByName.keySet();
        byNode.forEach((node, list) -> {
            if (!existing.contains(node)) {
                list.forEach(p -> deletePod(ds, p)); // the node is gone
            }
        });
        for (String node : create) {
            if (!createPod(ds, node, hash)) {
                break;
            }
        }
        if (rolling) {
            rollingUpdate(ds, hash, fits, desired, maxSurge, now);
        }
        writeStatus(ds, update, fits, now);
        Set<String> live = new HashSet<>(Set.of(update.name()));
        for (ObjectNode p : pods.byIndex(Simulation.BY_OWNER, Meta.uid(ds))) {
            live.add(Meta.name(ds) + "-" + hashOf(p));
        }
        revisions.trim(ds, live);
    }

    private Map<String, ObjectNode> nodesByName() {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (ObjectNode n : nodes.all()) {
            out.put(Meta.name(n), n);
        }
        return out;
    }

    private Map<String, List<ObjectNode>> podsByNode(JsonNode ds) {
        Map<String, List<ObjectNode>> out = new TreeMap<>();
        for (ObjectNode p : pods.byIndex(Simulation.BY_OWNER, Meta.uid(ds))) {
            out.computeIfAbsent(targetNode(p), n -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /** An int-or-percent of {@code total}, percentages rounded up as Kubernetes does for daemon sets. */
    static int scaled(JsonNode v, int total, int fallback) {
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        String s = v.asText();
        if (s.endsWith("%")) {
            return (int) Math.ceil(total * Integer.parseInt(s.substring(0, s.length() - 1)) / 100.0);
        }
        return v.asInt(fallback);
    }

    /** Replaces old pods: within maxUnavailable by deleting first, or within maxSurge by starting the new pod first. */
    private void rollingUpdate(ObjectNode ds, String hash, Map<String, Fit> fits, int desired, int maxSurge, Instant now) {
        Map<String, List<ObjectNode>> byNode = podsByNode(ds);
        int maxUnavailable = scaled(ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable"), desired, 1);
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        int unavailable = 0;
        int surging = 0;
        List<ObjectNode> oldAvailable = new ArrayList<>();
        for (Map.Entry<String, Fit> e : fits.entrySet()) {
            if (!e.getValue().shouldRun()) {
                continue;
            }
            List<ObjectNode> list = byNode.getOrDefault(e.getKey(), List.of());
            ObjectNode fresh = list.stream().filter(p -> hashOf(p).equals(hash)).findFirst().orElse(null);
            List<ObjectNode> old = list.stream().filter(p -> !hashOf(p).equals(hash)).toList();
            boolean anyAvailable = list.stream().anyMatch(p -> available(ds, p, now));
            unavailable += anyAvailable ? 0 : 1;
            if (fresh != null && !old.isEmpty()) {
                surging++;
                if (available(ds, fresh, now)) {
                    old.forEach(p -> deletePod(ds, p)); // surge: the new pod is available, the old one goes
                    surging--;
                }
                continue;
            }
            for (ObjectNode p : old) {
                if (!available(ds, p, now)) {
                    deletePod(ds, p); // an old pod that is not available anyway goes first
                } else {
                    oldAvailable.add(p);
                }
            }
        }
        for (ObjectNode p : oldAvailable) {
            if (maxSurge > 0) {
                if (surging < maxSurge) {
                    if (!createPod(ds, targetNode(p), hash)) {
                        return;
                    }
                    surging++;
                }
            } else if (unavailable < maxUnavailable) {
                deletePod(ds, p);
                unavailable++;
            }
        }
    }

    /** Creates the daemon pod for a node; false when refused (retried later). */
    private boolean createPod(ObjectNode ds, String node, String hash) {
        ObjectNode template = ds.path("spec").path("template").deepCopy();
        ObjectNode spec = template.with("spec");
        for (String[] t : DAEMON_TOLERATIONS) {
            boolean present = false;
            for (JsonNode x : spec.path("tolerations")) {
                present |= t[0].equals(x.path("key").asText()) && t[1].equals(x.path("effect").asText()) && "Exists".equals(x.path("operator").asText());
            }
            if (!present) {
                spec.withArray("tolerations").addObject().put("key", t[0]).put("operator", "Exists").put("effect", t[1]);
            }
        }
        pinTo(spec, node);
        ObjectNode pod = PodTemplates.pod(ds, template, Meta.name(ds) + "-" + Meta.suffix());
        pod.with("metadata").with("labels").put(ControllerRevisions.POD_LABEL, hash)
                .put("pod-template-generation", Long.toString(ds.path("metadata").path("generation").asLong(1)));
        try {
            ObjectNode created = api.create(Kinds.POD, pod);
            events.normal(ds, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
            return true;
        } catch (ApiError e) {
            if (e.code() != 403 && e.code() != 422) {
                throw e;
            }
            events.warning(ds, COMPONENT, "FailedCreate", "Error creating: " + e.getMessage());
            manager.enqueueAfter(this, Meta.key(ds), Duration.ofSeconds(10));
            return false;
        }
    }

    /** Pins the pod to the node as Kubernetes does: a required node affinity term per existing term, matchFields metadata.name In [node]. */
    static void pinTo(ObjectNode spec, String node) {
        ObjectNode required = spec.with("affinity").with("nodeAffinity").with("requiredDuringSchedulingIgnoredDuringExecution");
        ArrayNode terms = required.withArray("nodeSelectorTerms");
        if (terms.isEmpty()) {
            terms.addObject();
        }
        for (JsonNode term : terms) {
            ArrayNode fields = ((ObjectNode) term).putArray("matchFields");
            fields.addObject().put("key", "metadata.name").put("operator", "In").putArray("values").add(node);
        }
    }

    private void deletePod(ObjectNode ds, JsonNode pod) {
        if (api.delete(Kinds.POD, Meta.namespace(pod), Meta.name(pod))) {
            events.normal(ds, COMPONENT, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod));
        }
    }

    private void writeStatus(ObjectNode ds, ControllerRevisions.Current update, Map<String, Fit> fits, Instant now) {
        Map<String, List<ObjectNode>> byNode = podsByNode(ds);
        int minReady = ds.path("spec").path("minReadySeconds").asInt(0);
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        Instant nextAvailable = null;
        for (Map.Entry<String, Fit> node : fits.entrySet()) {
            boolean run = node.getValue().shouldRun();
            List<ObjectNode> list = byNode.getOrDefault(node.getKey(), List.of()).stream().filter(p -> !finished(p)).toList();
            desired += run ? 1 : 0;
            if (!run) {
                misscheduled += list.isEmpty() ? 0 : 1;
                continue;
            }
            if (list.isEmpty()) {
                continue;
            }
            current++;
            // the oldest pod speaks for the node, as in Kubernetes: during a surge the old pod until it goes
            ObjectNode pod = list.stream().min(Comparator.comparing((ObjectNode p) -> p.path("metadata").path("creationTimestamp").asText())
                    .thenComparing(p -> hashOf(p).equals(update.hash()))).orElseThrow();
            updated += hashOf(pod).equals(update.hash()) ? 1 : 0;
            if (PodTemplates.ready(pod)) {
                ready++;
                Instant at = PodTemplates.readySince(pod).plusSeconds(minReady);
                if (!at.isAfter(now)) {
                    available++;
                } else if (nextAvailable == null || at.isBefore(nextAvailable)) {
                    nextAvailable = at;
                }
            }
        }
        ObjectNode status = Meta.JSON.createObjectNode().put("currentNumberScheduled", current).put("numberMisscheduled", misscheduled)
                .put("desiredNumberScheduled", desired).put("numberReady", ready)
                .put("observedGeneration", ds.path("metadata").path("generation").asLong(1))
                .put("updatedNumberScheduled", updated).put("numberAvailable", available);
        if (desired - available > 0) {
            status.put("numberUnavailable", desired - available);
        }
        if (update.collisionCount() > 0) {
            status.put("collisionCount", update.collisionCount());
        }
        if (!status.equals(ds.path("status"))) {
            ObjectNode write = ds.deepCopy();
            write.set("status", status);
            api.updateStatus(Kinds.DAEMONSET, write);
        }
        if (nextAvailable != null) {
            manager.enqueueAfter(this, Meta.key(ds), Duration.between(now, nextAvailable));
        }
    }
}
