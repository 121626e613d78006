package io.sampan.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Writes a JSON tree as block-style YAML, quickly: mappings and sequences indented by two, strings
 * plain when YAML would read them back as the same string, double-quoted when not, and multi-line
 * text as literal blocks. Written for Kubernetes manifests (the output of the compiler), where it is
 * several times faster than a general YAML library's emitter.
 */
final class YamlWriter {
    /** Plain scalars that YAML 1.1 or 1.2 would read as something other than a string (compared lower-cased). */
    private static final Set<String> SPECIAL = Set.of("~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf",
            "+.inf", ".nan", "<<");

    private YamlWriter() {
    }

    static void document(JsonNode node, StringBuilder out) {
        if (node.isObject() && !node.isEmpty()) {
            mapping(node, out, 0);
        } else {
            scalarOrFlow(node, out, 0);
            out.append('\n');
        }
    }

    private static void mapping(JsonNode map, StringBuilder out, int indent) {
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!first) {
                spaces(out, indent);
            }
            first = false;
            string(e.getKey(), out, indent, true);
            out.append(':');
            value(e.getValue(), out, indent);
        }
    }

    /** After {@code key:} or {@code -}: a scalar on the same line, or a nested block on the next ones. */
    private static void value(JsonNode v, StringBuilder out, int indent) {
        if (v.isObject() && !v.isEmpty()) {
            out.append('\n');
            spaces(out, indent + 2);
            mapping(v, out, indent + 2);
        } else if (v.isArray() && !v.isEmpty()) {
            out.append('\n');
            sequence(v, out, indent + 2);
        } else {
            out.append(' ');
            scalarOrFlow(v, out, indent);
            out.append('\n');
        }
    }

    private static void sequence(JsonNode list, StringBuilder out, int indent) {
        for (JsonNode item : list) {
            spaces(out, indent);
            out.append("- ");
            if (item.isObject() && !item.isEmpty()) {
                mapping(item, out, indent + 2);
            } else if (item.isArray() && !item.isEmpty()) {
                out.append('\n');
                sequence(item, out, indent + 2);
            } else {
                scalarOrFlow(item, out, indent + 2);
                out.append('\n');
            }
        }
    }

    private static void scalarOrFlow(JsonNode v, StringBuilder out, int indent) {
        if (v.isObject()) {
            out.append("{}");
        } else if (v.isArray()) {
            out.append("[]");
        } else if (v.isNull()) {
            out.append("null");
        } else if (v.isTextual()) {
            string(v.textValue(), out, indent, false);
        } else {
            out.append(v.asText());
        }
    }

    private static void string(String s, StringBuilder out, int indent, boolean key) {
        if (plain(s)) {
            out.append(s);
        } else if (!key && literalBlock(s)) {
            out.append(s.endsWith("\n") ? "|" : "|-");
            String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
            for (String line : body.split("\n", -1)) {
                out.append('\n');
                if (!line.isEmpty()) {
                    spaces(out, indent + 2);
                    out.append(line);
                }
            }
        } else {
            quoted(s, out);
        }
    }

    /** Text YAML reads back unchanged as a plain scalar in block context. */
    static boolean plain(String s) {
        if (s.isEmpty() || s.length() <= 5 && SPECIAL.contains(s.toLowerCase(java.util.Locale.ROOT)) || numberLike(s)) {
            return false;
        }
        char first = s.charAt(0);
        if ("?:,[]{}#&*!|>'\"%@`".indexOf(first) >= 0 || (first == '-' && (s.length() == 1 || s.charAt(1) == ' '))
                || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ' || s.endsWith(":")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\ufeff') {
                return false;
            }
            if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ' ' || c == '#' && s.charAt(i - 1) == ' ') {
                return false;
            }
        }
        return true;
    }

    /** Might a YAML reader take it for a number (decimal, octal, hex, binary, float, sexagesimal)? Then it is quoted. */
    private static boolean numberLike(String s) {
        int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
        }
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    /** Multi-line text that a literal block keeps exactly: no trailing spaces, tabs or control characters. */
    private static boolean literalBlock(String s) {
        if (s.indexOf('\n') < 0 || s.endsWith("\n\n") || s.startsWith(" ") || s.startsWith("\n")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\ufeff')) {
                return false;
            }
            if (c == ' ' && (i + 1 == s.length() || s.charAt(i + 1) == '\n')) {
                return false;
            }
        }
        return true;
    }

    private static void quoted(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\ufeff') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void spaces(StringBuilder out, int n) {
        for (int i = 0; i < n; i++) {
            out.append(' ');
        }
    }
}
