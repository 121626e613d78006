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
import picocli.CommandLine.Parameters;

/** {@code sampan webhooks add|list|deliveries}: a project's signed outbound webhooks. */
@Command(name = "webhooks", description = "A project's outbound webhooks (HMAC-SHA256 signed) and their delivery log.",
        subcommands = {WebhookCommands.Add.class, WebhookCommands.ListHooks.class, WebhookCommands.Deliveries.class})
final class WebhookCommands implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say add, list or deliveries");
    }

    abstract static class ProjectScoped extends ClientCommand {
        @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
        String project;

        String path() {
            return options.orgPath() + "/projects/" + ServerClient.segment(project) + "/webhooks";
        }
    }

    @Command(name = "add", description = "Add a webhook; prints its signing secret once when Sampan makes it.")
    static final class Add extends ProjectScoped {
        @Parameters(index = "0", paramLabel = "URL")
        String url;

        @Option(names = "--event", paramLabel = "EVENT", description = "release.started, release.step, release.succeeded, release.failed, "
                + "release.rolledback, quota.rejected, cluster.unreachable (repeatable; default all)")
        List<String> events = new ArrayList<>();

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            body.put("events", events);
            JsonNode w = client.post(path(), body);
            print(out, w, () -> {
                out.println("webhook " + text(w, "id") + " added");
                if (w.path("secret").isTextual()) {
                    out.println("signing secret (shown once): " + text(w, "secret"));
                }
            });
            return 0;
        }
    }

    @Command(name = "list", description = "The project's webhooks.")
    static final class ListHooks extends ProjectScoped {
        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode hooks = client.get(path());
            print(out, hooks, () -> {
                List<List<String>> rows = new ArrayList<>();
                hooks.forEach(h -> {
                    List<String> events = new ArrayList<>();
                    h.get("events").forEach(e -> events.add(e.asText()));
                    rows.add(List.of(text(h, "id"), text(h, "url"), String.join(",", events)));
                });
                table(out, List.of("ID", "URL", "EVENTS"), rows);
            });
            return 0;
        }
    }

    @Command(name = "deliveries", description = "A webhook's delivery log, newest first.")
    static final class Deliveries extends ProjectScoped {
        @Parameters(index = "0", paramLabel = "WEBHOOK_ID")
        String id;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode log = client.get(path() + "/" + ServerClient.segment(id) + "/deliveries");
            print(out, log, () -> {
                List<List<String>> rows = new ArrayList<>();
                log.forEach(d -> rows.add(List.of(text(d, "createdAt"), text(d, "event"), text(d, "status"), text(d, "attempts"),
                        text(d, "lastCode"), text(d, "lastError"))));
                table(out, List.of("CREATED", "EVENT", "STATUS", "ATTEMPTS", "LAST CODE", "LAST ERROR"), rows);
            });
            return 0;
        }
    }
}
