package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code metadata.managedFields} in Kubernetes' {@code FieldsV1} encoding ({@code f:spec},
 * {@code k:{"name":"web"}} for an item of a list merged by key, {@code .} for the item itself):
 * which field manager owns which fields. A write (create, update, patch) gives its manager the
 * fields it changed and takes them from the others; {@link Apply} uses the sets for conflicts and
 * for removing what a manager stopped applying.
 */
final class ManagedFields {
    /** List fields whose items are told apart by a key, as in strategic merge and SSA for the built-in kinds. */
    private static final Map<String, List<String>> LIST_KEYS = Map.ofEntries(Map.entry("containers", List.of("name")),
            Map.entry("initContainers", List.of("name")), Map.entry("env", List.of("name")), Map.entry("volumes", List.of("name")),
            Map.entry("volumeMounts", List.of("mountPath")), Map.entry("ports", List.of("containerPort", "port")),
            Map.entry("imagePullSecrets", List.of("name")), Map.entry("tolerations", List.of("key")), Map.entry("conditions", List.of("type")),
            Map.entry("ownerReferences", List.of("uid")));
    private static final Set<String> METADATA = Set.of("labels", "annotations", "finalizers", "ownerReferences");

    private ManagedFields() {
    }

    /** One entry of {@code managedFields}. */
    record Entry(String manager, String operation, String apiVersion, String subresource, Set<List<String>> fields, String time) {
        boolean sameOwner(String m, String op, String sub) {
            return manager.equals(m) && operation.equals(op) && Objects.equals(subresource, sub);
        }
    }

