package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CRD's structural {@code openAPIV3Schema} applied to a custom resource as the API server does:
 * unknown fields are pruned (unless {@code x-kubernetes-preserve-unknown-fields}), null values of
 * non-nullable fields dropped, then types, required fields, enums, numeric bounds, lengths,
 * patterns and item counts are validated, each error with its field path and the API server's
 * wording ({@code spec.replicas: Invalid value: "three": spec.replicas in body must be of type
 * integer: "string"}). {@code apiVersion}, {@code kind} and {@code metadata} at the root are the
 * server's, not the schema's.
 */
final class StructuralSchema {
    private final JsonNode root;

    StructuralSchema(JsonNode openApiV3Schema) {
        this.root = openApiV3Schema == null || openApiV3Schema.isMissingNode() ? null : openApiV3Schema;
    }

    /** The paths of the fields {@link #prune} would remove, as {@code spec.colour}. */
    List<String> unknownFields(JsonNode object) {
        List<String> found = new ArrayList<>();
        if (root != null) {
            walk(object, root, "", true, found);
        }
        return found;
    }

    /** Removes what the schema does not declare. */
    void prune(JsonNode object) {
        if (root != null) {
            walk(object, root, "", true, null);
        }
    }

    /** Sets the schema's {@code default}s for fields absent from objects that are present (and for the root's). */
    void applyDefaults(JsonNode object) {
        if (root != null) {
            defaults(object, root);
        }
    }

