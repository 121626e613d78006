package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side apply: the applied configuration's fields become its manager's (an {@code Apply}
 * entry of {@code metadata.managedFields} in the {@code FieldsV1} encoding). Applying a value
 * different from the live one for a field another manager owns is a conflict (409, worded as the
 * API server words it) unless forced, which takes the field over. Applying again removes the
 * fields this manager applied before and applies no longer, unless another manager owns them too.
 */
final class Apply {
    private Apply() {
    }

    /** The conflicting fields of one manager. */
    private record Conflict(String manager, String apiVersion, List<String> paths) {
    }

    static ObjectNode apply(ResourceType t, ObjectNode live, String manager, ObjectNode applied, boolean force, Instant now) {
        Set<List<String>> fields = ManagedFields.fieldsOf(applied, null);
        List<ManagedFields.Entry> entries = ManagedFields.entries(live);
        Set<List<String>> previous = Set.of();
        Map<ManagedFields.Entry, List<List<String>>> conflicts = new LinkedHashMap<>();
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(manager, "Apply", null)) {
                previous = e.fields();
                continue;
            }
            if (e.subresource() != null) {
                continue;
            }
            for (List<String> p : fields) {
                if (!p.get(p.size() - 1).equals(".") && e.fields().contains(p)
                        && !Objects.equals(ManagedFields.valueAt(applied, p), ManagedFields.valueAt(live, p))) {
                    conflicts.computeIfAbsent(e, x -> new ArrayList<>()).add(p);
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw conflict(conflicts);
        }
        ObjectNode next = live.deepCopy();
        List<ManagedFields.Entry> kept = new ArrayList<>();
        Set<List<String>> others = new LinkedHashSet<>();
        for (ManagedFields.Entry e : entries) {
            if (e.sameOwner(manager, "Apply", null)) {
                continue;
            }
            Set<List<String>> f = new LinkedHashSet<>(e.fields());
            conflicts.getOrDefault(e, List.of()).forEach(f::remove);
            others.addAll(f);
            kept.add(new ManagedFields.Entry(e.manager(), e.operation(), e.apiVersion(), e.subresource(), f, e.time()));
        }
        List<List<String>> dropped = new ArrayList<>();
        for (List<String> p : previous) {
            if (!fields.contains(p) && !others.contains(p)) {
                dropped.add(p);
            }
        }
        dropped.sort((a, b) -> Integer.compare(b.size(), a.size())); // fields before the items and objects holding them
        for (List<String> p : dropped) {
            ManagedFields.removeAt(next, p);
        }
        ObjectNode config = applied.deepCopy();
        config.with("metadata").remove(List.of("managedFields", "resourceVersion"));
        next = (ObjectNode) Patches.strategic(next, config, null);
        kept.add(new ManagedFields.Entry(manager, "Apply", applied.path("apiVersion").asText(t.groupVersion()), null, fields,
                ManagedFields.now(now)));
        ManagedFields.write(next, kept);
        return next;
    }

    /** What a first apply stores: the configuration, owned by its manager. */
    static void remember(ResourceType t, ObjectNode object, String manager, ObjectNode applied, Instant now) {
        List<ManagedFields.Entry> entries = new ArrayList<>();
        entries.add(new ManagedFields.Entry(manager, "Apply", applied.path("apiVersion").asText(t.groupVersion()), null,
                ManagedFields.fieldsOf(applied, null), ManagedFields.now(now)));
        ManagedFields.write(object, entries);
    }

    private static ApiError conflict(Map<ManagedFields.Entry, List<List<String>>> conflicts) {
        int count = conflicts.values().stream().mapToInt(List::size).sum();
        StringBuilder message = new StringBuilder("Apply failed with " + count + " conflict" + (count == 1 ? "" : "s") + ":");
        ObjectNode details = ApiServer.JSON.createObjectNode();
        ArrayNode causes = details.putArray("causes");
        for (Map.Entry<ManagedFields.Entry, List<List<String>>> c : conflicts.entrySet()) {
            String with = "\"" + c.getKey().manager() + "\" using " + c.getKey().apiVersion();
            List<List<String>> paths = c.getValue();
            if (paths.size() == 1) {
                message.append(" conflict with ").append(with).append(": ").append(ManagedFields.display(paths.get(0)));
            } else {
                message.append(" conflicts with ").append(with).append(":");
                paths.forEach(p -> message.append("\n- ").append(ManagedFields.display(p)));
            }
            paths.forEach(p -> causes.addObject().put("reason", "FieldManagerConflict").put("message", "conflict with " + with)
                    .put("field", ManagedFields.display(p)));
        }
        return new ApiError(409, "Conflict", message.toString()).withDetails(details);
    }
}
