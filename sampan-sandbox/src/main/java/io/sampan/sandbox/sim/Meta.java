package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Small readers and writers of object metadata shared by the controllers. */
public final class Meta {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final RandomGenerator RANDOM = new SecureRandom();

    private Meta() {
    }

    public static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    public static String namespace(JsonNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return ns.isEmpty() ? null : ns;
    }

    public static String uid(JsonNode o) {
        return o.path("metadata").path("uid").asText();
    }

    /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
    public static String key(JsonNode o) {
        String ns = namespace(o);
        return ns == null ? name(o) : ns + "/" + name(o);
    }

    public static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    public static String namespaceOfKey(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    public static String nameOfKey(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    public static Map<String, String> labels(JsonNode o) {
        return strings(o.path("metadata").path("labels"));
    }

    public static Map<String, String> strings(JsonNode map) {
        Map<String, String> m = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    public static String annotation(JsonNode o, String key) {
        JsonNode v = o.path("metadata").path("annotations").get(key);
        return v == null ? null : v.asText();
    }

    /** The uid of the object's controlling owner, or null. */
    public static String controllerUid(JsonNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("uid").asText();
            }
        }
        return null;
    }

    public static String controllerKind(JsonNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("kind").asText();
            }
        }
        return null;
    }

    /** Makes {@code owner} the controlling owner of {@code o}, blocking the owner's deletion in foreground GC. */
    public static void setController(ObjectNode o, JsonNode owner) {
        ArrayNode refs = o.with("metadata").putArray("ownerReferences");
        refs.addObject().put("apiVersion", owner.path("apiVersion").asText()).put("kind", owner.path("kind").asText())
                .put("name", name(owner)).put("uid", uid(owner)).put("controller", true).put("blockOwnerDeletion", true);
    }

    /** A random five-character suffix as Kubernetes generates them. */
    public static String suffix() {
        return suffix(5);
    }

    public static String suffix(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Encodes a number in the same safe alphabet (pod-template-hash style). */
    public static String safeEncode(long value) {
        StringBuilder b = new StringBuilder();
        long v = value & 0xffffffffL;
        do {
            b.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
            v /= ALPHABET.length();
        } while (v > 0);
        return b.toString();
    }

    /** FNV-1a, 32 bits, of the canonical JSON of a node: how templates are hashed. */
    public static long fnv32a(JsonNode node) {
        byte[] bytes = node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long h = 0x811c9dc5L;
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h = (h * 0x01000193L) & 0xffffffffL;
        }
        return h;
    }

    /** The condition of a type in {@code status.conditions}, or a missing node. */
    public static JsonNode condition(JsonNode o, String type) {
        for (JsonNode c : o.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public static boolean conditionTrue(JsonNode o, String type) {
        return "True".equals(condition(o, type).path("status").asText());
    }

    /** Whether labels match a LabelSelector ({@code matchLabels} and {@code matchExpressions}); an empty selector matches all. */
    public static boolean selects(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : strings(selector.path("matchLabels")).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode x : selector.path("matchExpressions")) {
            String key = x.path("key").asText();
            java.util.Set<String> values = new java.util.HashSet<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (x.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
