package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands about apps: apply, deploy, rollback, status, releases. */
final class AppCommands {
    private AppCommands() {
    }

    @Command(name = "apply", description = "Store an app.yaml as a new revision of its app (nothing is stored when it is unchanged).")
    static final class Apply extends ClientCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "APP_YAML")
        Path file;

        @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
        String project;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "why (kept with the revision)")
        String message;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            String yaml;
            try {
                yaml = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println(file + ": error: no such file");
                return SampanCommand.INVALID_INPUT;
            }
            JsonNode r = client.postYaml(options.orgPath() + "/projects/" + ServerClient.segment(project) + "/apps", yaml, message);
            for (JsonNode w : r.path("warnings")) {
                spec.commandLine().getErr().println("warning: " + w.path("field").asText() + ": " + w.path("message").asText());
            }
            JsonNode rev = r.get("revision");
            print(out, r, () -> out.println(rev.get("app").asText() + ": " + (r.get("created").asBoolean()
                    ? "revision " + rev.get("number").asInt() + " created" : "unchanged (revision " + rev.get("number").asInt() + ")")));
            return 0;
        }
    }

    /** Shared by deploy and rollback: start a release, then optionally follow it to the end. */
    abstract static class ReleaseStarter extends ClientCommand {
        @picocli.CommandLine.Mixin
        AppTarget target;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT")
        String message;

        @Option(names = "--supersede", description = "stop a release of this app that is still running in this environment")
        boolean supersede;

        @Option(names = "--wait", description = "follow the release until it succeeds or fails (exit 1 on failure)")
        boolean wait;

        abstract Map<String, Object> request();

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>(request());
            body.put("message", message);
            body.put("supersede", supersede);
            String path = target.path(options) + "/releases";
            JsonNode r = client.post(path, body);
            int number = r.get("number").asInt();
            if (!wait) {
                print(out, r, () -> out.println(target.app + ": release " + number + " started in " + target.env + " (revision "
                        + r.get("revision").asInt() + ")"));
                return 0;
            }
            out.println(target.app + ": release " + number + " started in " + target.env + " (revision " + r.get("revision").asInt() + ")");
            out.flush();
            return Follow.release(client, path + "/" + number, out, this::pause);
        }

        void pause() throws InterruptedException {
            Thread.sleep(1000);
        }
    }

    @Command(name = "deploy", description = "Release an app revision (the latest by default) to an environment.")
    static final class Deploy extends ReleaseStarter {
        @Option(names = "--revision", paramLabel = "N")
        Integer revision;

        @Override
        Map<String, Object> request() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("revision", revision);
            return m;
        }
    }

    @Command(name = "rollback", description = "Re-apply exactly what an earlier release applied, as a new release.")
    static final class Rollback extends ReleaseStarter {
        @Option(names = "--to", required = true, paramLabel = "RELEASE")
        int to;

        @Override
        Map<String, Object> request() {
            return Map.of("rollbackTo", to);
        }
    }

    /** Prints a release's progress as it changes, until it ends. */
    static final class Follow {
        interface Pause {
            void pause() throws InterruptedException;
        }

        static int release(ServerClient client, String path, PrintWriter out, Pause pause) throws InterruptedException {
            Map<String, String> last = new LinkedHashMap<>();
            while (true) {
                JsonNode r = client.get(path);
                for (JsonNode c : r.get("clusters")) {
                    String line = c.get("step").asText() + ": " + c.get("message").asText();
                    if (!Objects.equals(last.put(c.get("cluster").asText(), line), line)) {
                        out.println("  " + c.get("cluster").asText() + "  " + line);
                        out.flush();
                    }
                }
                String phase = r.get("phase").asText();
                if (!phase.equals("running")) {
                    out.println(phase.equals("succeeded") ? "release " + r.get("number").asInt() + " succeeded"
                            : "release " + r.get("number").asInt() + " failed: " + r.path("reason").asText());
                    out.flush();
                    return phase.equals("succeeded") ? 0 : SampanCommand.INVALID_INPUT;
                }
                pause.pause();
            }
        }
    }

    @Command(name = "status", description = "Where an app stands in an environment: its release and each cluster.")
    static final class Status extends ClientCommand {
        @picocli.CommandLine.Mixin
        AppTarget target;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode s = client.get(target.path(options) + "/status");
            print(out, s, () -> {
                JsonNode r = s.get("release");
                if (r == null || r.isNull()) {
                    out.println(target.app + " has not been released to " + target.env);
                    return;
                }
                out.println(target.app + " in " + target.env + ": release " + r.get("number").asInt() + " (revision " + r.get("revision").asInt() + ") "
                        + r.get("phase").asText() + (r.path("reason").isTextual() ? ": " + r.get("reason").asText() : ""));
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode c : r.get("clusters")) {
                    rows.add(List.of(text(c, "cluster"), text(c, "namespace"), text(c, "step"), text(c, "message")));
                }
                table(out, List.of("CLUSTER", "NAMESPACE", "STEP", "MESSAGE"), rows);
                List<List<String>> services = new ArrayList<>();
                List<List<String>> pods = new ArrayList<>();
                for (JsonNode c : s.path("clusters")) {
                    if (c.path("error").isTextual()) {
                        out.println("cluster " + text(c, "cluster") + ": " + text(c, "error"));
                        continue;
                    }
                    for (JsonNode svc : c.path("services")) {
                        services.add(List.of(text(svc, "name"), text(c, "cluster"), text(svc, "ready") + "/" + text(svc, "desired"), text(svc, "updated")));
                    }
                    for (JsonNode p : c.path("pods")) {
                        String state = p.path("waiting").isTextual() ? text(p, "waiting") : text(p, "phase");
                        pods.add(List.of(text(p, "name"), text(p, "service"), state, p.path("ready").asBoolean() ? "yes" : "no", text(p, "restarts"),
                                text(p, "node"), text(p, "zone"), text(p, "age")));
                    }
                }
                if (!services.isEmpty()) {
                    out.println();
                    table(out, List.of("SERVICE", "CLUSTER", "READY", "UPDATED"), services);
                }
                if (!pods.isEmpty()) {
                    out.println();
                    table(out, List.of("POD", "SERVICE", "STATUS", "READY", "RESTARTS", "NODE", "ZONE", "AGE"), pods);
                }
            });
            return 0;
        }
    }

    @Command(name = "diff", description = "What deploying a revision (the latest by default) would change in each cluster.")
    static final class Diff extends ClientCommand {
        @picocli.CommandLine.Mixin
        AppTarget target;

        @Option(names = "--revision", paramLabel = "N")
        Integer revision;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode d = client.get(target.path(options) + "/diff" + (revision == null ? "" : "?revision=" + revision));
            print(out, d, () -> {
                for (JsonNode c : d.get("clusters")) {
                    out.println("cluster " + text(c, "cluster") + " (namespace " + text(c, "namespace") + "):");
                    if (c.path("error").isTextual()) {
                        out.println("  cannot compare: " + text(c, "error"));
                        continue;
                    }
                    if (c.get("changes").isEmpty()) {
                        out.println("  no changes");
                    }
                    for (JsonNode ch : c.get("changes")) {
                        String sign = switch (ch.get("action").asText()) {
                            case "CREATE" -> "+";
                            case "DELETE" -> "-";
                            default -> "~";
                        };
                        out.println("  " + sign + " " + text(ch, "kind") + "/" + text(ch, "name"));
                        for (JsonNode f : ch.path("fields")) {
                            out.println("      " + f.asText());
                        }
                    }
                }
            });
            return 0;
        }
    }

    @Command(name = "releases", description = "The releases of an app in an environment, newest first.")
    static final class Releases extends ClientCommand {
        @picocli.CommandLine.Mixin
        AppTarget target;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode page = client.get(target.path(options) + "/releases");
            print(out, page, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode r : page.get("items")) {
                    rows.add(List.of(text(r, "number"), text(r, "revision"), text(r, "phase"),
                            r.path("rollbackOf").isNull() || r.path("rollbackOf").isMissingNode() ? "" : "rollback to " + text(r, "rollbackOf"),
                            text(r, "createdAt"), text(r, "message")));
                }
                table(out, List.of("RELEASE", "REVISION", "PHASE", "KIND", "CREATED", "MESSAGE"), rows);
            });
            return 0;
        }
    }
}
