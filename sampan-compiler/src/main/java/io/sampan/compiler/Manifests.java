package io.sampan.compiler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import java.util.List;

/** Writes compiled objects as multi-document YAML or as a JSON {@code v1 List}; both are what kubectl applies. */
public final class Manifests {
    /** Objects to trees with the same rules as JSON output; {@link YamlWriter} writes the trees. */
    private static final ObjectMapper TREE = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Manifests() {
    }

    /** One YAML document per object, separated by {@code ---}. */
    public static String toYaml(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder(objects.size() * 2048);
        for (HasMetadata o : objects) {
            out.append("---\n");
            YamlWriter.document(TREE.valueToTree(o), out);
        }
        return out.toString();
    }

    /** A {@code v1 List} holding the objects, as indented JSON. */
    public static String toJson(List<HasMetadata> objects) {
        try {
            return JSON.writeValueAsString(new KubernetesListBuilder().withItems(objects).build()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the object list", e);
        }
    }
}
