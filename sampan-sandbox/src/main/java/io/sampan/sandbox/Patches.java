package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The patch kinds of the Kubernetes API: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and
 * strategic merge patch, where lists of objects with a merge key (containers and volumes by name,
 * ports by number, mounts by path...) merge item by item instead of being replaced.
 */
final class Patches {
    /** List fields whose items merge by a key, for the built-in kinds. */
    private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", List.of("name")), Map.entry("initContainers", List.of("name")), Map.entry("env", List.of("name")),
            Map.entry("volumes", List.of("name")), Map.entry("volumeMounts", List.of("mountPath")), Map.entry("ports", List.of("containerPort", "port")),
            Map.entry("imagePullSecrets", List.of("name")), Map.entry("tolerations", List.of("key")), Map.entry("conditions", List.of("type")),
            Map.entry("volumeClaimTemplates", List.of("metadata")));

    private Patches() {
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    static JsonNode strategic(JsonNode target, JsonNode patch, String field) {
        if (patch.isArray() && target != null && target.isArray() && MERGE_KEYS.containsKey(field) && allObjects(patch) && allObjects(target)) {
            ArrayNode result = ((ArrayNode) target).deepCopy();
            for (JsonNode item : patch) {
                int at = indexOf(result, item, MERGE_KEYS.get(field));
                if (item.path("$patch").asText("").equals("delete")) {
                    if (at >= 0) {
                        result.remove(at);
                    }
                } else if (at >= 0) {
                    result.set(at, strategic(result.get(at), item, null));
                } else {
                    result.add(item.deepCopy());
                }
            }
            return result;
        }
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        if (patch.path("$patch").asText("").equals("replace")) {
            ObjectNode replaced = ((ObjectNode) patch).deepCopy(); // the directive kubectl rollout undo sends with a template
            replaced.remove("$patch");
            return replaced;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("$")) {
                continue;
            }
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), strategic(result.get(e.getKey()), e.getValue(), e.getKey()));
            }
        }
        return result;
    }

    private static boolean allObjects(JsonNode list) {
        for (JsonNode n : list) {
            if (!n.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ArrayNode list, JsonNode item, List<String> keys) {
        for (String key : keys) {
            JsonNode k = key.equals("metadata") ? item.path("metadata").path("name") : item.get(key);
            if (k == null || k.isMissingNode()) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode other = key.equals("metadata") ? list.get(i).path("metadata").path("name") : list.get(i).get(key);
                if (k.equals(other)) {
                    return i;
                }
            }
            return -1;
        }
        return -1;
    }

    /** RFC 6902: add, remove, replace, move, copy, test. */
    static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
        if (!ops.isArray()) {
            throw ApiError.badRequest("a JSON patch is a list of operations");
        }
        JsonNode doc = target.deepCopy();
        for (JsonNode op : ops) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText();
            switch (kind) {
                case "add" -> doc = put(doc, path, op.get("value"), true);
                case "replace" -> {
                    get(doc, path);
                    doc = put(doc, path, op.get("value"), false);
                }
                case "remove" -> doc = remove(doc, path);
                case "move" -> {
                    JsonNode value = get(doc, op.path("from").asText());
                    doc = put(remove(doc, op.path("from").asText()), path, value, true);
                }
                case "copy" -> doc = put(doc, path, get(doc, op.path("from").asText()).deepCopy(), true);
                case "test" -> {
                    if (!get(doc, path).equals(op.get("value"))) {
                        throw new ApiError(422, "Invalid", "the test of \"" + path + "\" failed");
                    }
                }
                default -> throw ApiError.badRequest("unknown JSON patch operation \"" + kind + "\"");
            }
        }
        return doc;
    }

    private static String[] pointer(String path) {
        if (path.isEmpty()) {
            return new String[0];
        }
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
        }
        return parts;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode n = doc;
        for (String p : pointer(path)) {
            n = n.isArray() ? n.path(Integer.parseInt(p)) : n.path(p);
            if (n.isMissingNode()) {
                throw new ApiError(422, "Invalid", "the path \"" + path + "\" does not exist");
            }
        }
        return n;
    }

    private static String parentPath(String[] parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            sb.append('/').append(parts[i].replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static JsonNode put(JsonNode doc, String path, JsonNode value, boolean insert) {
        String[] parts = pointer(path);
        if (parts.length == 0) {
            return value.deepCopy();
        }
        JsonNode parent = get(doc, parentPath(parts));
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode a) {
            if (last.equals("-")) {
                a.add(value.deepCopy());
            } else if (insert) {
                a.insert(Integer.parseInt(last), value.deepCopy());
            } else {
                a.set(Integer.parseInt(last), value.deepCopy());
            }
        } else if (parent instanceof ObjectNode o) {
            o.set(last, value.deepCopy());
        } else {
            throw new ApiError(422, "Invalid", "cannot add at \"" + path + "\"");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        String[] parts = pointer(path);
        get(doc, path);
        JsonNode parent = get(doc, parentPath(parts));
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
        return doc;
    }
}
