package io.sampan.compiler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import java.util.List;

/** Writes compiled objects as multi-document YAML or as a JSON {@code v1 List}; both are what kubectl applies. */
public final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build())
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Manifests() {
    }

    /** One YAML document per object, separated by {@code ---}. */
    public static String toYaml(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder(objects.size() * 2048);
        for (HasMetadata o : objects) {
            out.append("---\n");
            try {
                out.append(YAML.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + o.getKind() + " " + o.getMetadata().getName(), e);
            }
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
