package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sampan quota set|show}: quotas of the organisation, a project or an environment, and their usage. */
@Command(name = "quota", description = "Set and show quotas (counted on limits) with usage and the overcommit saving.",
        subcommands = {QuotaCommands.Set.class, QuotaCommands.Show.class, QuotaCommands.Usage.class})
final class QuotaCommands implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say set, show or usage");
    }

    abstract static class Scoped extends ClientCommand {
        @Option(names = {"-p", "--project"}, paramLabel = "PROJECT", description = "a project's quota (default: the organisation's)")
        String project;

        @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "an environment's quota (needs --project)")
        String env;

        String path() {
            if (env != null && project == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--env needs --project");
            }
            String p = options.orgPath();
            if (project != null) {
                p += "/projects/" + ServerClient.segment(project);
            }
            if (env != null) {
                p += "/environments/" + ServerClient.segment(env);
            }
            return p + "/quota";
        }

        void show(PrintWriter out, JsonNode rows) throws Exception {
            print(out, rows, () -> {
                List<List<String>> table = new ArrayList<>();
                for (JsonNode r : rows) {
                    table.add(List.of(text(r, "cluster"), text(r, "cpuLimits") + " / " + or(text(r, "cpuQuota")), text(r, "cpuRequests"),
                            text(r, "cpuSavedByOvercommit"), text(r, "memoryLimits") + " / " + or(text(r, "memoryQuota")), text(r, "memoryRequests"),
                            text(r, "memorySavedByOvercommit"), text(r, "instances") + " / " + or(text(r, "instancesQuota")), text(r, "storage") + " / " + or(text(r, "storageQuota"))));
                }
                out.println(rows.isEmpty() ? "" : text(rows.get(0), "scope") + ":");
                table(out, List.of("CLUSTER", "CPU LIMITS/QUOTA", "CPU REQUESTS", "CPU SAVED", "MEMORY LIMITS/QUOTA", "MEMORY REQUESTS",
                        "MEMORY SAVED", "INSTANCES", "STORAGE"), table);
            });
        }

        private static String or(String quota) {
            return quota.isEmpty() ? "-" : quota;
        }
    }

    @Command(name = "set", description = "Set a quota; figures left out are not limited.")
    static final class Set extends Scoped {
        @Option(names = "--cluster", paramLabel = "CLUSTER", description = "for one cluster (default: all clusters together)")
        String cluster;

        @Option(names = "--cpu", paramLabel = "CORES")
        String cpu;

        @Option(names = "--memory", paramLabel = "AMOUNT")
        String memory;

        @Option(names = "--instances", paramLabel = "N")
        Integer instances;

        @Option(names = "--storage", paramLabel = "AMOUNT")
        String storage;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cpu", cpu);
            body.put("memory", memory);
            body.put("instances", instances);
            body.put("storage", storage);
            body.put("cluster", cluster);
            show(out, client.send("PUT", path(), body));
            return 0;
        }
    }

    @Command(name = "show", description = "Show quotas and usage: limits, requests and what overcommit saves.")
    static final class Show extends Scoped {
        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            show(out, client.get(path()));
            return 0;
        }
    }

    @Command(name = "usage", description = "A project's usage app by app: limits next to the effective requests, and what overcommit saves.")
    static final class Usage extends ClientCommand {
        @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
        String project;

        @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "only this environment")
        String env;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode usage = client.get(options.orgPath() + "/projects/" + ServerClient.segment(project) + "/usage");
            usage.path("warnings").forEach(w -> spec.commandLine().getErr().println("warning: " + w.asText()));
            print(out, usage, () -> {
                List<List<String>> table = new ArrayList<>();
                for (JsonNode a : usage.path("apps")) {
                    if (env == null || env.equals(text(a, "environment"))) {
                        table.add(List.of(text(a, "app"), text(a, "environment"), text(a, "cluster"), text(a, "cpuLimits"), text(a, "cpuRequests"),
                                text(a, "cpuSavedByOvercommit"), text(a, "memoryLimits"), text(a, "memoryRequests"), text(a, "memorySavedByOvercommit"),
                                text(a, "instances"), text(a, "storage")));
                    }
                }
                table(out, List.of("APP", "ENV", "CLUSTER", "CPU LIMITS", "CPU REQUESTS", "CPU SAVED", "MEMORY LIMITS", "MEMORY REQUESTS",
                        "MEMORY SAVED", "INSTANCES", "STORAGE"), table);
            });
            return 0;
        }
    }
}
