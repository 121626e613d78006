package io.sampan.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What applying a release's objects would change on a cluster: objects to create, fields of live
 * objects that would change (only fields Sampan sets are compared, so what the cluster adds —
 * status, defaults — is not noise), and owned objects that would be pruned.
 */
public final class ReleaseDiff {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SHOWN = 200;

    private ReleaseDiff() {
    }

    public enum Action { CREATE, UPDATE, DELETE }

    /** @param fields for an update: {@code path: live → desired}, one per changed field */
    public record Change(Action action, String kind, String name, List<String> fields) {
    }

    public static List<Change> of(Release.ClusterTarget target, Map<String, String> ownerLabels, ClusterDriver driver) {
        List<Change> changes = new ArrayList<>();
        Set<String> desiredKeys = new HashSet<>();
        for (HasMetadata desired : target.objects()) {
            desiredKeys.add(desired.getKind() + "/" + desired.getMetadata().getName());
            Optional<HasMetadata> live = driver.get(ObjectRef.of(desired));
            if (live.isEmpty()) {
                changes.add(new Change(Action.CREATE, desired.getKind(), desired.getMetadata().getName(), List.of()));
                continue;
            }
            List<String> fields = new ArrayList<>();
            compare("", JSON.valueToTree(desired), JSON.valueToTree(live.get()), fields);
            if (!fields.isEmpty()) {
                changes.add(new Change(Action.UPDATE, desired.getKind(), desired.getMetadata().getName(), fields));
            }
        }
        for (ObjectRef owned : driver.list(target.namespace(), ownerLabels)) {
            if (!desiredKeys.contains(owned.kind() + "/" + owned.name())) {
                changes.add(new Change(Action.DELETE, owned.kind(), owned.name(), List.of()));
            }
        }
        return changes;
    }

    /** Every path of {@code desired} whose value differs in {@code live}; list items with a name are matched by name. */
    static void compare(String path, JsonNode desired, JsonNode live, List<String> out) {
        if (out.size() >= MAX_SHOWN) {
            return;
        }
        if (desired.isObject()) {
            if (!live.isObject()) {
                out.add(path + ": " + brief(live) + " → " + brief(desired));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (path.isEmpty() && e.getKey().equals("status")) {
                    continue;
                }
                JsonNode other = live.get(e.getKey());
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (other == null || other.isNull()) {
                    if (!isEmpty(e.getValue())) {
                        out.add(child + ": (none) → " + brief(e.getValue()));
                    }
                } else {
                    compare(child, e.getValue(), other, out);
                }
            }
        } else if (desired.isArray()) {
            if (!live.isArray()) {
                out.add(path + ": " + brief(live) + " → " + brief(desired));
                return;
            }
            for (int i = 0; i < desired.size(); i++) {
                JsonNode item = desired.get(i);
                String name = item.path("name").isTextual() ? item.get("name").asText() : null;
                JsonNode match = null;
                if (name != null) {
                    for (JsonNode l : live) {
                        if (name.equals(l.path("name").asText(null))) {
                            match = l;
                        }
                    }
                } else if (i < live.size()) {
                    match = live.get(i);
                }
                String child = path + "[" + (name != null ? name : Integer.toString(i)) + "]";
                if (match == null) {
                    out.add(child + ": (none) → " + brief(item));
                } else {
                    compare(child, item, match, out);
                }
            }
            if (desired.size() < live.size() && desired.size() > 0 && !desired.get(0).path("name").isTextual()) {
                out.add(path + ": " + live.size() + " items → " + desired.size());
            }
        } else if (!sameScalar(desired, live)) {
            out.add(path + ": " + brief(live) + " → " + brief(desired));
        }
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        return a.equals(b) || a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText());
    }

    private static boolean isEmpty(JsonNode n) {
        return n.isNull() || (n.isContainerNode() && n.isEmpty());
    }

    private static String brief(JsonNode n) {
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
