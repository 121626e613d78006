package io.sampan.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.yaml.YamlNode.ListNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import io.sampan.spec.yaml.YamlNode.Scalar;
import io.sampan.spec.yaml.YamlNode.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** YAML syntax: what is wrong and where, never an exception of the YAML library. */
class YamlSourceTest {

    private static List<String> problems(String text) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> YamlSource.parse(text, "app.yaml"));
        assertThat(e).as("expected a rejection of%n%s", text).isNotNull();
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void badIndentationIsASyntaxErrorAtTheOffendingLine() {
        String text = """
                spec:
                  services:
                    web:
                      image: a
                     port: 8080
                """;
        assertThat(problems(text)).containsExactly("""
                app.yaml:5:6: error: the file is not valid YAML: while parsing a block mapping, expected <block end>, but found '<block mapping start>'
                    hint: check the indentation and quoting around this line""");
    }

    @Test
    void unclosedFlowSequenceNamesTheEndOfTheFile() {
        assertThat(problems("a: [1, 2\n")).singleElement().asString()
                .startsWith("app.yaml:2:1: error: the file is not valid YAML: while parsing a flow sequence, expected ',' or ']'");
    }

    @Test
    void tabsInIndentationAreASyntaxError() {
        assertThat(problems("a:\n\tb: 1\n")).singleElement().asString()
                .startsWith("app.yaml:2:1: error: the file is not valid YAML: ")
                .contains("\\t");
    }

    @Test
    void aDuplicateKeyNamesBothLines() {
        String text = """
                spec:
                  services:
                    web: {image: a}
                    api: {image: b}
                    web: {image: c}
                """;
        assertThat(problems(text)).containsExactly("""
                app.yaml:5:5: error: spec.services.web: duplicate key "web" (first defined at line 3)
                    hint: remove one of the two""");
    }

    @Test
    void everyDuplicateKeyIsReported() {
        String text = """
                a: 1
                b: {x: 1, x: 2}
                a: 3
                """;
        assertThat(problems(text)).containsExactly(
                "app.yaml:2:11: error: b.x: duplicate key \"x\" (first defined at line 2)\n    hint: remove one of the two",
                "app.yaml:3:1: error: a: duplicate key \"a\" (first defined at line 1)\n    hint: remove one of the two");
    }

    @Test
    void duplicateKeysInsideListItemsHaveTheItemPath() {
        String text = """
                ports:
                  - {name: a, name: b}
                """;
        assertThat(problems(text)).singleElement().asString()
                .startsWith("app.yaml:2:15: error: ports[0].name: duplicate key \"name\" (first defined at line 2)");
    }

    @Test
    void mergeKeysAreRejectedWithAnAlternative() {
        String text = """
                base: &b {replicas: 2}
                web:
                  <<: *b
                """;
        assertThat(problems(text)).containsExactly("""
                app.yaml:3:3: error: web: YAML merge keys (<<) are not supported
                    hint: write the fields out, or use spec.environments for per-environment values""");
    }

    @Test
    void keysMustBePlainStrings() {
        assertThat(problems("? [a, b]\n: 1\n")).containsExactly("app.yaml:1:3: error: a mapping key must be a plain string");
        assertThat(problems("~: 1\n")).containsExactly("app.yaml:1:1: error: a mapping key must be a plain string");
    }

    @Test
    void severalDocumentsAreRejected() {
        assertThat(problems("a: 1\n---\nb: 2\n")).singleElement().asString()
                .startsWith("app.yaml:").contains("error: the file is not valid YAML: ");
    }

    @Test
    void aliasBombsAreStoppedWithAProblem() {
        StringBuilder text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            text.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                text.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            text.append("]\n");
        }
        assertThat(problems(text.toString())).singleElement().asString()
                .contains("error: the file is not valid YAML: ");
    }

    @Test
    void deepNestingIsStoppedWithAProblem() {
        String text = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(problems(text)).singleElement().asString()
                .startsWith("app.yaml").contains("error: the file is not valid YAML: ");
    }

    @Test
    void anEmptyDocumentIsNull() {
        assertThat(YamlSource.parse("", "app.yaml")).isNull();
        assertThat(YamlSource.parse("# only a comment\n", "app.yaml")).isNull();
    }

    @Test
    void nodesKnowTheirLineAndColumn() {
        String text = """
                spec:
                  services:
                    web:
                      port: 8080
                      command: [a, "b"]
                """;
        MapNode root = (MapNode) YamlSource.parse(text, "app.yaml");
        MapNode web = (MapNode) ((MapNode) ((MapNode) root.get("spec")).get("services")).get("web");
        assertThat(web.position()).isEqualTo(new Position(4, 7));
        assertThat(web.entries().get("port").keyPosition()).isEqualTo(new Position(4, 7));
        assertThat(web.get("port").position()).isEqualTo(new Position(4, 13));
        ListNode command = (ListNode) web.get("command");
        assertThat(command.position()).isEqualTo(new Position(5, 16));
        assertThat(command.items().get(1).position()).isEqualTo(new Position(5, 20));
        assertThat(new Position(4, 13)).hasToString("4:13");
        assertThat(Position.UNKNOWN.known()).isFalse();
    }

    @Test
    void scalarsKeepTheTypeYamlResolvedAndTheirText() {
        String text = """
                int: 8080
                float: 8.0
                quoted: "8.0"
                bool: yes
                nothing: ~
                empty:
                plain: hello
                """;
        MapNode root = (MapNode) YamlSource.parse(text, "app.yaml");
        assertThat(root.get("int")).isEqualTo(new Scalar("8080", ScalarType.INTEGER, new Position(1, 6)));
        assertThat(((Scalar) root.get("float")).type()).isEqualTo(ScalarType.FLOAT);
        assertThat(((Scalar) root.get("quoted")).type()).isEqualTo(ScalarType.STRING);
        assertThat(((Scalar) root.get("quoted")).text()).isEqualTo("8.0");
        assertThat(((Scalar) root.get("bool")).type()).isEqualTo(ScalarType.BOOLEAN);
        assertThat(((Scalar) root.get("nothing")).isNull()).isTrue();
        assertThat(((Scalar) root.get("nothing")).text()).isNull();
        assertThat(((Scalar) root.get("empty")).isNull()).isTrue();
        assertThat(root.get("plain").describe()).isEqualTo("\"hello\"");
        assertThat(root.get("int").describe()).isEqualTo("the number 8080");
        assertThat(root.get("bool").describe()).isEqualTo("the boolean yes");
        assertThat(root.get("nothing").describe()).isEqualTo("nothing (null)");
        assertThat(root.describe()).isEqualTo("a mapping");
    }

    @Test
    void longStringsAreAbbreviatedInMessages() {
        MapNode root = (MapNode) YamlSource.parse("a: " + "x".repeat(60) + "\n", "app.yaml");
        assertThat(root.get("a").describe()).isEqualTo("\"" + "x".repeat(37) + "...\"");
    }

    @Test
    void keysKeepTheirOrder() {
        MapNode root = (MapNode) YamlSource.parse("c: 1\na: 2\nb: 3\n", "app.yaml");
        assertThat(root.entries().keySet()).containsExactly("c", "a", "b");
    }
}
