package io.sampan.spec.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Seeded mutations of app.yaml documents, on the text (characters, lines, indentation, truncation,
 * anchors and aliases) and on the tree (keys deleted, duplicated, renamed; values of another type,
 * extreme or exotic values; deep nesting; subtrees moved). Same seed, same cases.
 */
final class Mutator {
    /** Field names of the spec: renaming to one of these moves a value where another type is expected. */
    static final String[] VOCABULARY = {"apiVersion", "kind", "metadata", "name", "labels", "annotations", "spec", "services",
        "jobs", "addons", "env", "environments", "image", "runtime", "command", "args", "port", "ports", "protocol", "replicas",
        "resources", "cpu", "memory", "config", "health", "http", "tcp", "exec", "startupSeconds", "dependsOn", "expose", "host",
        "path", "tls", "secret", "autoscale", "min", "max", "cooldown", "placement", "nodeSelector", "spread", "tolerate",
        "stateful", "volumes", "size", "storageClass", "trigger", "schedule", "timezone", "broadcast", "deadline", "type",
        "version", "plan", "external", "prod", "test", "web", "api", "db", "cache"};

    /** Scalars of every YAML type and a few that are hostile to naive parsing. */
    static final Object[] SCALARS = {null, true, false, 0, -1, 1, 65535, 65536, -2147483648, Integer.MAX_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"), new BigInteger("-99999999999999999999999"), 0.5, -0.0,
        1e308, -1e-308, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "", " ", "~", "null", "yes", "0x10",
        "0o17", "1e3", "1Gi", "-1Gi", "0.0001m", "999999999999Ti", "2", "500m", "5m", "-5m", "99999999h", "1.5s", "PT5M",
        "* * * * *", "61 25 32 13 8", "@daily", "Mars/Olympus", "pre-release", "post-release", "nginx", "nginx:latest",
        "registry.local/x/y@sha256:" + "a".repeat(64), "UPPER:Case", "a b c", "../../etc/passwd", "/", "//", "http://x",
        "é", "名前", "\uD83D\uDE00", "\u202Eevil", "\u0000", "\t", "line\nbreak", "key: value", "- item", "{a: 1}", "[1, 2]",
        "'", "\"", "\\", "&anchor", "*alias", "!tag", "%", "@", "`", "#comment", "dedicated=mall:NoSchedule", "=:",
        "topology.kubernetes.io/zone", "a/b/c", "-", "--", "shop", "web", "db", "cache", "prod"};

    static final String[] TOKENS = {"~", "-1", "0", "true", "no", "99999999999999999999", "[]", "{}", "\"\"", "0x1F", ".inf",
        ".nan", "1.5", "*a", "&a x", "<<: *a", "!!binary AAAA", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14",
        "!!str", "!!int x", "!custom x", "? x", "- ", ": ", "#", "'", "\"", "|", ">", "|-", ">+2", "@", "`", "%YAML 1.2",
        "%TAG ! tag:x:", "---", "...", "\t", "{a: [", "]]", "\\", "\u00e9", "\uD83D\uDE00", "\uD800", "\uFEFF", "\r", "\r\n",
        "\u0085", "\u2028", "\u0007", "image: nginx", "port: 80", "replicas: -3", "dependsOn: [web]", "addons: [nope]",
        "schedule: \"* * * * *\"", "stateful: true", "trigger: pre-release", "broadcast: yes", "runtime: cobol"};

    private final Random random;
    private final Yaml yaml;

    Mutator(Random random) {
        this.random = random;
        LoaderOptions loading = new LoaderOptions();
        loading.setAllowDuplicateKeys(true);
        DumperOptions dumping = new DumperOptions();
        dumping.setWidth(Integer.MAX_VALUE);
        this.yaml = new Yaml(new SafeConstructor(loading), new Representer(dumping), dumping, loading);
    }

    // ---- tree mutations -------------------------------------------------------------------------

    /** Parses {@code text} (a valid example), applies {@code times} tree mutations and dumps it in a random style. */
    String mutateTree(String text, List<String> others, int times) {
        Object tree = copy(yaml.load(text));
        for (int i = 0; i < times; i++) {
            tree = mutateTreeOnce(tree, others);
        }
        try {
            return dump(tree);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // a key cut inside a surrogate pair cannot be written as YAML; fall back to a text mutation
            return mutateText(text, times);
        }
    }

