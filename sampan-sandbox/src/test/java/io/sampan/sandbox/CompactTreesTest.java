package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's compact trees read, change, compare and serialise as the parsed trees they copy. */
class CompactTreesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","labels":{"app":"web","tier":"front"}},
             "spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}]},
                                   {"name":"log","image":"fluent-bit:3.1","ports":[]}],"restartPolicy":"Always"},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""";

    @Test
    void aCopyIsEqualAndSerialisesTheSame() throws Exception {
        ObjectNode parsed = (ObjectNode) JSON.readTree(POD);
        CompactTrees trees = new CompactTrees();
        ObjectNode stored = trees.copy(parsed);
        assertThat(stored).isEqualTo(parsed);
        assertThat(parsed).isEqualTo(stored);
        assertThat(stored.hashCode()).isEqualTo(parsed.hashCode());
        assertThat(JSON.writeValueAsString(stored)).isEqualTo(JSON.writeValueAsString(parsed));
        assertThat(new String(((CompactTrees.Stored) stored).json(JSON), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(JSON.writeValueAsString(parsed));
        assertThat(stored.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(80);
        ObjectNode other = trees.copy((ObjectNode) JSON.readTree(POD));
        assertThat(other.at("/status/conditions/0/status")).as("repeated strings are shared").isSameAs(stored.at("/status/conditions/0/status"));
    }

    @Test
    void itChangesAsAnOrdinaryTree() throws Exception {
        ObjectNode parsed = (ObjectNode) JSON.readTree(POD);
        ObjectNode stored = new CompactTrees().copy(parsed);
        for (ObjectNode o : List.of(parsed, stored)) {
            o.with("metadata").with("labels").put("tier", "back").put("zone", "a");
            ((ObjectNode) o.get("metadata")).remove("name");
            o.remove(List.of("status"));
            Iterator<Map.Entry<String, JsonNode>> fields = o.with("spec").fields();
            while (fields.hasNext()) {
                if (fields.next().getKey().equals("restartPolicy")) {
                    fields.remove();
                }
            }
            o.put("kind", "Pod2");
        }
        assertThat(stored).isEqualTo(parsed);
        assertThat(JSON.writeValueAsString(stored)).isEqualTo(JSON.writeValueAsString(parsed));
        assertThat(stored.path("metadata").path("labels").fieldNames()).toIterable().containsExactly("app", "tier", "zone");

        ObjectNode copy = stored.deepCopy();
        copy.with("metadata").put("name", "changed");
        assertThat(stored.path("metadata").has("name")).as("a deep copy is independent").isFalse();
    }

    @Test
    void bigObjectsKeepTheirOrder() throws Exception {
        ObjectNode data = JSON.createObjectNode();
        for (int i = 0; i < 100; i++) {
            data.put("key-" + i, "value-" + i);
        }
        ObjectNode cm = JSON.createObjectNode().put("kind", "ConfigMap");
        cm.set("data", data);
        ObjectNode stored = new CompactTrees().copy(cm);
        assertThat(stored).isEqualTo(cm);
        assertThat(JSON.writeValueAsString(stored)).isEqualTo(JSON.writeValueAsString(cm));
        assertThat(stored.path("data").path("key-73").asText()).isEqualTo("value-73");
    }
}
