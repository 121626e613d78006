package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Admission;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LimitRanger and ResourceQuota admission plugins, and the quota controller: a container
 * without requests or limits gets its namespace's LimitRange defaults; a pod (or object counted by
 * {@code count/...}) that would take a namespace over a ResourceQuota is refused with 403 and the
 * API server's message ({@code exceeded quota: q, requested: ..., used: ..., limited: ...}); each
 * quota's {@code status.used} is kept up to date.
 */
public final class Quotas implements Admission, Controller {
    private final Api api;
    private final Informer quotas;

    public Quotas(Api api, ControllerManager manager, Informer quotas, Informer pods) {
        this.api = api;
        this.quotas = quotas;
        quotas.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            ObjectNode p = after != null ? after : before;
            for (ObjectNode q : quotas.byIndex(Simulation.BY_NAMESPACE, String.valueOf(Meta.namespace(p)))) {
                manager.enqueue(this, Meta.key(q));
            }
        });
    }

    @Override
    public String name() {
        return "resourcequota";
    }

    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        if (namespace == null) {
            return;
        }
        if (type.equals(Kinds.POD)) {
            applyLimitRanges(store, namespace, object);
        }
        for (ObjectNode quota : store.list(Kinds.QUOTA, namespace, x -> true).items()) {
            Map<String, BigDecimal> hard = amounts(quota.path("spec").path("hard"));
            Map<String, BigDecimal> requested = usage(type, object);
            if (type.equals(Kinds.POD)) {
                List<String> missing = new ArrayList<>();
                for (String r : hard.keySet()) {
                    String field = r.startsWith("limits.") ? "limits" : r.startsWith("requests.") || r.equals("cpu") || r.equals("memory")
                            ? "requests" : null;
                    String resource = r.contains(".") ? r.substring(r.indexOf('.') + 1) : r;
                    if (field != null && (resource.equals("cpu") || resource.equals("memory"))) {
                        for (JsonNode c : object.path("spec").path("containers")) {
                            if (c.path("resources").path(field).path(resource).isMissingNode() && !(field.equals("requests")
                                    && !c.path("resources").path("limits").path(resource).isMissingNode())) {
                                missing.add(r + " for: " + c.path("name").asText());
                            }
                        }
                    }
                }
                if (!missing.isEmpty()) {
                    throw new ApiError(403, "Forbidden", "pods \"" + Meta.name(object) + "\" is forbidden: failed quota: " + Meta.name(quota)
                            + ": must specify " + String.join(",", missing));
                }
            }
            Map<String, BigDecimal> used = used(store, namespace, hard.keySet());
            List<String> over = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> h : hard.entrySet()) {
                BigDecimal want = requested.getOrDefault(h.getKey(), BigDecimal.ZERO);
                if (want.signum() > 0 && used.getOrDefault(h.getKey(), BigDecimal.ZERO).add(want).compareTo(h.getValue()) > 0) {
                    over.add(h.getKey());
                }
            }
            if (!over.isEmpty()) {
                throw new ApiError(403, "Forbidden", type.plural() + " \"" + Meta.name(object) + "\" is forbidden: exceeded quota: " + Meta.name(quota)
                        + ", requested: " + list(over, requested) + ", used: " + list(over, used) + ", limited: " + list(over, hard));
            }
        }
    }

    private static String list(List<String> keys, Map<String, BigDecimal> values) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add(k + "=" + format(k, values.getOrDefault(k, BigDecimal.ZERO)));
        }
        return String.join(",", out);
    }

    /** A quantity as Kubernetes prints it: cpu in cores or millicores, memory in binary units when exact. */
    static String format(String resource, BigDecimal v) {
        if (resource.endsWith("cpu") || resource.equals("cpu")) {
            BigDecimal milli = v.movePointRight(3).stripTrailingZeros();
            return milli.remainder(BigDecimal.valueOf(1000)).signum() == 0 ? v.stripTrailingZeros().toPlainString() : milli.toPlainString() + "m";
        }
        if (resource.contains("memory") || resource.contains("storage")) {
            String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
            for (int i = 0; i < units.length; i++) {
                BigDecimal unit = BigDecimal.valueOf(2).pow(10 * (6 - i));
                if (v.signum() > 0 && v.remainder(unit).signum() == 0) {
                    return v.divide(unit).toBigInteger() + units[i];
                }
            }
        }
        return v.stripTrailingZeros().toPlainString();
    }

    private static Map<String, BigDecimal> amounts(JsonNode map) {
        Map<String, BigDecimal> out = new TreeMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), Quantities.value(e.getValue().asText())));
        return out;
    }

    /** What one object counts against a quota. */
    static Map<String, BigDecimal> usage(ResourceType type, JsonNode o) {
        Map<String, BigDecimal> u = new LinkedHashMap<>();
        u.put("count/" + type.plural() + (type.group().isEmpty() ? "" : "." + type.group()), BigDecimal.ONE);
        if (type.group().isEmpty()) {
            u.put(type.plural(), BigDecimal.ONE);
        }
        if (type.equals(Kinds.POD)) {
            String phase = o.path("status").path("phase").asText("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                return Map.of();
            }
            for (String resource : new String[] {"cpu", "memory"}) {
                BigDecimal requests = BigDecimal.ZERO;
                BigDecimal limits = BigDecimal.ZERO;
                for (JsonNode c : o.path("spec").path("containers")) {
                    JsonNode r = c.path("resources");
                    String limit = r.path("limits").path(resource).asText(null);
                    String request = r.path("requests").path(resource).asText(limit);
                    requests = request == null ? requests : requests.add(Quantities.value(request));
                    limits = limit == null ? limits : limits.add(Quantities.value(limit));
                }
                u.put("requests." + resource, requests);
                u.put(resource, requests);
                u.put("limits." + resource, limits);
            }
        }
        if (type.equals(Kinds.PVC)) {
            String storage = o.path("spec").path("resources").path("requests").path("storage").asText(null);
            if (storage != null) {
                u.put("requests.storage", Quantities.value(storage));
            }
        }
        return u;
    }

    private static Map<String, BigDecimal> used(Store store, String namespace, Iterable<String> resources) {
        Map<String, BigDecimal> used = new TreeMap<>();
        for (String r : resources) {
            ResourceType t = counted(r);
            if (t == null || used.containsKey(r)) {
                continue;
            }
            for (ObjectNode o : store.list(t, namespace, x -> true).items()) {
                usage(t, o).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
            }
        }
        return used;
    }

    /** The kind a quota resource counts. */
    private static ResourceType counted(String resource) {
        if (resource.startsWith("count/")) {
            String rest = resource.substring("count/".length());
            int dot = rest.indexOf('.');
            String plural = dot < 0 ? rest : rest.substring(0, dot);
            String group = dot < 0 ? "" : rest.substring(dot + 1);
            return new io.sampan.sandbox.ResourceTypes().all().stream().filter(t -> t.plural().equals(plural) && t.group().equals(group))
                    .findFirst().orElse(null);
        }
        return switch (resource) {
            case "pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" -> Kinds.POD;
            case "services" -> Kinds.SERVICE;
            case "persistentvolumeclaims", "requests.storage" -> Kinds.PVC;
            default -> null;
        };
    }

    private static void applyLimitRanges(Store store, String namespace, ObjectNode pod) {
        for (ObjectNode range : store.list(Kinds.LIMIT_RANGE, namespace, x -> true).items()) {
            for (JsonNode limit : range.path("spec").path("limits")) {
                if (!"Container".equals(limit.path("type").asText())) {
                    continue;
                }
                for (JsonNode c : pod.path("spec").path("containers")) {
                    ObjectNode resources = ((ObjectNode) c).with("resources");
                    limit.path("default").fields().forEachRemaining(e -> {
                        if (!resources.path("limits").has(e.getKey())) {
                            resources.with("limits").put(e.getKey(), e.getValue().asText());
                        }
                    });
                    limit.path("defaultRequest").fields().forEachRemaining(e -> {
                        if (!resources.path("requests").has(e.getKey())) {
                            resources.with("requests").put(e.getKey(), resources.path("limits").path(e.getKey()).asText(e.getValue().asText()));
                        }
                    });
                }
            }
        }
    }

    @Override
    public void reconcile(String key) {
        ObjectNode quota = quotas.get(key);
        if (quota == null) {
            return;
        }
        Map<String, BigDecimal> hard = amounts(quota.path("spec").path("hard"));
        Map<String, BigDecimal> used = used(api.store(), Meta.namespace(quota), hard.keySet());
        ObjectNode status = Meta.JSON.createObjectNode();
        ObjectNode h = status.putObject("hard");
        ObjectNode u = status.putObject("used");
        for (Map.Entry<String, BigDecimal> e : hard.entrySet()) {
            h.put(e.getKey(), quota.path("spec").path("hard").path(e.getKey()).asText());
            u.put(e.getKey(), format(e.getKey(), used.getOrDefault(e.getKey(), BigDecimal.ZERO)));
        }
        if (!status.equals(quota.path("status"))) {
            ObjectNode update = quota.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.QUOTA, update);
        }
    }
}
