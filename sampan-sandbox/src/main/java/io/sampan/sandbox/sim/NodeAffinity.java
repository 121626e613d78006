package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pod asks of a node's labels and name: {@code spec.nodeSelector} (every label equal) and
 * {@code affinity.nodeAffinity} — required {@code nodeSelectorTerms} ORed, each term's
 * {@code matchExpressions} (In, NotIn, Exists, DoesNotExist, Gt, Lt) and {@code matchFields}
 * ({@code metadata.name}, as DaemonSets pin their pods) ANDed; preferred terms add their weight.
 */
final class NodeAffinity {
    static final NodeAffinity NONE = new NodeAffinity(Map.of(), null, List.of());

    /** One requirement on a node label, or on the node's name for {@code matchFields}. */
    record Requirement(String key, String operator, List<String> values) {
        boolean matches(String value) {
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt", "Lt" -> compare(value);
                default -> false;
            };
        }

        private boolean compare(String value) {
            if (value == null || values.size() != 1) {
                return false;
            }
            try {
                long have = Long.parseLong(value);
                long want = Long.parseLong(values.get(0));
                return operator.equals("Gt") ? have > want : have < want;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /** A node selector term; an empty one matches no node. */
    record Term(List<Requirement> expressions, List<Requirement> fields) {
        boolean matches(String name, Map<String, String> labels) {
            if (expressions.isEmpty() && fields.isEmpty()) {
                return false;
            }
            for (Requirement r : expressions) {
                if (!r.matches(labels.get(r.key()))) {
                    return false;
                }
            }
            for (Requirement r : fields) {
                if (!r.matches(r.key().equals("metadata.name") ? name : null)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Preferred(int weight, Term term) {
    }

    private final Map<String, String> nodeSelector;
    private final List<Term> required;
    private final List<Preferred> preferred;

    private NodeAffinity(Map<String, String> nodeSelector, List<Term> required, List<Preferred> preferred) {
        this.nodeSelector = nodeSelector;
        this.required = required;
        this.preferred = preferred;
    }

    static NodeAffinity of(JsonNode podSpec) {
        JsonNode sel = podSpec.path("nodeSelector");
        JsonNode na = podSpec.path("affinity").path("nodeAffinity");
        if (sel.isEmpty() && na.isMissingNode()) {
            return NONE;
        }
        Map<String, String> nodeSelector = Map.copyOf(Meta.strings(sel));
        JsonNode req = na.path("requiredDuringSchedulingIgnoredDuringExecution");
        List<Term> required = null;
        if (!req.isMissingNode() && !req.isNull()) {
            required = new ArrayList<>();
            for (JsonNode t : req.path("nodeSelectorTerms")) {
                required.add(term(t));
            }
            required = List.copyOf(required);
        }
        List<Preferred> preferred = new ArrayList<>();
        for (JsonNode p : na.path("preferredDuringSchedulingIgnoredDuringExecution")) {
            preferred.add(new Preferred(p.path("weight").asInt(), term(p.path("preference"))));
        }
        return new NodeAffinity(nodeSelector, required, List.copyOf(preferred));
    }

    private static Term term(JsonNode t) {
        return new Term(requirements(t.path("matchExpressions")), requirements(t.path("matchFields")));
    }

    private static List<Requirement> requirements(JsonNode list) {
        List<Requirement> out = new ArrayList<>();
        for (JsonNode x : list) {
            List<String> values = new ArrayList<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            out.add(new Requirement(x.path("key").asText(), x.path("operator").asText(), List.copyOf(values)));
        }
        return List.copyOf(out);
    }

    boolean isNone() {
        return this == NONE;
    }

    boolean hasPreferred() {
        return !preferred.isEmpty();
    }

    /** Whether the node passes the nodeSelector and the required terms (the NodeAffinity filter). */
    boolean requiredMatches(String name, Map<String, String> labels) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        if (required == null) {
            return true;
        }
        for (Term t : required) {
            if (t.matches(name, labels)) {
                return true;
            }
        }
        return false;
    }

    /** The sum of the weights of the preferred terms the node matches. */
    long preferredScore(String name, Map<String, String> labels) {
        long score = 0;
        for (Preferred p : preferred) {
            if (p.weight() != 0 && p.term().matches(name, labels)) {
                score += p.weight();
            }
        }
        return score;
    }

    /**
     * The only node names the required terms can match, when every term names nodes with
     * {@code matchFields metadata.name In}; null when any node may match.
     */
    Set<String> nodeNames() {
        if (required == null || required.isEmpty()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (Term t : required) {
            Set<String> termNames = null;
            for (Requirement r : t.fields()) {
                if (r.key().equals("metadata.name") && r.operator().equals("In")) {
                    if (termNames == null) {
                        termNames = new HashSet<>(r.values());
                    } else {
                        termNames.retainAll(r.values());
                    }
                }
            }
            if (termNames == null) {
                return null;
            }
            names.addAll(termNames);
        }
        return names;
    }
}
