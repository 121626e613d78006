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
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs StatefulSets as Kubernetes does: pods {@code <set>-<ordinal>} with a stable hostname under
 * {@code serviceName} and their own claims {@code <template>-<set>-<ordinal>} (created before the
 * pod, kept on scale down unless {@code persistentVolumeClaimRetentionPolicy} says Delete).
 * {@code OrderedReady} creates ordinals one at a time, each once the previous is Running and Ready,
 * and removes them from the highest; {@code Parallel} does both at once. A {@code RollingUpdate}
 * deletes and recreates pods from the highest ordinal down to {@code partition}, one at a time (or
 * {@code maxUnavailable}) waiting for each to be Ready; {@code OnDelete} waits for the user to delete
 * them. Templates are kept as ControllerRevisions; status carries what {@code kubectl rollout status}
 * reads. As admission it fills in the API server's defaults for a new StatefulSet.
 */
public final class StatefulSetController implements Controller, Admission {
    static final String COMPONENT = "statefulset-controller";
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private final Api api;
    private final ControllerManager manager;
    private final Informer sets;
    private final Informer pods;
    private final ControllerRevisions revisions;
    private final Events events;

    public StatefulSetController(Api api, ControllerManager manager, Informer sets, Informer pods, Informer controllerRevisions, Events events) {
        this.api = api;
        this.manager = manager;
        this.sets = sets;
        this.pods = pods;
        this.revisions = new ControllerRevisions(api, controllerRevisions);
        this.events = events;
        sets.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            ObjectNode p = after != null ? after : before;
            if ("StatefulSet".equals(Meta.controllerKind(p))) {
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
        return "statefulset";
    }

    /** The API server's defaults for a new StatefulSet: one replica, OrderedReady, RollingUpdate at partition 0, Retain. */
    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        if (!type.equals(Kinds.STATEFULSET)) {
            return;
        }
        ObjectNode spec = object.with("spec");
        if (!spec.has("replicas")) {
            spec.put("replicas", 1);
        }
        if (!spec.has("podManagementPolicy")) {
            spec.put("podManagementPolicy", "OrderedReady");
        }
        if (!spec.has("revisionHistoryLimit")) {
            spec.put("revisionHistoryLimit", 10);
        }
        ObjectNode strategy = spec.with("updateStrategy");
        if (!strategy.has("type")) {
            strategy.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.path("type").asText()) && !strategy.with("rollingUpdate").has("partition")) {
            strategy.with("rollingUpdate").put("partition", 0);
        }
        ObjectNode retention = spec.with("persistentVolumeClaimRetentionPolicy");
        if (!retention.has("whenDeleted")) {
            retention.put("whenDeleted", "Retain");
        }
        if (!retention.has("whenScaled")) {
            retention.put("whenScaled", "Retain");
        }
    }

    @Override
    public void reconcile(String key) {
        ObjectNode set = sets.get(key);
        if (set == null) {
            return; // its pods go with it (garbage collector); its claims stay unless whenDeleted: Delete
        }
        ControllerRevisions.Current update = revisions.ensure(set, Meta.labels(set.path("spec").path("template")));
        ObjectNode current = revisions.named(set, set.path("status").path("currentRevision").asText(""));
        if (current == null) {
            current = update.revision();
        }
        sync(set, current, update.revision());
        writeStatus(set, Meta.name(current), update);
        Set<String> live = new HashSet<>();
        live.add(Meta.name(current));
        live.add(update.name());
        for (ObjectNode p : pods.byIndex(Simulation.BY_OWNER, Meta.uid(set))) {
            live.add(revisionOf(p));
        }
        revisions.trim(set, live);
    }

    /** The set's pods by ordinal. */
    private NavigableMap<Integer, ObjectNode> podsByOrdinal(JsonNode set) {
        NavigableMap<Integer, ObjectNode> out = new TreeMap<>();
        String prefix = Meta.name(set) + "-";
        for (ObjectNode p : pods.byIndex(Simulation.BY_OWNER, Meta.uid(set))) {
            String name = Meta.name(p);
            if (name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+")) {
                out.put(Integer.parseInt(name.substring(prefix.length())), p);
            }
        }
        return out;
    }

    private boolean available(JsonNode set, JsonNode pod) {
        return PodTemplates.ready(pod) && !PodTemplates.readySince(pod).plusSeconds(set.path("spec").path("minReadySeconds").asInt(0))
                .isAfter(manager.clock().instant());
    }

    static String revisionOf(JsonNode pod) {
        return pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText("");
    }

    private static boolean finished(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Failed") || phase.equals("Succeeded");
    }

    private static boolean rolling(JsonNode set) {
        return !"OnDelete".equals(set.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"));
    }

    private static int partition(JsonNode set) {
        return rolling(set) ? set.path("spec").path("updateStrategy").path("rollingUpdate").path("partition").asInt(0) : 0;
    }

    /** One step towards the spec: creates, deletes or replaces pods as far as the policy allows now. */
    private void sync(ObjectNode set, ObjectNode current, ObjectNode update) {
        int replicas = set.path("spec").path("replicas").asInt(1);
        boolean parallel = "Parallel".equals(set.path("spec").path("podManagementPolicy").asText());
        NavigableMap<Integer, ObjectNode> byOrdinal = podsByOrdinal(set);
        int partition = partition(set);
        // ordinals the set should have, lowest first
        for (int ord = 0; ord < replicas; ord++) {
            ObjectNode pod = byOrdinal.get(ord);
            if (pod == null) {
                ObjectNode revision = rolling(set) && ord < partition ? current : update;
                if (!createPod(set, ord, revision)) {
                    return;
                }
                if (!parallel) {
                    return; // OrderedReady: the next one once this one is Running and Ready
                }
                continue;
            }
            if (finished(pod)) {
                events.warning(set, COMPONENT, "RecreatingFailedPod", "StatefulSet " + Meta.key(set) + " is recreating failed Pod "
                        + Meta.name(pod));
                deletePod(set, pod); // recreated on the next pass
                if (!parallel) {
                    return;
                }
                continue;
            }
            ensureClaims(set, ord, pod);
            if (!parallel && !available(set, pod)) {
                return; // OrderedReady: Running and Ready (for minReadySeconds) before the next
            }
        }
        // ordinals beyond replicas, highest first
        for (Integer ord : byOrdinal.descendingKeySet()) {
            if (ord < replicas) {
                break;
            }
            ObjectNode pod = byOrdinal.get(ord);
            if (!parallel && !PodTemplates.ready(pod) && byOrdinal.subMap(replicas, true, ord, false).values().stream()
                    .anyMatch(p -> !PodTemplates.ready(p))) {
                return; // a lower condemned pod is unhealthy: it goes first
            }
            deletePod(set, pod);
            if ("Delete".equals(set.path("spec").path("persistentVolumeClaimRetentionPolicy").path("whenScaled").asText())) {
                for (JsonNode t : set.path("spec").path("volumeClaimTemplates")) {
                    api.delete(Kinds.PVC, Meta.namespace(set), claimName(t, set, ord));
                }
            }
            if (!parallel) {
                return;
            }
        }
        if (!rolling(set)) {
            return; // OnDelete: pods are replaced when the user deletes them
        }
        int maxUnavailable = maxUnavailable(set, replicas);
        int unavailable = 0;
        for (int ord = 0; ord < replicas; ord++) {
            ObjectNode pod = byOrdinal.get(ord);
            unavailable += pod == null || !PodTemplates.ready(pod) ? 1 : 0;
        }
        for (int ord = replicas - 1; ord >= partition; ord--) {
            ObjectNode pod = byOrdinal.get(ord);
            if (pod == null || revisionOf(pod).equals(Meta.name(update))) {
                continue;
            }
            if (!PodTemplates.ready(pod)) {
                deletePod(set, pod);
            } else if (unavailable < maxUnavailable) {
                deletePod(set, pod);
                unavailable++;
            } else {
                return;
            }
        }
    }

    /** {@code rollingUpdate.maxUnavailable}: a number or a percentage of replicas (rounded down, at least 1); 1 when unset. */
    private static int maxUnavailable(JsonNode set, int replicas) {
        JsonNode v = set.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable");
        if (v.isMissingNode() || v.isNull()) {
            return 1;
        }
        String s = v.asText();
        int n = s.endsWith("%") ? replicas * Integer.parseInt(s.substring(0, s.length() - 1)) / 100 : v.asInt(1);
        return Math.max(1, n);
    }

    static String claimName(JsonNode claimTemplate, JsonNode set, int ordinal) {
        return Meta.name(claimTemplate) + "-" + Meta.name(set) + "-" + ordinal;
    }

    /** Creates the pod's claims that do not exist yet; false when one could not be created. */
    private boolean ensureClaims(ObjectNode set, int ordinal, JsonNode pod) {
        String podName = Meta.name(set) + "-" + ordinal;
        for (JsonNode t : set.path("spec").path("volumeClaimTemplates")) {
            String name = claimName(t, set, ordinal);
            if (api.get(Kinds.PVC, Meta.namespace(set), name).isPresent()) {
                continue;
            }
            ObjectNode claim = Meta.JSON.createObjectNode();
            ObjectNode meta = claim.putObject("metadata").put("name", name).put("namespace", Meta.namespace(set));
            ObjectNode labels = meta.putObject("labels");
            Meta.labels(t).forEach(labels::put);
            Meta.strings(set.path("spec").path("selector").path("matchLabels")).forEach(labels::put);
            if (t.path("metadata").has("annotations")) {
                meta.set("annotations", t.path("metadata").path("annotations").deepCopy());
            }
            if ("Delete".equals(set.path("spec").path("persistentVolumeClaimRetentionPolicy").path("whenDeleted").asText())) {
                meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "StatefulSet").put("name", Meta.name(set))
                        .put("uid", Meta.uid(set));
            }
            claim.set("spec", t.path("spec").deepCopy());
            try {
                api.create(Kinds.PVC, claim);
                events.normal(set, COMPONENT, "SuccessfulCreate", "create Claim " + name + " Pod " + podName + " in StatefulSet "
                        + Meta.name(set) + " success");
            } catch (ApiError e) {
                if (e.code() == 409) {
                    continue;
                }
                events.warning(set, COMPONENT, "FailedCreate", "create Claim " + name + " for Pod " + podName + " in StatefulSet "
                        + Meta.name(set) + " failed error: " + e.getMessage());
                manager.enqueueAfter(this, Meta.key(set), Duration.ofSeconds(10));
                return false;
            }
        }
        return true;
    }

    /** Creates the pod of an ordinal from a revision, its claims first; false when it could not be created. */
    private boolean createPod(ObjectNode set, int ordinal, ObjectNode revision) {
        if (!ensureClaims(set, ordinal, null)) {
            return false;
        }
        String name = Meta.name(set) + "-" + ordinal;
        ObjectNode pod = PodTemplates.pod(set, ControllerRevisions.template(revision), name);
        ObjectNode labels = pod.with("metadata").with("labels");
        labels.put(POD_NAME_LABEL, name).put(POD_INDEX_LABEL, Integer.toString(ordinal)).put(ControllerRevisions.POD_LABEL, Meta.name(revision));
        ObjectNode spec = pod.with("spec");
        spec.put("hostname", name);
        String service = set.path("spec").path("serviceName").asText("");
        if (!service.isEmpty()) {
            spec.put("subdomain", service);
        }
        for (JsonNode t : set.path("spec").path("volumeClaimTemplates")) {
            ArrayNode volumes = spec.withArray("volumes");
            for (int i = volumes.size() - 1; i >= 0; i--) {
                if (Meta.name(t).equals(volumes.get(i).path("name").asText())) {
                    volumes.remove(i);
                }
            }
            volumes.addObject().put("name", Meta.name(t)).putObject("persistentVolumeClaim").put("claimName", claimName(t, set, ordinal));
        }
        try {
            api.create(Kinds.POD, pod);
        } catch (ApiError e) {
            if (e.code() == 409) {
                return true; // already there: the informer has not caught up
            }
            events.warning(set, COMPONENT, "FailedCreate", "create Pod " + name + " in StatefulSet " + Meta.name(set) + " failed error: "
                    + e.getMessage());
            manager.enqueueAfter(this, Meta.key(set), Duration.ofSeconds(10));
            return false;
        }
        events.normal(set, COMPONENT, "SuccessfulCreate", "create Pod " + name + " in StatefulSet " + Meta.name(set) + " successful");
        return true;
    }

    private void deletePod(ObjectNode set, JsonNode pod) {
        if (api.delete(Kinds.POD, Meta.namespace(pod), Meta.name(pod))) {
            events.normal(set, COMPONENT, "SuccessfulDelete", "delete Pod " + Meta.name(pod) + " in StatefulSet " + Meta.name(set) + " successful");
        }
    }

    private void writeStatus(ObjectNode set, String currentRevision, ControllerRevisions.Current update) {
        NavigableMap<Integer, ObjectNode> byOrdinal = podsByOrdinal(set);
        Instant now = manager.clock().instant();
        int minReady = set.path("spec").path("minReadySeconds").asInt(0);
        int count = 0;
        int ready = 0;
        int available = 0;
        int currentCount = 0;
        int updated = 0;
        Instant nextAvailable = null;
        for (Map.Entry<Integer, ObjectNode> e : byOrdinal.entrySet()) {
            ObjectNode p = e.getValue();
            if (finished(p)) {
                continue;
            }
            count++;
            String rev = revisionOf(p);
            currentCount += rev.equals(currentRevision) ? 1 : 0;
            updated += rev.equals(update.name()) ? 1 : 0;
            if (PodTemplates.ready(p)) {
                ready++;
                Instant at = PodTemplates.readySince(p).plusSeconds(minReady);
                if (!at.isAfter(now)) {
                    available++;
                } else if (nextAvailable == null || at.isBefore(nextAvailable)) {
                    nextAvailable = at;
                }
            }
        }
        int replicas = set.path("spec").path("replicas").asInt(1);
        if (rolling(set) && updated == count && ready == count && count == replicas) {
            currentRevision = update.name(); // the rolling update is complete
            currentCount = updated;
        }
        ObjectNode status = Meta.JSON.createObjectNode()
                .put("observedGeneration", set.path("metadata").path("generation").asLong(1))
                .put("replicas", count).put("readyReplicas", ready).put("currentReplicas", currentCount).put("updatedReplicas", updated)
                .put("currentRevision", currentRevision).put("updateRevision", update.name())
                .put("collisionCount", update.collisionCount()).put("availableReplicas", available);
        if (!status.equals(set.path("status"))) {
            ObjectNode write = set.deepCopy();
            write.set("status", status);
            api.updateStatus(Kinds.STATEFULSET, write);
        }
        if (nextAvailable != null) {
            manager.enqueueAfter(this, Meta.key(set), Duration.between(now, nextAvailable));
        }
    }
}
