package io.sampan.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Whatever strings and shapes go in, a YAML reader reads back exactly the same tree. */
class YamlWriterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TRICKY = List.of("", " ", "true", "True", "no", "y", "N", "on", "null", "~", "0", "007", "0x1F", "1e3", "1.4.2",
            "-1", "+1", ".5", ".inf", "-.Inf", ".NaN", "<<", "-", "- x", "-Xmx512m", "--concurrency", "a: b", "a:b", "a #b", "a#b", "#x", "key:",
            "@x", "`x", "!tag", "&a", "*a", "|", ">", "'q'", "\"q\"", "%x", "[a]", "{a}", "a, b", "?", "? x", "multi\nline", "multi\nline\n",
            "trailing \nspace", "tab\there", "\nleading", "end\n\n", " lead", "trail ", "ünïcödé ✓", "line\r\nbreak", "\u0007bell",
            "back\\slash", "http://shop-api", "cpu=2,memory=1", "0 2 * * *", "/app/config/application.yaml", "a\"b'c", "2026-11-24");

    static JsonNode reread(String yaml) throws Exception {
        Object loaded = new Yaml(new LoaderOptions()).load(yaml);
        return JSON.valueToTree(loaded);
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        YamlWriter.document(node, out);
        return out.toString();
    }

    @Test
    void trickyStringsReadBackAsThemselves() throws Exception {
        for (String s : TRICKY) {
            ObjectNode doc = JSON.createObjectNode();
            doc.put("value", s);
            doc.put(s.isEmpty() ? "empty" : s, "as key");
            doc.putArray("list").add(s).add(s);
            doc.putObject("nested").putObject("deeper").put("v", s);
            String yaml = write(doc);
            assertThat(reread(yaml)).as("%s written as:%n%s", s, yaml).isEqualTo(doc);
        }
    }

    @Test
    void randomTreesReadBackAsThemselves() throws Exception {
        Random random = new Random(20261124);
        String alphabet = "ab09 :-#\n\t\"'\\{}[],&*!|>%@`?.~yYnN\u00e9\u2713\r";
        for (int i = 0; i < 2000; i++) {
            JsonNode tree = randomNode(random, alphabet, 0);
            ObjectNode doc = JSON.createObjectNode();
            doc.set("root", tree);
            String yaml = write(doc);
            assertThat(reread(yaml)).as("case %d:%n%s", i, yaml).isEqualTo(doc);
        }
    }

    private static JsonNode randomNode(Random r, String alphabet, int depth) {
        int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0:
                return JSON.getNodeFactory().numberNode(r.nextInt(2000) - 1000);
            case 1:
                return JSON.getNodeFactory().booleanNode(r.nextBoolean());
            case 2:
            case 3: {
                StringBuilder sb = new StringBuilder();
                for (int k = r.nextInt(12); k > 0; k--) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                return JSON.getNodeFactory().textNode(sb.toString());
            }
            case 4: {
                ArrayNode a = JSON.createArrayNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    a.add(randomNode(r, alphabet, depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode o = JSON.createObjectNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    o.set("k" + r.nextInt(100) + (r.nextBoolean() ? ":x" : ""), randomNode(r, alphabet, depth + 1));
                }
                return o;
            }
        }
    }
}
