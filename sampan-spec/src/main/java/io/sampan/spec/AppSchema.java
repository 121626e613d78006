package io.sampan.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft 2020-12) of {@code app.yaml} v1: what {@code sampan schema} prints and what
 * the web console generates its forms from. It mirrors the reader's rules for structure (field names,
 * types, ranges, enums, patterns); rules across fields (references, cycles, name lengths) are the
 * reader's alone.
 */
public final class AppSchema {
    /** Classpath location of the schema. */
    public static final String RESOURCE = "/io/sampan/spec/app.schema.json";

    private AppSchema() {
    }

    /** The schema as JSON text. */
    public static String json() {
        return Text.VALUE;
    }

    private static final class Text {
        static final String VALUE = load();

        private static String load() {
            try (InputStream in = AppSchema.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the schema resource " + RESOURCE + " is missing from the build");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
