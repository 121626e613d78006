package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Label selectors ({@code a=b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)}, {@code a},
 * {@code !a}) and field selectors ({@code metadata.name=x}, {@code spec.nodeName!=y}, any dotted
 * path) as Kubernetes reads them.
 */
final class Selectors {
    private Selectors() {
    }

    static Predicate<JsonNode> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> all = new ArrayList<>();
        for (String term : split(selector)) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            all.add(labelTerm(t));
        }
        return o -> all.stream().allMatch(p -> p.test(o.path("metadata").path("labels")));
    }

    private static Predicate<JsonNode> labelTerm(String t) {
        String lower = t.replaceAll("\\s+", " ");
        int in = lower.indexOf(" in ");
        int notin = lower.indexOf(" notin ");
        if (notin > 0 || in > 0) {
            boolean negate = notin > 0;
            String key = lower.substring(0, negate ? notin : in).trim();
            String rest = lower.substring((negate ? notin + 7 : in + 4)).trim();
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw ApiError.badRequest("unable to parse requirement: " + t);
            }
            Set<String> values = Arrays.stream(rest.substring(1, rest.length() - 1).split(",")).map(String::trim).collect(Collectors.toSet());
            return labels -> negate != (labels.has(key) && values.contains(labels.get(key).asText()));
        }
        if (t.startsWith("!")) {
            String key = t.substring(1).trim();
            return labels -> !labels.has(key);
        }
        int ne = t.indexOf("!=");
        if (ne > 0) {
            String key = t.substring(0, ne).trim();
            String value = t.substring(ne + 2).trim();
            return labels -> !labels.has(key) || !labels.get(key).asText().equals(value);
        }
        int eq = t.indexOf('=');
        if (eq > 0) {
            String key = t.substring(0, eq).trim();
            String value = t.substring(t.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
            return labels -> labels.has(key) && labels.get(key).asText().equals(value);
        }
        return labels -> labels.has(t);
    }

    static Predicate<JsonNode> fields(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> all = new ArrayList<>();
        for (String term : selector.split(",")) {
            String t = term.trim();
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne < 0 && eq < 0) {
                throw ApiError.badRequest("invalid field selector: " + t);
            }
            boolean negate = ne >= 0;
            String path = t.substring(0, negate ? ne : eq).trim();
            String value = t.substring(negate ? ne + 2 : t.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
            all.add(o -> negate != at(o, path).equals(value));
        }
        return o -> all.stream().allMatch(p -> p.test(o));
    }

    private static String at(JsonNode o, String path) {
        JsonNode n = o;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    /** Splits on commas outside parentheses. */
    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
