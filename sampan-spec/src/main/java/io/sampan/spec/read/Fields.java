package io.sampan.spec.read;

import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.ListNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import io.sampan.spec.yaml.YamlNode.Scalar;
import io.sampan.spec.yaml.YamlNode.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reading of one YAML mapping at a known path. Every accessor reports what is wrong (with the
 * field's path and position) and returns {@code null} or a default, so that reading goes on and
 * all problems of a file are reported at once. Unknown keys are reported with a suggestion.
 */
final class Fields {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    /**
     * Longest text checked against a pattern. Java's regex engine recurses once per repetition of a
     * group, so a few thousand dot- or slash-separated parts overflow the stack; nothing Sampan checks
     * with a pattern is legitimately this long.
     */
    static final int MAX_MATCHED_LENGTH = 1024;

    private final MapNode map;
    private final String path;
    private final Diagnostics d;

    private Fields(MapNode map, String path, Diagnostics d) {
        this.map = map;
        this.path = path;
        this.d = d;
    }

    /**
     * Reads {@code node} as a mapping with the given known keys; {@code null} (after reporting) if it
     * is not a mapping. {@code what} names the thing for messages ("a service").
     */
    static Fields of(YamlNode node, String path, Diagnostics d, String what, Set<String> known) {
        if (!(node instanceof MapNode m)) {
            d.error(path, node, "expected " + what + " (a mapping of fields), got " + describe(node),
                    "write it as `key: value` lines indented under " + lastSegment(path));
            return null;
        }
        Fields f = new Fields(m, path, d);
        for (YamlNode.Entry e : m.entries().values()) {
            if (!known.contains(e.key())) {
                String suggestion = Diagnostics.closest(e.key(), known);
                d.error(f.path(e.key()), e.value(), e.keyPosition(), "unknown field \"" + e.key() + "\" in " + what,
                        suggestion != null ? "did you mean \"" + suggestion + "\"?"
                                : "known fields: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return f;
    }

    static String describe(YamlNode node) {
        return node == null ? "nothing" : node.describe();
    }

    private static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    MapNode node() {
        return map;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Diagnostics diagnostics() {
        return d;
    }

    boolean has(String key) {
        YamlNode n = map.get(key);
        return n != null && !(n instanceof Scalar s && s.isNull());
    }

    YamlNode raw(String key) {
        return map.get(key);
    }

    /** The node to point at for a key: its value, or the mapping itself when the key is absent. */
    YamlNode at(String key) {
        YamlNode n = map.get(key);
        return n != null ? n : map;
    }

    String string(String key) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof Scalar s && s.type() != ScalarType.NULL) {
            return s.text();
        }
        d.error(path(key), n, "expected a string, got " + describe(n), null);
        return null;
    }

    String requiredString(String key, String example) {
        String s = string(key);
        if (s == null && !hasErrorAt(key)) {
            d.error(path(key), at(key), "\"" + key + "\" is required", "for example `" + key + ": " + example + "`");
        } else if (s != null && s.isBlank()) {
            d.error(path(key), at(key), "\"" + key + "\" must not be empty", "for example `" + key + ": " + example + "`");
            return null;
        }
        return s;
    }

    private boolean hasErrorAt(String key) {
        YamlNode n = map.get(key);
        return n != null && !(n instanceof Scalar s && s.isNull());
    }

    /** A string that must match {@code pattern}; {@code expected} says in words what it must look like. */
    String matching(String key, Pattern pattern, String expected, String example) {
        String s = string(key);
        if (s != null && !matches(pattern, s)) {
            d.error(path(key), at(key), "expected " + expected + ", got \"" + s + "\"", "for example `" + key + ": " + example + "`");
            return null;
        }
        return s;
    }

    /** Whether {@code s} matches {@code pattern} whole; text longer than {@link #MAX_MATCHED_LENGTH} never does. */
    static boolean matches(Pattern pattern, String s) {
        return s.length() <= MAX_MATCHED_LENGTH && pattern.matcher(s).matches();
    }

    Integer integer(String key, int min, int max) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return null;
        }
        Integer value = null;
        if (n instanceof Scalar s && (s.type() == ScalarType.INTEGER || s.type() == ScalarType.STRING)) {
            try {
                value = Integer.valueOf(s.text().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                value = null;
            }
        }
        if (value == null || value < min || value > max) {
            d.error(path(key), n, "expected a whole number from " + min + " to " + max + ", got " + describe(n), null);
            return null;
        }
        return value;
    }

    Boolean bool(String key) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof Scalar s && s.type() == ScalarType.BOOLEAN) {
            String t = s.text().toLowerCase(java.util.Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
        }
        d.error(path(key), n, "expected true or false, got " + describe(n), null);
        return null;
    }

    boolean bool(String key, boolean defaultValue) {
        Boolean b = bool(key);
        return b == null ? defaultValue : b;
    }

    /** A list of strings; a single string is accepted as a list of one where {@code single} allows it. */
    List<String> strings(String key) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof ListNode list)) {
            d.error(path(key), n, "expected a list of strings, got " + describe(n), "write `" + key + ": [a, b]`");
            return List.of();
        }
        List<String> out = new ArrayList<>(list.items().size());
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            if (item instanceof Scalar s && !s.isNull()) {
                out.add(s.text());
            } else {
                d.error(path(key) + "[" + i + "]", item, "expected a string, got " + describe(item), null);
            }
        }
        return out;
    }

    /** A mapping of names to scalar values, kept as strings in file order. */
    Map<String, String> stringMap(String key, Pattern keyPattern, String keyExpected) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(n instanceof MapNode m)) {
            d.error(path(key), n, "expected a mapping of names to values, got " + describe(n), "write `" + key + ": {NAME: value}`");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries().values()) {
            String p = path(key) + "." + e.key();
            if (keyPattern != null && !matches(keyPattern, e.key())) {
                d.error(p, e.value(), "\"" + e.key() + "\" is not " + keyExpected, null);
                continue;
            }
            if (e.value() instanceof Scalar s && !s.isNull()) {
                out.put(e.key(), s.text());
            } else {
                d.error(p, e.value(), "expected a value (string, number or boolean), got " + describe(e.value()),
                        e.value() instanceof Scalar ? "write `" + e.key() + ": \"\"` for an empty value" : null);
            }
        }
        return out;
    }

    /** A mapping of names to objects, each read by {@code reader}; names must match {@code namePattern}. */
    <T> Map<String, T> namedObjects(String key, String what, Function<Named, T> reader) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(n instanceof MapNode m)) {
            d.error(path(key), n, "expected a mapping of " + what + " names to " + what + "s, got " + describe(n), null);
            return Map.of();
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries().values()) {
            String p = path(key) + "." + e.key();
            if (!DNS_LABEL.matcher(e.key()).matches() || e.key().length() > 63) {
                d.error(p, e.value(), "\"" + e.key() + "\" is not a valid " + what + " name",
                        "use lower-case letters, digits and '-', starting with a letter (e.g. `user-api`)");
                continue;
            }
            T value = reader.apply(new Named(e.key(), e.value(), p));
            if (value != null) {
                out.put(e.key(), value);
            }
        }
        return out;
    }

    /** A list of objects, each read by {@code reader} at {@code key[i]}. */
    <T> List<T> objects(String key, Function<Named, T> reader) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof ListNode list)) {
            d.error(path(key), n, "expected a list, got " + describe(n), "write each item on a line starting with `- `");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            T value = reader.apply(new Named(Integer.toString(i), list.items().get(i), path(key) + "[" + i + "]"));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** One member of a named mapping or a list: its name (or index), node and path. */
    record Named(String name, YamlNode node, String path) {
    }
}
