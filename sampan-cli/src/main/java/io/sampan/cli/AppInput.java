package io.sampan.cli;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f app.yaml} option shared by commands that read an app ({@code -} reads standard input). */
final class AppInput {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "APP_YAML", description = "the app.yaml to read (- for standard input)")
    String file;

    AppDocument read(InputStream stdin) {
        if (file.equals("-")) {
            try {
                return AppReader.read(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "<stdin>");
            } catch (IOException e) {
                throw new SpecException(List.of(Problem.error("<stdin>", "", null, "cannot read standard input: " + e.getMessage(), null)));
            }
        }
        return AppReader.read(Path.of(file));
    }

    /** Prints problems, errors first, and a one-line count. */
    static void print(List<Problem> problems, PrintWriter err) {
        problems.stream().filter(Problem::isError).forEach(p -> err.println(p.format()));
        problems.stream().filter(p -> !p.isError()).forEach(p -> err.println(p.format()));
        long errors = problems.stream().filter(Problem::isError).count();
        long warnings = problems.size() - errors;
        if (errors > 0) {
            err.println(errors + (errors == 1 ? " error" : " errors") + (warnings > 0 ? ", " + warnings + (warnings == 1 ? " warning" : " warnings") : ""));
        }
    }
}
