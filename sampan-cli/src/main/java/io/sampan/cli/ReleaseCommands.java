package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sampan release approve|reject|promote|pause|resume|abort|retry|events APP RELEASE -p P -e E}:
 * decisions on a release and its progress.
 */
@Command(name = "release", description = "Act on a release: approve or reject it, promote it past a pause, pause, resume, abort (back to the "
        + "previous release), retry a failed one, or follow its events.",
        subcommands = {ReleaseCommands.Approve.class, ReleaseCommands.Reject.class, ReleaseCommands.Promote.class, ReleaseCommands.Pause.class,
                ReleaseCommands.Resume.class, ReleaseCommands.Abort.class, ReleaseCommands.Retry.class, ReleaseCommands.Events.class})
final class ReleaseCommands implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say approve, reject, promote, pause, resume, abort, retry or events");
    }

    abstract static class Decision extends ClientCommand {
        @Mixin
        AppTarget target;

        @Parameters(index = "1", paramLabel = "RELEASE")
        int release;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded with the release's events.")
        String reason;

        abstract String verb();

        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (reason != null) {
                body.put("reason", reason);
            }
            return body;
        }

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = body();
            JsonNode r = client.post(target.path(options) + "/releases/" + release + "/" + verb(), body.isEmpty() ? null : body);
            print(out, r, () -> {
                out.println(target.app + ": release " + release + " in " + target.env + " is now " + text(r, "phase")
                        + (r.path("reason").isTextual() && !"running".equals(text(r, "phase")) ? " (" + text(r, "reason") + ")" : ""));
                for (JsonNode c : r.path("clusters")) {
                    out.println("  " + text(c, "cluster") + ": " + text(c, "step") + (c.path("position").isTextual() ? " (" + text(c, "position") + ")" : "")
                            + " " + text(c, "message"));
                }
            });
            return 0;
        }
    }

    @Command(name = "approve", description = "Approve a release that waits for approval (it starts now) or one paused for approval after a batch.")
    static final class Approve extends Decision {
        @Override
        String verb() {
            return "approve";
        }
    }

    @Command(name = "reject", description = "Reject a release that waits for approval; it ends without touching any cluster.")
    static final class Reject extends Decision {
        @Override
        String verb() {
            return "reject";
        }
    }

    @Command(name = "promote", description = "Let a release paused after a batch go on; --full skips every pause and batch still to come.")
    static final class Promote extends Decision {
        @Option(names = "--full", description = "Skip every remaining pause and batch.")
        boolean full;

        @Override
        String verb() {
            return "promote";
        }

        @Override
        Map<String, Object> body() {
            Map<String, Object> body = super.body();
            if (full) {
                body.put("full", true);
            }
            return body;
        }
    }

    @Command(name = "pause", description = "Pause a running release: no step moves on until it is resumed.")
    static final class Pause extends Decision {
        @Override
        String verb() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Resume a paused release.")
    static final class Resume extends Decision {
        @Override
        String verb() {
            return "resume";
        }
    }

    @Command(name = "abort", description = "Abort a running release: every cluster it touched returns to the previous release.")
    static final class Abort extends Decision {
        @Override
        String verb() {
            return "abort";
        }
    }

    @Command(name = "retry", description = "Retry a failed release from the steps that failed.")
    static final class Retry extends Decision {
        @Override
        String verb() {
            return "retry";
        }
    }

    @Command(name = "events", description = "The release's events (every step change, who did what); --follow prints new ones until it ends.")
    static final class Events extends ClientCommand {
        @Mixin
        AppTarget target;

        @Parameters(index = "1", paramLabel = "RELEASE")
        int release;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new events until the release ends.")
        boolean follow;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            String path = target.path(options) + "/releases/" + release;
            long after = 0;
            while (true) {
                JsonNode events = client.get(path + "/events?after=" + after);
                if (!follow) {
                    print(out, events, () -> events.forEach(e -> out.println(line(e))));
                    return 0;
                }
                for (JsonNode e : events) {
                    out.println(line(e));
                    after = e.path("seq").asLong();
                }
                out.flush();
                String phase = text(client.get(path), "phase");
                if (!java.util.Set.of("running", "paused", "rolling-back", "awaiting-approval").contains(phase)) {
                    out.println("release " + release + " " + phase);
                    return "succeeded".equals(phase) ? 0 : 1;
                }
                Thread.sleep(1000);
            }
        }

        private static String line(JsonNode e) {
            return text(e, "at") + "  " + text(e, "actor") + "  " + (e.path("cluster").isTextual() ? text(e, "cluster") + "  " : "") + text(e, "step")
                    + "  " + text(e, "message");
        }
    }
}