    static List<Entry> entries(JsonNode object) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            Set<List<String>> fields = new LinkedHashSet<>();
            leaves(e.path("fieldsV1"), new ArrayList<>(), fields);
            entries.add(new Entry(e.path("manager").asText(), e.path("operation").asText("Update"), e.path("apiVersion").asText(),
                    e.path("subresource").asText(null), fields, e.path("time").asText(null)));
        }
        return entries;
    }

    static void write(ObjectNode object, List<Entry> entries) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (Entry e : entries) {
            if (e.fields().isEmpty()) {
                continue;
            }
            ObjectNode n = arr.addObject().put("manager", e.manager()).put("operation", e.operation()).put("apiVersion", e.apiVersion());
            if (e.time() != null) {
                n.put("time", e.time());
            }
            n.put("fieldsType", "FieldsV1").set("fieldsV1", encode(e.fields()));
            if (e.subresource() != null) {
                n.put("subresource", e.subresource());
            }
        }
        if (arr.isEmpty()) {
            object.with("metadata").remove("managedFields");
        } else {
            object.with("metadata").set("managedFields", arr);
        }
    }

    /** The fields an object (or an applied configuration) sets, as leaf paths; {@code statusOnly} takes the status alone. */
    static Set<List<String>> fieldsOf(JsonNode object, Boolean statusOnly) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("apiVersion") || k.equals("kind") || statusOnly != null && statusOnly != k.equals("status")) {
                continue;
            }
            if (k.equals("metadata")) {
                for (String m : METADATA) {
                    JsonNode v = e.getValue().get(m);
                    if (v != null && !v.isNull()) {
                        collect(v, m, new ArrayList<>(List.of("f:metadata", "f:" + m)), out);
                    }
                }
                continue;
            }
            collect(e.getValue(), k, new ArrayList<>(List.of("f:" + k)), out);
        }
        return out;
    }

    private static void collect(JsonNode v, String field, List<String> path, Set<List<String>> out) {
        if (v.isNull()) {
            return;
        }
        if (v.isObject() && !v.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> p = new ArrayList<>(path);
                p.add("f:" + e.getKey());
                collect(e.getValue(), e.getKey(), p, out);
            }
            return;
        }
        String key = v.isArray() ? keyOf(field, v) : null;
        if (key == null) {
            out.add(List.copyOf(path));
            return;
        }
        for (JsonNode item : v) {
            List<String> p = new ArrayList<>(path);
            p.add("k:" + JsonNodeFactory.instance.objectNode().set(key, item.get(key)));
            List<String> self = new ArrayList<>(p);
            self.add(".");
            out.add(List.copyOf(self));
            collect(item, null, p, out);
        }
    }

    private static String keyOf(String field, JsonNode list) {
        List<String> keys = LIST_KEYS.getOrDefault(field, List.of());
        for (String k : keys) {
            boolean all = !list.isEmpty();
            for (JsonNode item : list) {
                all &= item.isObject() && item.has(k);
            }
            if (all) {
                return k;
            }
        }
        return null;
    }

    private static void leaves(JsonNode set, List<String> path, Set<List<String>> out) {
        if (!set.isObject()) {
            return;
        }
        if (set.isEmpty() && !path.isEmpty()) {
            out.add(List.copyOf(path));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            leaves(e.getValue(), p, out);
        }
    }

    static ObjectNode encode(Collection<List<String>> paths) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (List<String> p : paths) {
            ObjectNode n = root;
            for (String k : p) {
                n = n.with(k);
            }
        }
        return root;
    }

    /** The value at a field path ({@code .} is the list item itself), or null when absent. */
    static JsonNode valueAt(JsonNode object, List<String> path) {
        JsonNode n = object;
        for (String k : path) {
            if (n == null) {
                return null;
            }
            if (k.equals(".")) {
                return n;
            }
            n = k.startsWith("f:") ? n.get(k.substring(2)) : item(n, k);
        }
        return n;
    }

    private static JsonNode item(JsonNode list, String k) {
        if (list == null || !list.isArray()) {
            return null;
        }
        int i = index(list, k);
        return i < 0 ? null : list.get(i);
    }

    private static int index(JsonNode list, String k) {
        try {
            JsonNode key = ApiServer.JSON.readTree(k.substring(2));
            for (int i = 0; i < list.size(); i++) {
                boolean match = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    match &= e.getValue().equals(list.get(i).get(e.getKey()));
                }
                if (match) {
                    return i;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return -1;
        }
        return -1;
    }

    /** Removes the field (or, for a path ending in {@code .}, the list item) at the path, if there. */
    static void removeAt(JsonNode object, List<String> path) {
        boolean self = path.get(path.size() - 1).equals(".");
        List<String> p = self ? path.subList(0, path.size() - 1) : path;
        JsonNode parent = valueAt(object, p.subList(0, p.size() - 1));
        String last = p.get(p.size() - 1);
        if (parent instanceof ObjectNode o && last.startsWith("f:")) {
            o.remove(last.substring(2));
        } else if (parent instanceof ArrayNode a && last.startsWith("k:")) {
            int i = index(a, last);
            if (i >= 0) {
                a.remove(i);
            }
        }
    }

    /** A path as the API server prints it in a conflict: {@code .spec.template.spec.containers[name="web"].image}. */
    static String display(List<String> path) {
        StringBuilder b = new StringBuilder();
        for (String k : path) {
            if (k.startsWith("f:")) {
                b.append('.').append(k.substring(2));
            } else if (k.startsWith("k:")) {
                try {
                    JsonNode key = ApiServer.JSON.readTree(k.substring(2));
                    List<String> parts = new ArrayList<>();
                    key.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue()));
                    b.append('[').append(String.join(",", parts)).append(']');
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    b.append(k);
                }
            }
        }
        return b.toString();
    }

    static String now(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Records a write by {@code manager} (operation Update): it owns the fields it set or changed,
     * which the other managers lose; fields removed are nobody's. A request that brings its own,
     * different {@code managedFields} sets them as given (as kubectl does when it moves a
     * client-side apply to server-side apply).
     */
    static void track(ResourceType t, JsonNode before, ObjectNode after, String manager, String subresource, Instant now) {
        JsonNode given = after.path("metadata").path("managedFields");
        JsonNode had = before == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : before.path("metadata").path("managedFields");
        if (!given.isMissingNode() && !given.equals(had)) {
            return;
        }
        Boolean statusOnly = subresource != null ? Boolean.TRUE : t.hasStatus() ? Boolean.FALSE : null;
        Set<List<String>> old = before == null ? Set.of() : fieldsOf(before, statusOnly);
        Set<List<String>> set = fieldsOf(after, statusOnly);
        Set<List<String>> changed = new LinkedHashSet<>();
        for (List<String> p : set) {
            if (before == null || !Objects.equals(valueAt(before, p), valueAt(after, p)) || !old.contains(p)) {
                changed.add(p);
            }
        }
        Set<List<String>> removed = new LinkedHashSet<>(old);
        removed.removeAll(set);
        List<Entry> entries = before == null ? new ArrayList<>() : entries(before);
        if (changed.isEmpty() && removed.isEmpty()) {
            write(after, entries);
            return;
        }
        List<Entry> next = new ArrayList<>();
        Set<List<String>> mine = new LinkedHashSet<>();
        String time = now(now);
        for (Entry e : entries) {
            Set<List<String>> fields = new LinkedHashSet<>(e.fields());
            fields.removeAll(removed);
            if (e.sameOwner(manager, "Update", subresource)) {
                mine.addAll(fields);
                continue;
            }
            fields.removeAll(changed);
            next.add(new Entry(e.manager(), e.operation(), e.apiVersion(), e.subresource(), fields, e.time()));
        }
        mine.addAll(changed);
        next.add(new Entry(manager, "Update", t.groupVersion(), subresource, mine, time));
        write(after, next);
    }
}
