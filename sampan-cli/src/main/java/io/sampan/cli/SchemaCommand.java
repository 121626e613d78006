package io.sampan.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "schema", description = "Print the JSON Schema of app.yaml (apiVersion sampan.io/v1).")
final class SchemaCommand implements Callable<Integer> {
    static final String RESOURCE = "/io/sampan/spec/app.schema.json";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (InputStream in = SchemaCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the schema resource " + RESOURCE + " is missing from the build");
            }
            spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
