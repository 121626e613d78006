package io.sampan.spec.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each value stood in the source, so that every
 * problem found later can name the line and column.
 */
public sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {

    Position position();

    /** What a user would call this kind of value, for messages: "a mapping", "a list", "a string"... */
    String describe();

    /** A mapping; keys keep their order and their own positions. */
    record MapNode(Map<String, Entry> entries, Position position) implements YamlNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Entry(String key, Position keyPosition, YamlNode value) {
    }

    record ListNode(List<YamlNode> items, Position position) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar with its text and the type YAML resolved it to. {@code null} text means YAML null
     * ({@code ~}, {@code null} or nothing).
     */
    record Scalar(String text, ScalarType type, Position position) implements YamlNode {
        public boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String describe() {
            return switch (type) {
                case NULL -> "nothing (null)";
                case BOOLEAN -> "the boolean " + text;
                case INTEGER -> "the number " + text;
                case FLOAT -> "the number " + text;
                case STRING -> "\"" + abbreviate(text) + "\"";
            };
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }
    }

    enum ScalarType { NULL, BOOLEAN, INTEGER, FLOAT, STRING }
}