    private Object mutateTreeOnce(Object root, List<String> others) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots, 0);
        if (slots.isEmpty()) {
            return randomScalar();
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(12)) {
            case 0 -> slot.delete();
            case 1 -> slot.duplicateOrRename(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            case 2 -> slot.duplicateOrRename(typo(slot.key()));
            case 3, 4 -> slot.set(randomScalar());
            case 5 -> slot.set(otherType(slot.get()));
            case 6 -> slot.set(nest(slot.get(), 1 + random.nextInt(random.nextBoolean() ? 8 : 120)));
            case 7 -> slot.set(longString());
            case 8 -> slot.set(copy(pick(others)));
            case 9 -> slot.set(randomTree(3));
            case 10 -> slot.set(copy(slots.get(random.nextInt(slots.size())).get()));
            default -> slot.insert(VOCABULARY[random.nextInt(VOCABULARY.length)], random.nextBoolean() ? randomScalar() : randomTree(2));
        }
        return root;
    }

    private String dump(Object tree) {
        DumperOptions options = new DumperOptions();
        options.setWidth(20 + random.nextInt(200));
        options.setIndent(2 + random.nextInt(4));
        options.setDefaultFlowStyle(switch (random.nextInt(4)) {
            case 0 -> DumperOptions.FlowStyle.FLOW;
            case 1 -> DumperOptions.FlowStyle.AUTO;
            default -> DumperOptions.FlowStyle.BLOCK;
        });
        if (random.nextInt(4) == 0) {
            options.setDefaultScalarStyle(DumperOptions.ScalarStyle.values()[random.nextInt(DumperOptions.ScalarStyle.values().length)]);
        }
        options.setAllowUnicode(random.nextBoolean());
        return new Yaml(new Representer(options), options).dump(tree);
    }

    /** A subtree taken from another example (a whole service, an addon, a list of ports...). */
    private Object pick(List<String> others) {
        Object tree = yaml.load(others.get(random.nextInt(others.size())));
        List<Slot> slots = new ArrayList<>();
        collect(tree, slots, 0);
        return slots.isEmpty() ? tree : slots.get(random.nextInt(slots.size())).get();
    }

    private Object randomScalar() {
        return SCALARS[random.nextInt(SCALARS.length)];
    }

    private Object otherType(Object value) {
        if (value instanceof Map<?, ?> m) {
            return random.nextBoolean() ? new ArrayList<>(m.values()) : (m.isEmpty() ? "" : String.valueOf(m.keySet().iterator().next()));
        } else if (value instanceof List<?> l) {
            return random.nextBoolean() || l.isEmpty() ? l.size() : l.get(0) instanceof Map<?, ?> ? l.get(0) : String.valueOf(l.get(0));
        } else if (value instanceof String s) {
            return switch (random.nextInt(4)) {
                case 0 -> new ArrayList<>(List.of(s));
                case 1 -> new LinkedHashMap<>(Map.of(s, s));
                case 2 -> s.length();
                default -> random.nextBoolean();
            };
        } else if (value instanceof Number n) {
            return switch (random.nextInt(4)) {
                case 0 -> String.valueOf(n);
                case 1 -> -n.doubleValue();
                case 2 -> new BigInteger(String.valueOf(Math.abs(n.longValue()))).multiply(BigInteger.TEN.pow(30));
                default -> new ArrayList<>(List.of(n));
            };
        }
        return random.nextBoolean() ? new LinkedHashMap<>() : new ArrayList<>();
    }

    private Object nest(Object value, int depth) {
        Object out = value;
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                out = new ArrayList<>(List.of(out == null ? "x" : out));
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(VOCABULARY[random.nextInt(VOCABULARY.length)], out);
                out = m;
            }
        }
        return out;
    }

    private String longString() {
        int length = switch (random.nextInt(3)) {
            case 0 -> 64 + random.nextInt(10);
            case 1 -> 250 + random.nextInt(20);
            default -> random.nextInt(4) == 0 ? 10_000 + random.nextInt(60_000) : 1_000 + random.nextInt(4_000);
        };
        String alphabet = random.nextBoolean() ? "abcdefghijklmnopqrstuvwxyz0123456789-" : "aé名\uD83D\uDE00 -./:_";
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append('\uDE00');
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private Object randomTree(int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            return randomScalar();
        }
        int n = random.nextInt(4);
        if (random.nextBoolean()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(randomTree(depth - 1));
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(VOCABULARY[random.nextInt(VOCABULARY.length)], randomTree(depth - 1));
        }
        return map;
    }

    private String typo(String key) {
        if (key == null || key.isEmpty()) {
            return "x";
        }
        int at = random.nextInt(key.length());
        return switch (random.nextInt(5)) {
            case 0 -> key.substring(0, at) + key.substring(at + 1);
            case 1 -> key.substring(0, at) + (char) ('a' + random.nextInt(26)) + key.substring(at);
            case 2 -> key.toUpperCase(java.util.Locale.ROOT);
            case 3 -> key + "_";
            default -> key.substring(0, at) + " " + key.substring(at);
        };
    }

    /** Deep copy into mutable collections (so that shared subtrees do not alias each other). */
    @SuppressWarnings("unchecked")
    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, copy(v)));
            return out;
        } else if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(copy(v)));
            return out;
        }
        return o;
    }

    private void collect(Object node, List<Slot> slots, int depth) {
        if (depth > 40) {
            return;
        }
        if (node instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) m;
            for (Object key : new ArrayList<>(map.keySet())) {
                slots.add(new Slot(map, null, key, -1));
                collect(map.get(key), slots, depth + 1);
            }
            slots.add(new Slot(map, null, null, -1)); // insertion point
        } else if (node instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            for (int i = 0; i < list.size(); i++) {
                slots.add(new Slot(null, list, null, i));
                collect(list.get(i), slots, depth + 1);
            }
        }
    }

    /** A place in the tree: a key of a mapping or an index of a list. */
    private final class Slot {
        private final Map<Object, Object> map;
        private final List<Object> list;
        private final Object key;
        private final int index;

        Slot(Map<Object, Object> map, List<Object> list, Object key, int index) {
            this.map = map;
            this.list = list;
            this.key = key;
            this.index = index;
        }

        String key() {
            return key == null ? null : String.valueOf(key);
        }

        Object get() {
            return map != null ? map.get(key) : list.size() > index ? list.get(index) : null;
        }

        void set(Object value) {
            if (map != null) {
                map.put(key == null ? VOCABULARY[random.nextInt(VOCABULARY.length)] : key, value);
            } else if (index < list.size()) {
                list.set(index, value);
            }
        }

        void delete() {
            if (map != null && key != null) {
                map.remove(key);
            } else if (list != null && index < list.size()) {
                list.remove(index);
            }
        }

        void insert(String newKey, Object value) {
            if (map != null) {
                map.put(newKey, value);
            } else if (index <= list.size()) {
                list.add(index, value);
            }
        }

        /** In a mapping: the value under another key too (or instead); in a list: the item twice. */
        void duplicateOrRename(String newKey) {
            if (map != null && key != null) {
                Object value = map.get(key);
                if (random.nextBoolean()) {
                    map.remove(key);
                }
                map.put(newKey, copy(value));
            } else if (list != null && index < list.size()) {
                list.add(index, copy(list.get(index)));
            }
        }
    }

    // ---- text mutations -------------------------------------------------------------------------

    /** Applies {@code times} text mutations to {@code text}. */
    String mutateText(String text, int times) {
        String out = text;
        for (int t = 0; t < times; t++) {
            out = switch (random.nextInt(12)) {
                case 0 -> deleteRange(out);
                case 1 -> insert(out, TOKENS[random.nextInt(TOKENS.length)]);
                case 2 -> insert(out, String.valueOf((char) random.nextInt(0x3000)));
                case 3 -> swapLines(out);
                case 4 -> duplicateLine(out);
                case 5 -> reindentLine(out);
                case 6 -> replaceValue(out);
                case 7 -> anchorAndAlias(out);
                case 8 -> tabsForSpaces(out);
                case 9 -> insert(out, "\n" + " ".repeat(random.nextInt(12)) + VOCABULARY[random.nextInt(VOCABULARY.length)] + ": "
                        + TOKENS[random.nextInt(TOKENS.length)] + "\n");
                case 10 -> out.isEmpty() ? out : out.substring(0, random.nextInt(out.length() + 1));
                default -> replaceValue(out, String.valueOf(SCALARS[random.nextInt(SCALARS.length)]));
            };
        }
        return out;
    }

    /** A document of nothing but nested flow collections, or an alias expansion bomb. */
    String hostile() {
        int depth = 50 + random.nextInt(5_000);
        return switch (random.nextInt(5)) {
            case 4 -> longSeparated();
            case 0 -> "a: " + "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: x}\nspec: " + "{a: ".repeat(depth) + "1" + "}".repeat(depth);
            case 2 -> {
                StringBuilder sb = new StringBuilder("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: x}\nspec:\n  env:\n");
                sb.append("    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
                int levels = 3 + random.nextInt(12);
                for (int i = 1; i < levels; i++) {
                    sb.append("    a").append(i).append(": &a").append(i).append(" [");
                    for (int j = 0; j < 10; j++) {
                        sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
                    }
                    sb.append("]\n");
                }
                yield sb.toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < Math.min(depth, 800); i++) {
                    sb.append("  ".repeat(Math.min(i, 100))).append("k").append(i).append(":\n");
                }
                yield sb.toString();
            }
        };
    }

    /**
     * A valid app but for one field holding thousands of dot-, slash- or dash-separated parts: such
     * text overflows the stack of a regex with a repeated group.
     */
    private String longSeparated() {
        String unit = new String[] {"a.", "/a", "a-", "a__", "a/"}[random.nextInt(5)];
        String text = (unit.startsWith("/") ? "" : "a") + unit.repeat(3_000 + random.nextInt(20_000)) + "a";
        String field = switch (random.nextInt(11)) {
            case 0 -> "image: " + text + ":1";
            case 1 -> "image: " + text;
            case 2 -> "image: registry.local/x:1\n      placement: {spread: " + text + "}";
            case 3 -> "image: registry.local/x:1\n      placement: {tolerate: [\"" + text + "=x:NoSchedule\"]}";
            case 4 -> "image: registry.local/x:1\n      placement: {nodeSelector: {\"" + text + "\": x}}";
            case 5 -> "image: registry.local/x:1\n      port: 80\n      expose: [{host: " + text + "}]";
            case 6 -> "image: registry.local/x:1\n      port: 80\n      expose: [{host: a.example.com, path: " + text + ", tls: {secret: " + text + "}}]";
            case 7 -> "image: registry.local/x:1\n      config: {\"" + text + "\": x}";
            case 8 -> "image: registry.local/x:1\n      stateful: true\n      volumes: [{name: data, path: " + text + ", size: 1Gi}]";
            case 9 -> "image: registry.local/x:1\n      env: {\"" + text + "\": x}";
            default -> "image: registry.local/x:1\n      addons: [db]\n  addons: {db: {type: mysql, external: {secret: " + text + "}}}";
        };
        String labels = random.nextInt(5) == 0 ? ", labels: {\"" + text + "\": x}" : "";
        return "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: x" + labels + "}\nspec:\n  services:\n    web:\n      " + field + "\n";
    }

    private String deleteRange(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int from = random.nextInt(s.length());
        int to = Math.min(s.length(), from + 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
        return s.substring(0, from) + s.substring(to);
    }

    private String insert(String s, String token) {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + token + s.substring(at);
    }

    private static List<String> lines(String s) {
        return new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    }

    private String swapLines(String s) {
        List<String> l = lines(s);
        int a = random.nextInt(l.size());
        int b = random.nextInt(l.size());
        String x = l.get(a);
        l.set(a, l.get(b));
        l.set(b, x);
        return String.join("\n", l);
    }

    private String duplicateLine(String s) {
        List<String> l = lines(s);
        int a = random.nextInt(l.size());
        l.add(a, l.get(a));
        return String.join("\n", l);
    }

    private String reindentLine(String s) {
        List<String> l = lines(s);
        int a = random.nextInt(l.size());
        l.set(a, " ".repeat(random.nextInt(10)) + l.get(a).stripLeading());
        return String.join("\n", l);
    }

    private String tabsForSpaces(String s) {
        List<String> l = lines(s);
        int a = random.nextInt(l.size());
        l.set(a, l.get(a).replace("  ", "\t"));
        return String.join("\n", l);
    }

    private String replaceValue(String s) {
        return replaceValue(s, TOKENS[random.nextInt(TOKENS.length)]);
    }

    private String replaceValue(String s, String value) {
        List<String> l = lines(s);
        int a = random.nextInt(l.size());
        String line = l.get(a);
        int colon = line.indexOf(": ");
        if (colon < 0) {
            return s;
        }
        l.set(a, line.substring(0, colon + 2) + value);
        return String.join("\n", l);
    }

    /** Puts an anchor on one value and an alias to it (or a merge key) in place of another. */
    private String anchorAndAlias(String s) {
        List<String> l = lines(s);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).contains(": ") || l.get(i).endsWith(":")) {
                values.add(i);
            }
        }
        if (values.size() < 2) {
            return s;
        }
        int a = values.get(random.nextInt(values.size()));
        int b = values.get(random.nextInt(values.size()));
        String name = "x" + random.nextInt(3);
        String anchored = l.get(a);
        int colon = anchored.indexOf(':');
        l.set(a, anchored.substring(0, colon + 1) + " &" + name + anchored.substring(colon + 1));
        String aliased = l.get(b);
        colon = aliased.indexOf(':');
        if (random.nextInt(4) == 0) {
            String indent = aliased.substring(0, aliased.length() - aliased.stripLeading().length());
            l.add(b + 1, indent + "  <<: *" + name);
        } else {
            l.set(b, aliased.substring(0, colon + 1) + " *" + name);
        }
        return String.join("\n", l);
    }
}
