package io.sampan.server.audit;

import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Short summaries of API answers for the audit log, with secrets removed: the values of fields
 * whose names say they hold one (token, secret, password, kubeconfig, credentials, private keys),
 * and any string that is a Sampan token or looks like a JWT, become {@value #REDACTED}.
 */
public final class Redaction {
    public static final String REDACTED = "[redacted]";
    static final int MAX = 2000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SECRET_FIELD = Pattern.compile("(?i).*(token|secret|password|passwd|kubeconfig|credential|private|apikey).*");
    private static final Pattern SECRET_VALUE = Pattern.compile("spn_[0-9a-f]{12}_.*|eyJ[A-Za-z0-9_-]*\\.eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+");

    private Redaction() {
    }

    /** The JSON text redacted and cut to {@value #MAX} characters; {@code null} for no content; non-JSON is not kept. */
    public static String summary(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException notJson) {
            return "(" + body.length() + " characters, not JSON)";
        }
        String text = JSON.writeValueAsString(redact(tree));
        return text.length() <= MAX ? text : text.substring(0, MAX - 3) + "...";
    }

    static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String name : java.util.List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(name);
                object.set(name, SECRET_FIELD.matcher(name).matches() && !value.isNull() ? object.stringNode(REDACTED) : redact(value));
            }
            return object;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((tools.jackson.databind.node.ArrayNode) node).set(i, redact(node.get(i)));
            }
            return node;
        }
        if (node.isString() && SECRET_VALUE.matcher(node.asString()).matches()) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(REDACTED);
        }
        return node;
    }
}
