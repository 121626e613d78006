package io.sampan.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** APP, {@code --project} and {@code --env}: which app in which environment a command is about. */
final class AppTarget {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
    String project;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV")
    String env;

    String path(ClientOptions o) {
        return o.orgPath() + "/projects/" + ServerClient.segment(project) + "/apps/" + ServerClient.segment(app) + "/environments/"
                + ServerClient.segment(env);
    }
}
