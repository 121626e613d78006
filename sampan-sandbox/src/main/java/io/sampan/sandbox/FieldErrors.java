package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's field error list: each error has a field path, a type ({@code Required value},
 * {@code Invalid value: ...}, {@code Unsupported value}, {@code Duplicate value}) and becomes one
 * {@code details.causes} entry of the 422 {@code Invalid} Status.
 */
final class FieldErrors {
    /** One field error: {@code field: body}, the cause's reason, e.g. {@code FieldValueRequired}. */
    record FieldError(String field, String reason, String body) {
        @Override
        public String toString() {
            return field + ": " + body;
        }
    }

    private final List<FieldError> errors = new ArrayList<>();

    void required(String field, String detail) {
        errors.add(new FieldError(field, "FieldValueRequired", "Required value" + (detail == null ? "" : ": " + detail)));
    }

    void invalid(String field, JsonNode value, String detail) {
        errors.add(new FieldError(field, "FieldValueInvalid", "Invalid value: " + show(value) + ": " + detail));
    }

    void invalid(String field, String value, String detail) {
        errors.add(new FieldError(field, "FieldValueInvalid", "Invalid value: \"" + value + "\": " + detail));
    }

    void unsupported(String field, String value, List<String> supported) {
        errors.add(new FieldError(field, "FieldValueNotSupported", "Unsupported value: \"" + value + "\": supported values: "
                + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList())));
    }

    void forbidden(String field, String detail) {
        errors.add(new FieldError(field, "FieldValueForbidden", "Forbidden: " + detail));
    }

    void immutable(String field, String value) {
        errors.add(new FieldError(field, "FieldValueInvalid", "Invalid value: " + value + ": field is immutable"));
    }

    void duplicate(String field, String value) {
        errors.add(new FieldError(field, "FieldValueDuplicate", "Duplicate value: \"" + value + "\""));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<FieldError> all() {
        return errors;
    }

    private static String show(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "\"" + v.asText() + "\"";
        }
        if (v.isObject() && v.isEmpty()) {
            return "{}";
        }
        if (v.isObject()) {
            // as Go prints a map[string]string
            List<String> pairs = new ArrayList<>();
            v.fields().forEachRemaining(e -> pairs.add("\"" + e.getKey() + "\":\"" + e.getValue().asText() + "\""));
            return "map[string]string{" + String.join(", ", pairs) + "}";
        }
        return v.toString();
    }

    /** The 422 answer, worded as the API server words it: {@code Deployment.apps "web" is invalid: <field>: <error>}. */
    ApiError toError(ResourceType t, String name) {
        String qualified = t.kind() + (t.group().isEmpty() ? "" : "." + t.group());
        List<String> messages = errors.stream().map(FieldError::toString).toList();
        ObjectNode details = ApiServer.JSON.createObjectNode().put("name", name).put("group", t.group()).put("kind", t.kind());
        ArrayNode causes = details.putArray("causes");
        errors.forEach(e -> causes.addObject().put("reason", e.reason()).put("message", e.body()).put("field", e.field()));
        return new ApiError(422, "Invalid", qualified + " \"" + name + "\" is invalid: "
                + (messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]")).withDetails(details);
    }
}
