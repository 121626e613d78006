package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the server. Handles what every such command shares: the server and
 * organisation options, {@code -o json|yaml}, and turning refusals into messages and exit codes
 * (1: the server refused the input, 4: the server could not be reached).
 */
abstract class ClientCommand implements Callable<Integer> {
    static final int SERVER_UNAVAILABLE = 4;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Mixin
    ClientOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    abstract int run(ServerClient client, PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String o = options.output;
        if (o != null && !List.of("table", "json", "yaml").contains(o)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-o must be table, json or yaml, not " + o);
        }
        try {
            return run(options.client(), spec.commandLine().getOut());
        } catch (ServerClient.Rejected r) {
            err.println("sampan: " + r.getMessage());
            r.problems.forEach(err::println);
            return SampanCommand.INVALID_INPUT;
        } catch (ServerClient.Unavailable u) {
            err.println("sampan: " + u.getMessage());
            return SERVER_UNAVAILABLE;
        }
    }

    /** Prints {@code json} as JSON or YAML when asked, else runs {@code table}. */
    void print(PrintWriter out, JsonNode json, Runnable table) throws Exception {
        if ("json".equals(options.output)) {
            out.println(ServerClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else if ("yaml".equals(options.output)) {
            out.print(YAML.writeValueAsString(json));
        } else {
            table.run();
        }
        out.flush();
    }

    /** Left-aligned columns, as kubectl prints them. */
    static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        int[] widths = new int[headers.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i) == null ? 0 : row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i) == null ? "" : row.get(i);
                line.append(i == row.size() - 1 ? cell : String.format("%-" + (widths[i] + 3) + "s", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
