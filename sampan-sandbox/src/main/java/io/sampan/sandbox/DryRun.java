package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The {@code dryRun} parameter: {@code All} runs a write through validation and admission and
 * answers with what would be stored, storing nothing; any other value is refused as the API server does.
 */
final class DryRun {
    private DryRun() {
    }

    static boolean requested(Map<String, String> query) {
        return query.containsKey("dryRun") && check(query.get("dryRun"));
    }

    static boolean requested(JsonNode values) {
        boolean any = false;
        if (values.isArray()) {
            for (JsonNode v : values) {
                any |= check(v.asText());
            }
        } else if (values.isTextual()) {
            any = check(values.asText());
        }
        return any;
    }

    private static boolean check(String value) {
        if (!"All".equals(value)) {
            throw ApiError.badRequest("dryRun: Unsupported value: \"" + value + "\": supported values: \"All\"");
        }
        return true;
    }
}
