package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Server-side apply, simplified: each field manager's last applied configuration is kept with the
 * object (in {@code metadata.managedFields}, as the configuration itself rather than Kubernetes'
 * field-set encoding); applying again merges the new configuration and removes what this manager
 * set before but sets no longer — as on a real cluster, where dropping a field from what you apply
 * removes it. Fields set by other managers are left alone. Conflicts between managers are not
 * detected yet (every apply behaves as forced).
 */
final class Apply {
    private Apply() {
    }

    static ObjectNode apply(ObjectNode live, String manager, ObjectNode applied) {
        JsonNode previous = previous(live, manager);
        ObjectNode next = live.deepCopy();
        if (previous != null) {
            removeDropped(next, previous, applied, null);
        }
        next = (ObjectNode) Patches.strategic(next, applied, null);
        remember(next, manager, applied);
        return next;
    }

    /** Records {@code applied} as what {@code manager} applies to this object. */
    static void remember(ObjectNode object, String manager, ObjectNode applied) {
        ArrayNode fields = object.with("metadata").withArray("managedFields");
        for (int i = 0; i < fields.size(); i++) {
            if (manager.equals(fields.get(i).path("manager").asText()) && "Apply".equals(fields.get(i).path("operation").asText())) {
                fields.remove(i);
                break;
            }
        }
        ObjectNode config = applied.deepCopy();
        config.with("metadata").remove("managedFields");
        config.with("metadata").remove("resourceVersion");
        fields.addObject().put("manager", manager).put("operation", "Apply").put("apiVersion", applied.path("apiVersion").asText())
                .put("fieldsType", "SandboxApplied").set("fieldsV1", config);
    }

    private static JsonNode previous(ObjectNode live, String manager) {
        for (JsonNode f : live.path("metadata").path("managedFields")) {
            if (manager.equals(f.path("manager").asText()) && "Apply".equals(f.path("operation").asText())) {
                return f.path("fieldsV1");
            }
        }
        return null;
    }

    /** Removes from {@code target} every leaf {@code before} had and {@code now} has not. */
    private static void removeDropped(JsonNode target, JsonNode before, JsonNode now, String field) {
        if (before.isObject() && target.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("managedFields") || e.getKey().equals("name") && field == null) {
                    continue;
                }
                JsonNode stillThere = now == null ? null : now.get(e.getKey());
                if (stillThere == null || stillThere.isNull()) {
                    ((ObjectNode) target).remove(e.getKey());
                } else if (target.get(e.getKey()) != null) {
                    removeDropped(target.get(e.getKey()), e.getValue(), stillThere, e.getKey());
                }
            }
        } else if (before.isArray() && target.isArray()) {
            String key = keyOf(before);
            if (key == null) {
                return; // a plain list is replaced as a whole by the merge
            }
            ArrayNode list = (ArrayNode) target;
            for (JsonNode item : before) {
                JsonNode id = item.get(key);
                if (id == null || containsKey(now, key, id)) {
                    continue;
                }
                for (int i = list.size() - 1; i >= 0; i--) {
                    if (id.equals(list.get(i).get(key))) {
                        list.remove(i);
                    }
                }
            }
            if (now == null) {
                return;
            }
            for (JsonNode item : now) {
                JsonNode id = item.get(key);
                JsonNode old = find(before, key, id);
                JsonNode live = find(target, key, id);
                if (old != null && live != null) {
                    removeDropped(live, old, item, null);
                }
            }
        }
    }

    private static String keyOf(JsonNode list) {
        for (String k : new String[] {"name", "containerPort", "mountPath", "type", "key"}) {
            boolean all = list.size() > 0;
            for (JsonNode item : list) {
                all &= item.isObject() && item.has(k);
            }
            if (all) {
                return k;
            }
        }
        return null;
    }

    private static boolean containsKey(JsonNode list, String key, JsonNode id) {
        return find(list, key, id) != null;
    }

    private static JsonNode find(JsonNode list, String key, JsonNode id) {
        if (list == null || !list.isArray() || id == null) {
            return null;
        }
        for (JsonNode item : list) {
            if (id.equals(item.get(key))) {
                return item;
            }
        }
        return null;
    }
}