    private static void defaults(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> p = it.next();
                if (!o.has(p.getKey()) && p.getValue().has("default")) {
                    o.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
                if (o.has(p.getKey())) {
                    defaults(o.get(p.getKey()), p.getValue());
                }
            }
            if (schema.path("additionalProperties").isObject()) {
                o.fields().forEachRemaining(e -> {
                    if (!schema.path("properties").has(e.getKey())) {
                        defaults(e.getValue(), schema.get("additionalProperties"));
                    }
                });
            }
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(item -> defaults(item, schema.get("items")));
        }
    }

    /** A field that breaks the schema: the field path, the cause's reason, and the message after the path. */
    record Violation(String field, String reason, String detail) {
        @Override
        public String toString() {
            return field + ": " + detail;
        }
    }

    /** The validation errors, empty when the object is valid. */
    List<Violation> validate(JsonNode object) {
        List<Violation> errors = new ArrayList<>();
        if (root == null) {
            return errors;
        }
        ObjectNode body = ((ObjectNode) object).deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        ObjectNode schema = root.deepCopy();
        if (schema.path("required").isArray()) {
            ArrayNode required = schema.putArray("required");
            root.path("required").forEach(r -> {
                if (!List.of("apiVersion", "kind", "metadata").contains(r.asText())) {
                    required.add(r);
                }
            });
        }
        check(body, schema, "", errors);
        return errors;
    }

    private static boolean preserves(JsonNode schema) {
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) || schema.path("x-kubernetes-embedded-resource").asBoolean(false)
                && schema.path("properties").isEmpty();
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /**
     * Walks {@code value} along {@code schema}: fields the schema does not declare (and does not
     * preserve) are added to {@code unknown}, or removed when {@code unknown} is null (pruning, which
     * also drops nulls the schema does not allow).
     */
    private static void walk(JsonNode value, JsonNode schema, String path, boolean atRoot, List<String> unknown) {
        if (value.isObject()) {
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (atRoot && List.of("apiVersion", "kind", "metadata").contains(e.getKey())) {
                    continue;
                }
                JsonNode s = props.get(e.getKey());
                if (s == null && additional.isObject()) {
                    s = additional;
                }
                if (s == null) {
                    if (!preserves(schema) && !(additional.isBoolean() && additional.asBoolean())) {
                        if (unknown == null) {
                            it.remove();
                        } else {
                            unknown.add(child(path, e.getKey()));
                        }
                    }
                } else if (unknown == null && e.getValue().isNull() && !s.path("nullable").asBoolean(false)) {
                    it.remove();
                } else {
                    walk(e.getValue(), s, child(path, e.getKey()), false, unknown);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), schema.get("items"), path + "[" + i + "]", false, unknown);
            }
        }
    }

    private static String typeOf(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : "null";
    }

    private static String show(JsonNode v) {
        return v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
    }

    private static boolean typeMatches(JsonNode v, String type, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return v.isTextual() || v.isIntegralNumber();
        }
        return switch (type) {
            case "" -> true;
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            default -> type.equals(typeOf(v));
        };
    }

    /** {@code PATH: Invalid value: VALUE: PATH in body RULE}, the wording of the OpenAPI validator. */
    private static void invalid(List<Violation> errors, String path, String shown, String rule) {
        errors.add(new Violation(path, "FieldValueInvalid", "Invalid value: " + shown + ": " + path + " in body " + rule));
    }

    private static void tooMany(List<Violation> errors, String path, int size, int most) {
        errors.add(new Violation(path, "FieldValueTooMany", "Too many: " + size + ": must have at most " + most + " items"));
    }

    private static void check(JsonNode v, JsonNode schema, String path, List<Violation> errors) {
        String type = schema.path("type").asText("");
        if (v.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && !type.isEmpty()) {
                invalid(errors, path, "\"null\"", "must be of type " + type + ": \"null\"");
            }
            return;
        }
        if (!typeMatches(v, type, schema)) {
            invalid(errors, path, show(v), "must be of type " + type + ": \"" + typeOf(v) + "\"");
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            List<String> supported = new ArrayList<>();
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(v) || e.isNumber() && v.isNumber() && e.decimalValue().compareTo(v.decimalValue()) == 0;
                supported.add(show(e));
            }
            if (!found) {
                errors.add(new Violation(path, "FieldValueNotSupported", "Unsupported value: " + show(v) + ": supported values: "
                        + String.join(", ", supported)));
            }
        }
        if (v.isNumber()) {
            checkBounds(v, schema, path, errors);
        }
        if (v.isTextual()) {
            int length = v.asText().codePointCount(0, v.asText().length());
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                errors.add(new Violation(path, "FieldValueTooLong", "Too long: may not be more than " + schema.get("maxLength").asInt() + " bytes"));
            }
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                invalid(errors, path, show(v), "should be at least " + schema.get("minLength").asInt() + " chars long");
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
                invalid(errors, path, show(v), "should match '" + schema.get("pattern").asText() + "'");
            }
        }
        if (v.isArray()) {
            if (schema.has("maxItems") && v.size() > schema.get("maxItems").asInt()) {
                tooMany(errors, path, v.size(), schema.get("maxItems").asInt());
            }
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
                invalid(errors, path, Integer.toString(v.size()), "should have at least " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), schema.get("items"), path + "[" + i + "]", errors);
                }
            }
        }
        if (v.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!v.has(r.asText())) {
                    errors.add(new Violation(child(path, r.asText()), "FieldValueRequired", "Required value"));
                }
            }
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode s = props.has(e.getKey()) ? props.get(e.getKey()) : additional.isObject() ? additional : null;
                if (s != null) {
                    check(e.getValue(), s, child(path, e.getKey()), errors);
                }
            }
            if (schema.has("maxProperties") && v.size() > schema.get("maxProperties").asInt()) {
                tooMany(errors, path, v.size(), schema.get("maxProperties").asInt());
            }
        }
    }

    private static void checkBounds(JsonNode v, JsonNode schema, String path, List<Violation> errors) {
        if (schema.has("minimum")) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int cmp = v.decimalValue().compareTo(schema.get("minimum").decimalValue());
            if (cmp < 0 || exclusive && cmp == 0) {
                invalid(errors, path, v.toString(), "should be greater than " + (exclusive ? "" : "or equal to ") + schema.get("minimum"));
            }
        }
        if (schema.has("maximum")) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int cmp = v.decimalValue().compareTo(schema.get("maximum").decimalValue());
            if (cmp > 0 || exclusive && cmp == 0) {
                invalid(errors, path, v.toString(), "should be less than " + (exclusive ? "" : "or equal to ") + schema.get("maximum"));
            }
        }
    }
}
