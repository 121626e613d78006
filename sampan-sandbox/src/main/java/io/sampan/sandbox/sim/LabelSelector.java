package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A metav1.LabelSelector parsed once: {@code matchLabels} and {@code matchExpressions}
 * (In, NotIn, Exists, DoesNotExist) ANDed. An empty selector matches every set of labels, an absent
 * one (null in the spec) matches none, as in pod affinity terms and spread constraints.
 */
final class LabelSelector {
    static final LabelSelector NOTHING = new LabelSelector(null);
    static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /** One requirement on a label. */
    record Requirement(String key, String operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    static LabelSelector parse(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NOTHING;
        }
        List<Requirement> rs = new ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> rs.add(new Requirement(e.getKey(), "In", Set.of(e.getValue().asText()))));
        for (JsonNode x : selector.path("matchExpressions")) {
            Set<String> values = new HashSet<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            rs.add(new Requirement(x.path("key").asText(), x.path("operator").asText(), Set.copyOf(values)));
        }
        return new LabelSelector(List.copyOf(rs));
    }

    /** This selector narrowed to the pod's own values of {@code keys} ({@code matchLabelKeys}). */
    LabelSelector withValuesOf(List<String> keys, Map<String, String> labels) {
        if (requirements == null || keys.isEmpty()) {
            return this;
        }
        List<Requirement> rs = new ArrayList<>(requirements);
        for (String k : keys) {
            String v = labels.get(k);
            if (v != null) {
                rs.add(new Requirement(k, "In", Set.of(v)));
            }
        }
        return new LabelSelector(List.copyOf(rs));
    }

    boolean matches(Map<String, String> labels) {
        if (requirements == null) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    boolean matchesNothing() {
        return requirements == null;
    }

    /** A {@code key=value} every matching set of labels holds (to look pods up by), or null. */
    String anchor() {
        if (requirements != null) {
            for (Requirement r : requirements) {
                if (r.operator().equals("In") && r.values().size() == 1) {
                    return r.key() + "=" + r.values().iterator().next();
                }
            }
        }
        return null;
    }
}
