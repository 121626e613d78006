package io.sampan.spec.yaml;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses YAML text into a {@link YamlNode} tree with positions. Syntax errors, duplicate keys,
 * merge keys and non-string keys become {@link Problem}s, never exceptions of the YAML library.
 */
public final class YamlSource {
    /** Bounds that keep hostile input (alias bombs, deep nesting, huge files) from hurting us. */
    private static final int MAX_ALIASES = 50;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private YamlSource() {
    }

    /** Parses one YAML document; an empty document yields {@code null} with no problem. */
    public static YamlNode parse(String text, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with both lines
        Node root;
        try {
            Yaml yaml = new Yaml(options);
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new SpecException(List.of(Problem.error(file, "", position(mark),
                    "the file is not valid YAML: " + syntaxMessage(e),
                    "check the indentation and quoting around this line")));
        } catch (YAMLException | IllegalStateException e) {
            throw new SpecException(List.of(Problem.error(file, "", Position.UNKNOWN,
                    "the file is not valid YAML: " + firstLine(e.getMessage()),
                    "a single YAML document is expected")));
        }
        if (root == null) {
            return null;
        }
        List<Problem> problems = new ArrayList<>();
        YamlNode tree = convert(root, file, "", problems, 0);
        if (!problems.isEmpty()) {
            throw new SpecException(problems);
        }
        return tree;
    }

    private static YamlNode convert(Node node, String file, String path, List<Problem> problems, int depth) {
        Position pos = position(node.getStartMark());
        if (depth > MAX_DEPTH) {
            problems.add(Problem.error(file, path, pos, "the document is nested too deeply", null));
            return new YamlNode.Scalar(null, YamlNode.ScalarType.NULL, pos);
        }
        if (node instanceof ScalarNode s) {
            return new YamlNode.Scalar(s.getTag().equals(Tag.NULL) ? null : s.getValue(), typeOf(s), pos);
        }
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>(seq.getValue().size());
            int i = 0;
            for (Node item : seq.getValue()) {
                items.add(convert(item, file, path + "[" + i++ + "]", problems, depth + 1));
            }
            return new YamlNode.ListNode(items, pos);
        }
        MappingNode map = (MappingNode) node;
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Position keyPos = position(keyNode.getStartMark());
            if (keyNode.getTag().equals(Tag.MERGE)) {
                problems.add(Problem.error(file, path, keyPos, "YAML merge keys (<<) are not supported",
                        "write the fields out, or use spec.environments for per-environment values"));
                continue;
            }
            if (!(keyNode instanceof ScalarNode keyScalar) || keyNode.getTag().equals(Tag.NULL)) {
                problems.add(Problem.error(file, path, keyPos, "a mapping key must be a plain string", null));
                continue;
            }
            String key = keyScalar.getValue();
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode.Entry previous = entries.get(key);
            if (previous != null) {
                problems.add(Problem.error(file, childPath, keyPos,
                        "duplicate key \"" + key + "\" (first defined at line " + previous.keyPosition().line() + ")",
                        "remove one of the two"));
                continue;
            }
            entries.put(key, new YamlNode.Entry(key, keyPos,
                    convert(tuple.getValueNode(), file, childPath, problems, depth + 1)));
        }
        return new YamlNode.MapNode(entries, pos);
    }

    private static YamlNode.ScalarType typeOf(ScalarNode s) {
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return YamlNode.ScalarType.NULL;
        } else if (tag.equals(Tag.BOOL)) {
            return YamlNode.ScalarType.BOOLEAN;
        } else if (tag.equals(Tag.INT)) {
            return YamlNode.ScalarType.INTEGER;
        } else if (tag.equals(Tag.FLOAT)) {
            return YamlNode.ScalarType.FLOAT;
        }
        return YamlNode.ScalarType.STRING;
    }

    static Position position(Mark mark) {
        return mark == null ? Position.UNKNOWN : new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
        String context = e.getContext();
        return context != null ? context + ", " + problem : problem;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
