package io.sampan.cli;

import picocli.CommandLine.Option;

/** Where the server is and which organisation and project a command is about. */
final class ClientOptions {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8420";

    @Option(names = "--server", paramLabel = "URL", description = "Sampan server (default: $SAMPAN_SERVER, else " + DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--org", paramLabel = "ORG", description = "organisation (default: $SAMPAN_ORG, else default)")
    String org;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml")
    String output;

    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $SAMPAN_TOKEN, else the one `sampan login` saved)")
    String token;

    ServerClient client() {
        return new ServerClient(pick(server, "SAMPAN_SERVER", "server", DEFAULT_SERVER), pick(token, "SAMPAN_TOKEN", "token", null));
    }

    String org() {
        return pick(org, "SAMPAN_ORG", "org", "default");
    }

    /** The option, else the environment variable, else what login saved, else the default. */
    private static String pick(String option, String env, String saved, String fallback) {
        if (option != null) {
            return option;
        }
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return ClientConfig.load().getProperty(saved, fallback);
    }

    String orgPath() {
        return "/api/v1/orgs/" + ServerClient.segment(org());
    }
}
