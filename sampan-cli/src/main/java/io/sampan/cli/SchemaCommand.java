package io.sampan.cli;

import io.sampan.spec.AppSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "schema", description = "Print the JSON Schema of app.yaml (apiVersion sampan.io/v1).")
final class SchemaCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String schema = AppSchema.json();
        spec.commandLine().getOut().print(schema.endsWith("\n") ? schema : schema + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
