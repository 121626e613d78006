package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Admission;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.ResourceTypes;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PersistentVolume controller and a hostPath provisioner in one: a Pending claim binds to an
 * Available volume of its class that is big enough, or gets a new volume {@code pvc-<uid>} from its
 * StorageClass (the default class {@code standard} when it names none); a class with
 * {@code volumeBindingMode: WaitForFirstConsumer} waits until a pod using the claim is scheduled.
 * A deleted claim's volume is deleted (reclaim policy Delete) or Released (Retain). As admission it
 * defaults {@code storageClassName} to the default class, as the DefaultStorageClass plugin does.
 * {@link #unboundClaim} is the scheduler's volume check: pods wait while an immediate claim is unbound.
 */
public final class VolumeBinder implements Controller, Admission {
    static final String COMPONENT = "persistentvolume-controller";
    /** Work keys for volumes (cluster-scoped, so no slash) are told apart from claims' by this prefix. */
    private static final String VOLUME = "pv:";
    static final String PROVISIONER = "sandbox.sampan.io/hostpath";
    static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    private static final ResourceTypes TYPES = new ResourceTypes();
    static final ResourceType PV = TYPES.find("v1", "persistentvolumes").orElseThrow();
    static final ResourceType STORAGE_CLASS = TYPES.find("storage.k8s.io/v1", "storageclasses").orElseThrow();
    private final Api api;
    private final ControllerManager manager;
    private final Informer claims;
    private final Informer volumes;
    private final Informer pods;
    private final Events events;

    public VolumeBinder(Api api, ControllerManager manager, Informer claims, Informer volumes, Informer pods, Events events) {
        this.api = api;
        this.manager = manager;
        this.claims = claims;
        this.volumes = volumes;
        this.pods = pods;
        this.events = events;
        ensureDefaultClass();
        claims.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        volumes.addHandler((before, after) -> {
            if (after != null && after.path("status").path("phase").asText("Pending").equals("Pending")) {
                manager.enqueue(this, VOLUME + Meta.name(after)); // a new volume becomes Available
            } else if (after != null && "Available".equals(after.path("status").path("phase").asText())) {
                for (ObjectNode claim : claims.all()) {
                    if (!bound(claim)) {
                        manager.enqueue(this, Meta.key(claim)); // a pending claim may fit it
                    }
                }
            }
        });
        pods.addHandler((before, after) -> {
            if (after != null && !after.path("spec").path("nodeName").asText("").isEmpty()
                    && (before == null || before.path("spec").path("nodeName").asText("").isEmpty())) {
                for (String claim : claimNames(after)) {
                    manager.enqueue(this, Meta.key(Meta.namespace(after), claim));
                }
            }
        });
    }

    /** Creates the StorageClass {@code standard}, the cluster's default, unless it exists. */
    private void ensureDefaultClass() {
        if (api.get(STORAGE_CLASS, null, "standard").isPresent()) {
            return;
        }
        ObjectNode sc = Meta.JSON.createObjectNode();
        sc.putObject("metadata").put("name", "standard").putObject("annotations").put(DEFAULT_CLASS_ANNOTATION, "true");
        sc.put("provisioner", PROVISIONER).put("reclaimPolicy", "Delete").put("volumeBindingMode", "Immediate")
                .put("allowVolumeExpansion", true);
        api.create(STORAGE_CLASS, sc);
    }

    @Override
    public String name() {
        return "persistentvolume-binder";
    }

    /** Defaults a new claim's class to the default StorageClass and its volumeMode to Filesystem. */
    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        if (!type.equals(Kinds.PVC)) {
            return;
        }
        ObjectNode spec = object.with("spec");
        if (!spec.has("volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        if (!spec.hasNonNull("storageClassName")) {
            for (ObjectNode sc : store.list(STORAGE_CLASS, null, sc -> "true".equals(Meta.annotation(sc, DEFAULT_CLASS_ANNOTATION))).items()) {
                spec.put("storageClassName", Meta.name(sc));
                break;
            }
        }
    }

    /** The claims a pod mounts. */
    static List<String> claimNames(JsonNode pod) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
            if (!claim.isEmpty()) {
                out.add(claim);
            }
        }
        return out;
    }

    /**
     * Why the scheduler must not place the pod yet, or null: a claim it mounts is missing, or is
     * unbound and its class binds immediately (a WaitForFirstConsumer claim binds once the pod is placed).
     */
    public static String unboundClaim(Api api, JsonNode pod) {
        for (String name : claimNames(pod)) {
            ObjectNode claim = api.get(Kinds.PVC, Meta.namespace(pod), name).orElse(null);
            if (claim == null) {
                return "persistentvolumeclaim \"" + name + "\" not found";
            }
            if (bound(claim)) {
                continue;
            }
            String cls = claim.path("spec").path("storageClassName").asText("");
            ObjectNode sc = cls.isEmpty() ? null : api.get(STORAGE_CLASS, null, cls).orElse(null);
            if (sc == null || !"WaitForFirstConsumer".equals(sc.path("volumeBindingMode").asText())) {
                return "pod has unbound immediate PersistentVolumeClaims";
            }
        }
        return null;
    }

    private static boolean bound(JsonNode claim) {
        return "Bound".equals(claim.path("status").path("phase").asText());
    }

    @Override
    public void reconcile(String key) {
        if (key.startsWith(VOLUME)) {
            ObjectNode pv = volumes.get(key.substring(VOLUME.length()));
            if (pv != null && pv.path("status").path("phase").asText("Pending").equals("Pending")) {
                ObjectNode update = pv.deepCopy();
                update.putObject("status").put("phase", pv.path("spec").path("claimRef").has("name") ? "Bound" : "Available");
                api.updateStatus(PV, update);
            }
            return;
        }
        ObjectNode claim = claims.get(key);
        if (claim == null) {
            release(Meta.namespaceOfKey(key), Meta.nameOfKey(key));
            return;
        }
        String volumeName = claim.path("spec").path("volumeName").asText("");
        if (!volumeName.isEmpty()) {
            ObjectNode pv = api.get(PV, null, volumeName).orElse(null);
            if (pv != null && !bound(claim)) {
                bind(claim, pv);
            }
            return;
        }
        String cls = claim.path("spec").path("storageClassName").asText("");
        ObjectNode available = matchingVolume(claim, cls);
        if (available != null) {
            bind(claim, available);
            return;
        }
        if (cls.isEmpty()) {
            events.normal(claim, COMPONENT, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            return;
        }
        ObjectNode sc = api.get(STORAGE_CLASS, null, cls).orElse(null);
        if (sc == null) {
            events.warning(claim, COMPONENT, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + cls + "\" not found");
            manager.enqueueAfter(this, key, Duration.ofSeconds(15));
            return;
        }
        String provisioner = sc.path("provisioner").asText("");
        if (provisioner.equals("kubernetes.io/no-provisioner")) {
            // volumes of this class are made by hand: the claim waits until one fits (retried when a volume becomes Available)
            events.warning(claim, COMPONENT, "ProvisioningFailed", "no volume plugin matched name: " + provisioner);
            return;
        }
        String node = null;
        if ("WaitForFirstConsumer".equals(sc.path("volumeBindingMode").asText())) {
            node = consumerNode(claim);
            if (node == null) {
                events.normal(claim, COMPONENT, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
                return;
            }
        }
        bind(claim, provision(claim, sc, node));
    }

    /** The node of a scheduled pod that mounts the claim, or null. */
    private String consumerNode(JsonNode claim) {
        for (ObjectNode p : pods.byIndex(Simulation.BY_NAMESPACE, Meta.namespace(claim))) {
            String node = p.path("spec").path("nodeName").asText("");
            if (!node.isEmpty() && claimNames(p).contains(Meta.name(claim))) {
                return node;
            }
        }
        return null;
    }

    /** The smallest Available, unclaimed volume of the class with the claim's access modes and at least its request. */
    private ObjectNode matchingVolume(JsonNode claim, String cls) {
        long want = Quantities.bytes(claim.path("spec").path("resources").path("requests").path("storage").asText("0"));
        Set<String> modes = modes(claim.path("spec").path("accessModes"));
        return volumes.all().stream().filter(pv -> "Available".equals(pv.path("status").path("phase").asText("Available"))
                        && pv.path("spec").path("claimRef").isMissingNode()
                        && cls.equals(pv.path("spec").path("storageClassName").asText(""))
                        && modes(pv.path("spec").path("accessModes")).containsAll(modes)
                        && Quantities.bytes(pv.path("spec").path("capacity").path("storage").asText("0")) >= want)
                .min(Comparator.comparingLong(pv -> Quantities.bytes(pv.path("spec").path("capacity").path("storage").asText("0"))))
                .orElse(null);
    }

    private static Set<String> modes(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(m -> out.add(m.asText()));
        return out;
    }

    /** A new volume for the claim: its request, its access modes, a directory on the (sandbox) host. */
    private ObjectNode provision(ObjectNode claim, JsonNode sc, String node) {
        String name = "pvc-" + Meta.uid(claim);
        events.normal(claim, COMPONENT, "ExternalProvisioning", "waiting for a volume to be created, either by external provisioner \""
                + sc.path("provisioner").asText(PROVISIONER) + "\" or manually created by system administrator");
        events.normal(claim, PROVISIONER, "Provisioning", "External provisioner is provisioning volume for claim \"" + Meta.key(claim) + "\"");
        ObjectNode pv = Meta.JSON.createObjectNode();
        ObjectNode meta = pv.putObject("metadata").put("name", name);
        meta.putObject("annotations").put("pv.kubernetes.io/provisioned-by", sc.path("provisioner").asText(PROVISIONER));
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("capacity").put("storage", claim.path("spec").path("resources").path("requests").path("storage").asText("1Gi"));
        spec.set("accessModes", claim.path("spec").path("accessModes").deepCopy());
        spec.put("persistentVolumeReclaimPolicy", sc.path("reclaimPolicy").asText("Delete"));
        spec.put("storageClassName", Meta.name(sc));
        spec.put("volumeMode", claim.path("spec").path("volumeMode").asText("Filesystem"));
        spec.putObject("hostPath").put("path", "/var/lib/sandbox/volumes/" + name).put("type", "DirectoryOrCreate");
        if (node != null) {
            spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject().putArray("matchFields").addObject()
                    .put("key", "metadata.name").put("operator", "In").putArray("values").add(node);
        }
        ObjectNode created = api.get(PV, null, name).orElseGet(() -> api.create(PV, pv));
        events.normal(claim, PROVISIONER, "ProvisioningSucceeded", "Successfully provisioned volume " + name);
        return created;
    }

    /** Binds claim and volume both ways: claimRef and Bound on the volume, volumeName, capacity and Bound on the claim. */
    private void bind(ObjectNode claim, ObjectNode pv) {
        if (pv.path("spec").path("claimRef").path("uid").asText("").isEmpty()) {
            ObjectNode update = pv.deepCopy();
            update.with("spec").putObject("claimRef").put("kind", "PersistentVolumeClaim").put("apiVersion", "v1")
                    .put("namespace", Meta.namespace(claim)).put("name", Meta.name(claim)).put("uid", Meta.uid(claim))
                    .put("resourceVersion", claim.path("metadata").path("resourceVersion").asText());
            pv = api.update(PV, update);
        }
        if (!"Bound".equals(pv.path("status").path("phase").asText())) {
            ObjectNode update = pv.deepCopy();
            update.putObject("status").put("phase", "Bound");
            pv = api.updateStatus(PV, update);
        }
        ObjectNode update = claim.deepCopy();
        update.with("spec").put("volumeName", Meta.name(pv));
        ObjectNode annotations = update.with("metadata").with("annotations");
        annotations.put("pv.kubernetes.io/bind-completed", "yes").put("pv.kubernetes.io/bound-by-controller", "yes");
        if (pv.path("metadata").path("annotations").has("pv.kubernetes.io/provisioned-by")) {
            annotations.put("volume.kubernetes.io/storage-provisioner", PROVISIONER).put("volume.beta.kubernetes.io/storage-provisioner", PROVISIONER);
        }
        JsonNode node = pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms").path(0).path("matchFields").path(0)
                .path("values").path(0);
        if (node.isTextual()) {
            annotations.put("volume.kubernetes.io/selected-node", node.asText());
        }
        ObjectNode written = api.update(Kinds.PVC, update);
        ObjectNode status = Meta.JSON.createObjectNode().put("phase", "Bound");
        status.set("accessModes", pv.path("spec").path("accessModes").deepCopy());
        status.set("capacity", pv.path("spec").path("capacity").deepCopy());
        written.set("status", status);
        api.updateStatus(Kinds.PVC, written);
    }

    /** A claim is gone: its volumes are deleted (reclaim policy Delete) or Released (Retain). */
    private void release(String namespace, String name) {
        for (ObjectNode pv : api.list(PV, null, pv -> name.equals(pv.path("spec").path("claimRef").path("name").asText())
                && java.util.Objects.equals(namespace, pv.path("spec").path("claimRef").path("namespace").asText(null)))) {
            if ("Delete".equals(pv.path("spec").path("persistentVolumeReclaimPolicy").asText("Delete"))) {
                api.delete(PV, null, Meta.name(pv));
            } else if (!"Released".equals(pv.path("status").path("phase").asText())) {
                ObjectNode update = pv.deepCopy();
                update.putObject("status").put("phase", "Released");
                api.updateStatus(PV, update);
            }
        }
    }
}
