package io.sampan.spec.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Turns an app.yaml into the JSON a schema validator sees, from the same tree the reader reads, so
 * that a scalar is a number, a boolean or a string exactly when the reader takes it as one.
 */
final class YamlToJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private YamlToJson() {
    }

    static JsonNode convert(String yaml) {
        return convert(YamlSource.parse(yaml, "app.yaml"));
    }

    static JsonNode convert(YamlNode node) {
        if (node instanceof YamlNode.MapNode m) {
            ObjectNode o = JSON.objectNode();
            m.entries().values().forEach(e -> o.set(e.key(), convert(e.value())));
            return o;
        }
        if (node instanceof YamlNode.ListNode l) {
            ArrayNode a = JSON.arrayNode();
            l.items().forEach(i -> a.add(convert(i)));
            return a;
        }
        YamlNode.Scalar s = (YamlNode.Scalar) node;
        return switch (s.type()) {
            case NULL -> JSON.nullNode();
            case BOOLEAN -> JSON.booleanNode(switch (s.text().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            });
            case INTEGER -> s.text().replace("_", "").matches("[-+]?[0-9]+")
                    ? JSON.numberNode(new BigInteger(s.text().replace("_", "")))
                    : JSON.textNode(s.text()); // 0x1F, 0o17, 1:30: not a number to the reader either
            case FLOAT -> s.text().matches("[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?") && s.text().matches(".*[0-9].*")
                    ? JSON.numberNode(new BigDecimal(s.text().replace("_", "")))
                    : JSON.textNode(s.text());
            case STRING -> JSON.textNode(s.text());
        };
    }
}
