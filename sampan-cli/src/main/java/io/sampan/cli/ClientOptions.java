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

    ServerClient client() {
        String url = server != null ? server : System.getenv().getOrDefault("SAMPAN_SERVER", DEFAULT_SERVER);
        return new ServerClient(url);
    }

    String org() {
        return org != null ? org : System.getenv().getOrDefault("SAMPAN_ORG", "default");
    }

    String orgPath() {
        return "/api/v1/orgs/" + ServerClient.segment(org());
    }
}
