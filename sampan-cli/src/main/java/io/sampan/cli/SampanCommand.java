package io.sampan.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sampan} command. Exit codes: 0 ok, 1 invalid input or refused by the server (or a
 * release that failed), 2 usage error, 3 internal error, 4 server unreachable.
 */
@Command(name = "sampan", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = SampanCommand.Version.class,
        description = "Sampan: application-centric deployment on Kubernetes.",
        subcommands = {ValidateCommand.class, RenderCommand.class, SchemaCommand.class, AppCommands.Apply.class, AppCommands.Deploy.class,
                AppCommands.Rollback.class, AppCommands.Status.class, AppCommands.Diff.class, AppCommands.Releases.class, RegistryCommands.Clusters.class,
                RegistryCommands.Projects.class, RegistryCommands.Envs.class, RegistryCommands.Audit.class, RegistryCommands.Login.class, QuotaCommands.class, WebhookCommands.class, ReleaseCommands.class, AddonCommands.class, CommandLine.HelpCommand.class})
public final class SampanCommand implements Runnable {
    public static final int INVALID_INPUT = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SampanCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sampan: internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            if (System.getenv("SAMPAN_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("    (set SAMPAN_DEBUG=1 for details, and please report it)");
            }
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SampanCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sampan " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
