package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the scheduler needs of a pod, read once from its JSON: identity and labels, the resources it
 * requests (the larger of its containers' sum and any init container, limits standing in for
 * missing requests, plus overhead; and the non-zero variant scoring uses: 100m CPU and 200 MiB for
 * a container that requests nothing), host ports, tolerations, node affinity, pod (anti-)affinity
 * terms and topology spread constraints.
 */
final class PodRequirements {
    static final long DEFAULT_MILLI_CPU = 100;
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;
    private static final Map<String, Long> QUANTITIES = new ConcurrentHashMap<>();

    /** A pod affinity or anti-affinity term; {@code namespaces} null means every namespace. */
    record AffinityTerm(LabelSelector selector, Set<String> namespaces, String topologyKey, int weight) {
        boolean matches(PodRequirements p) {
            return (namespaces == null || namespaces.contains(p.namespace)) && selector.matches(p.labels);
        }
    }

    /** A topology spread constraint with its policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by default). */
    record SpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector, Integer minDomains,
            boolean honorNodeAffinity, boolean honorTaints, String owner) {
    }

    final String key;
    final String namespace;
    final Map<String, String> labels;
    final JsonNode labelsNode;
    /** The uid of the owning ReplicaSet, ReplicationController or StatefulSet (the default spreading group), or null. */
    final String owner;
    final boolean terminating;
    final boolean preemptNever;
    final long milliCpu;
    final long memory;
    final long storage;
    final Map<String, Long> scalars;
    final long nonZeroMilliCpu;
    final long nonZeroMemory;
    final List<String> hostPorts;
    final List<Taints.Toleration> tolerations;
    final NodeAffinity nodeAffinity;
    final List<AffinityTerm> requiredAffinity;
    final List<AffinityTerm> requiredAntiAffinity;
    final List<AffinityTerm> preferredAffinity;
    final List<AffinityTerm> preferredAntiAffinity;
    final List<SpreadConstraint> spread;
    /** Where the pod is bound (set by the scheduler's cache). */
    SchedulingNode node;

    private PodRequirements(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        namespace = meta.path("namespace").asText("default");
        key = Meta.key(pod);
        labelsNode = meta.path("labels");
        labels = labelsNode.isEmpty() ? Map.of() : Map.copyOf(Meta.strings(labelsNode));
        String o = null;
        for (JsonNode ref : meta.path("ownerReferences")) {
            String kind = ref.path("kind").asText();
            if (ref.path("controller").asBoolean(false) && (kind.equals("ReplicaSet") || kind.equals("ReplicationController") || kind.equals("StatefulSet"))) {
                o = ref.path("uid").asText();
            }
        }
        owner = o;
        terminating = meta.has("deletionTimestamp") && !meta.path("deletionTimestamp").isNull();
        preemptNever = "Never".equals(spec.path("preemptionPolicy").asText());
        Resources sum = new Resources();
        for (JsonNode c : spec.path("containers")) {
            sum.add(new Resources(c.path("resources")));
        }
        Resources init = new Resources();
        Resources sidecars = new Resources();
        for (JsonNode c : spec.path("initContainers")) {
            Resources r = new Resources(c.path("resources"));
            if ("Always".equals(c.path("restartPolicy").asText())) {
                sidecars.add(r);
                init.max(sidecars);
            } else {
                Resources during = new Resources();
                during.add(sidecars);
                during.add(r);
                init.max(during);
            }
        }
        sum.add(sidecars);
        sum.max(init);
        sum.add(new Resources(spec.path("overhead"), false));
        milliCpu = sum.cpu;
        memory = sum.memory;
        storage = sum.storage;
        scalars = sum.scalars == null ? Map.of() : Map.copyOf(sum.scalars);
        nonZeroMilliCpu = sum.nonZeroCpu;
        nonZeroMemory = sum.nonZeroMemory;
        List<String> ports = new ArrayList<>();
        for (JsonNode c : spec.path("containers")) {
            for (JsonNode p : c.path("ports")) {
                int hp = p.path("hostPort").asInt(0);
                if (hp > 0) {
                    ports.add(p.path("protocol").asText("TCP") + "/" + hp);
                }
            }
        }
        hostPorts = List.copyOf(ports);
        tolerations = Taints.tolerations(spec.path("tolerations"));
        nodeAffinity = NodeAffinity.of(spec);
        JsonNode affinity = spec.path("affinity");
        requiredAffinity = terms(affinity.path("podAffinity").path("requiredDuringSchedulingIgnoredDuringExecution"), false);
        preferredAffinity = terms(affinity.path("podAffinity").path("preferredDuringSchedulingIgnoredDuringExecution"), true);
        requiredAntiAffinity = terms(affinity.path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution"), false);
        preferredAntiAffinity = terms(affinity.path("podAntiAffinity").path("preferredDuringSchedulingIgnoredDuringExecution"), true);
        List<SpreadConstraint> cs = new ArrayList<>();
        for (JsonNode c : spec.path("topologySpreadConstraints")) {
            List<String> keys = new ArrayList<>();
            c.path("matchLabelKeys").forEach(k -> keys.add(k.asText()));
            cs.add(new SpreadConstraint(c.path("maxSkew").asInt(1), c.path("topologyKey").asText(), !"ScheduleAnyway".equals(c.path("whenUnsatisfiable").asText()),
                    LabelSelector.parse(c.get("labelSelector")).withValuesOf(keys, labels), c.has("minDomains") ? c.path("minDomains").asInt() : null,
                    !"Ignore".equals(c.path("nodeAffinityPolicy").asText()), "Honor".equals(c.path("nodeTaintsPolicy").asText()), null));
        }
        spread = List.copyOf(cs);
    }

    static PodRequirements of(ObjectNode pod) {
        return new PodRequirements(pod);
    }

    boolean hasPodAffinityTerms() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }

    boolean requestsNothing() {
        return milliCpu == 0 && memory == 0 && storage == 0 && scalars.isEmpty();
    }

    private List<AffinityTerm> terms(JsonNode list, boolean weighted) {
        if (!list.isArray() || list.isEmpty()) {
            return List.of();
        }
        List<AffinityTerm> out = new ArrayList<>();
        for (JsonNode t : list) {
            JsonNode term = weighted ? t.path("podAffinityTerm") : t;
            Set<String> namespaces;
            List<String> listed = new ArrayList<>();
            term.path("namespaces").forEach(n -> listed.add(n.asText()));
            JsonNode nsSelector = term.path("namespaceSelector");
            if (nsSelector.isObject() && nsSelector.isEmpty()) {
                namespaces = null; // {} selects every namespace
            } else if (listed.isEmpty() && !nsSelector.isObject()) {
                namespaces = Set.of(namespace);
            } else {
                namespaces = Set.copyOf(listed); // a non-empty namespaceSelector would need namespace labels: only the listed ones count
            }
            out.add(new AffinityTerm(LabelSelector.parse(term.get("labelSelector")), namespaces, term.path("topologyKey").asText(), weighted ? t.path("weight").asInt() : 1));
        }
        return List.copyOf(out);
    }

    static long quantity(String q, boolean millis) {
        String k = millis ? "m:" + q : q;
        Long v = QUANTITIES.get(k);
        if (v == null) {
            v = millis ? Quantities.millis(q) : Quantities.bytes(q);
            if (QUANTITIES.size() < 10_000) {
                QUANTITIES.put(k, v);
            }
        }
        return v;
    }

    /** Requests of one container (limits where a request is missing), or a sum or maximum of them. */
    private static final class Resources {
        long cpu;
        long memory;
        long storage;
        long nonZeroCpu;
        long nonZeroMemory;
        Map<String, Long> scalars;

        Resources() {
        }

        Resources(JsonNode resources) {
            this(resources, true);
        }

        /** {@code resources} is a container's {@code resources}, or (container false) a plain resource list such as {@code overhead}. */
        Resources(JsonNode resources, boolean container) {
            Map<String, String> values = new HashMap<>();
            if (container) {
                resources.path("limits").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
                resources.path("requests").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            } else {
                resources.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                switch (e.getKey()) {
                    case "cpu" -> cpu = quantity(e.getValue(), true);
                    case "memory" -> memory = quantity(e.getValue(), false);
                    case "ephemeral-storage" -> storage = quantity(e.getValue(), false);
                    default -> {
                        if (scalars == null) {
                            scalars = new HashMap<>();
                        }
                        scalars.put(e.getKey(), quantity(e.getValue(), false));
                    }
                }
            }
            nonZeroCpu = container && !values.containsKey("cpu") ? DEFAULT_MILLI_CPU : cpu;
            nonZeroMemory = container && !values.containsKey("memory") ? DEFAULT_MEMORY : memory;
        }

        void add(Resources r) {
            cpu += r.cpu;
            memory += r.memory;
            storage += r.storage;
            nonZeroCpu += r.nonZeroCpu;
            nonZeroMemory += r.nonZeroMemory;
            if (r.scalars != null) {
                if (scalars == null) {
                    scalars = new HashMap<>();
                }
                r.scalars.forEach((k, v) -> scalars.merge(k, v, Long::sum));
            }
        }

        void max(Resources r) {
            cpu = Math.max(cpu, r.cpu);
            memory = Math.max(memory, r.memory);
            storage = Math.max(storage, r.storage);
            nonZeroCpu = Math.max(nonZeroCpu, r.nonZeroCpu);
            nonZeroMemory = Math.max(nonZeroMemory, r.nonZeroMemory);
            if (r.scalars != null) {
                if (scalars == null) {
                    scalars = new HashMap<>();
                }
                r.scalars.forEach((k, v) -> scalars.merge(k, v, Math::max));
            }
        }
    }
}
