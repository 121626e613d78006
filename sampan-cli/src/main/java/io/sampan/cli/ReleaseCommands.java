package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sampan release approve|reject APP RELEASE -p P -e E}: decisions on a running release. */
@Command(name = "release", description = "Decide on a release: approve or reject one that waits for approval.",
        subcommands = {ReleaseCommands.Approve.class, ReleaseCommands.Reject.class})
final class ReleaseCommands implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say approve or reject");
    }

    abstract static class Decision extends ClientCommand {
        @Mixin
        AppTarget target;

        @Parameters(index = "1", paramLabel = "RELEASE")
        int release;

        abstract String verb();

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode r = client.post(target.path(options) + "/releases/" + release + "/" + verb(), null);
            print(out, r, () -> out.println(target.app + ": release " + release + " in " + target.env + " is now " + text(r, "phase")
                    + (r.path("reason").isTextual() && !"running".equals(text(r, "phase")) ? " (" + text(r, "reason") + ")" : "")));
            return 0;
        }
    }

    @Command(name = "approve", description = "Approve a release that waits for approval; it starts now.")
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
}
