package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.AppSpec;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import java.util.List;

/** Reading test documents the way the CLI does, and looking at problems the way a user sees them. */
final class Docs {
    static final String FILE = "app.yaml";

    private Docs() {
    }

    /**
     * A document whose first four lines are the envelope ({@code apiVersion}, {@code kind},
     * {@code metadata: {name: shop}}, {@code spec:}), so {@code spec} starts on line 5.
     */
    static String app(String spec) {
        return "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n" + spec.indent(2);
    }

    /**
     * A document with one service {@code web} (its {@code image} on line 7) followed by {@code fields},
     * the first of which is on line 8, column 7.
     */
    static String web(String fields) {
        return app("services:\n  web:\n    image: registry.local/shop/web:1.4.2\n" + fields.indent(4));
    }

    /** Every problem (errors and warnings) of the base, including those found while reading the file. */
    static List<Problem> problems(String yaml) {
        return problems(yaml, null);
    }

    static List<Problem> problems(String yaml, String environment) {
        try {
            return AppReader.read(yaml, FILE).resolveWithProblems(environment).problems();
        } catch (SpecException e) {
            return e.problems();
        }
    }

    static List<Problem> errors(String yaml) {
        return problems(yaml).stream().filter(Problem::isError).toList();
    }

    /** The errors {@code sampan validate} reports: of the base and of every declared environment. */
    static List<Problem> errorsInAnyEnvironment(String yaml) {
        List<Problem> all;
        try {
            all = AppReader.read(yaml, FILE).validateAll();
        } catch (SpecException e) {
            all = e.problems();
        }
        return all.stream().filter(Problem::isError).toList();
    }

    /** What the user sees for each problem, as {@code sampan validate} prints it. */
    static List<String> formatted(List<Problem> problems) {
        return problems.stream().map(Problem::format).toList();
    }

    static List<String> formattedErrors(String yaml) {
        return formatted(errors(yaml));
    }

    /** The first line of each formatted error (without the hint). */
    static List<String> errorLines(String yaml) {
        return formattedErrors(yaml).stream().map(s -> s.lines().findFirst().orElseThrow()).toList();
    }

    /** The single error of a document that must have exactly one. */
    static Problem onlyError(String yaml) {
        List<Problem> errors = errors(yaml);
        assertThat(formatted(errors)).as("errors of%n%s", yaml).hasSize(1);
        return errors.get(0);
    }

    static AppSpec resolve(String yaml) {
        return resolve(yaml, null);
    }

    static AppSpec resolve(String yaml, String environment) {
        return AppReader.read(yaml, FILE).resolve(environment);
    }
}
