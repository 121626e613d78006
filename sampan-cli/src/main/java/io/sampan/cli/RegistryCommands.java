package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands about the registry: clusters, projects, environments. */
final class RegistryCommands {
    private RegistryCommands() {
    }

    @Command(name = "clusters", description = "Register, list and check Kubernetes clusters.",
            subcommands = {ClustersList.class, ClustersAdd.class, ClustersCheck.class})
    static final class Clusters implements Runnable {
        @picocli.CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "say list, add or check");
        }
    }

    static void printClusters(PrintWriter out, List<JsonNode> clusters) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode c : clusters) {
            rows.add(List.of(ClientCommand.text(c, "name"), ClientCommand.text(c, "server"), ClientCommand.text(c, "kubernetesVersion"),
                    ClientCommand.text(c, "health"), ClientCommand.text(c, "healthReason")));
        }
        ClientCommand.table(out, List.of("NAME", "SERVER", "VERSION", "HEALTH", "REASON"), rows);
    }

    @Command(name = "list", description = "List registered clusters.")
    static final class ClustersList extends ClientCommand {
        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode page = client.get("/api/v1/clusters");
            List<JsonNode> items = new ArrayList<>();
            page.get("items").forEach(items::add);
            print(out, page, () -> printClusters(out, items));
            return 0;
        }
    }

    @Command(name = "add", description = "Register a cluster from a kubeconfig file; its credentials are stored encrypted.")
    static final class ClustersAdd extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--kubeconfig", required = true, paramLabel = "FILE")
        Path kubeconfig;

        @Option(names = "--context", paramLabel = "CONTEXT", description = "context to use (default: the current one)")
        String context;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            if (!Files.isReadable(kubeconfig)) {
                spec.commandLine().getErr().println(kubeconfig + ": error: cannot read the kubeconfig file");
                return SampanCommand.INVALID_INPUT;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("kubeconfig", Files.readString(kubeconfig));
            body.put("context", context);
            JsonNode c = client.post("/api/v1/clusters", body);
            JsonNode checked = client.post("/api/v1/clusters/" + ServerClient.segment(name) + "/check", null);
            print(out, checked, () -> printClusters(out, List.of(checked)));
            return c.isNull() ? SampanCommand.INTERNAL_ERROR : 0;
        }
    }

    @Command(name = "check", description = "Check that a cluster answers, and say why not.")
    static final class ClustersCheck extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode c = client.post("/api/v1/clusters/" + ServerClient.segment(name) + "/check", null);
            print(out, c, () -> printClusters(out, List.of(c)));
            return "reachable".equals(c.path("health").asText()) ? 0 : SampanCommand.INVALID_INPUT;
        }
    }

    @Command(name = "login", description = "Check a server and token, and remember them (in $SAMPAN_HOME/cli.properties, owner-only). "
            + "With --id-token, log in through the server's OIDC provider: the ID token is traded for a Sampan API token, which is remembered.")
    static final class Login extends ClientCommand {
        @Option(names = "--id-token", paramLabel = "JWT", description = "an ID token from the OIDC provider the server trusts "
                + "(see GET /api/v1/login/oidc for its issuer and client id)")
        String idToken;

        @Option(names = "--valid-days", paramLabel = "DAYS", defaultValue = "30", description = "how long the API token traded for an ID token lasts")
        int validDays;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            String token = options.token;
            if (idToken != null) {
                JsonNode issued = new ServerClient(client.server(), idToken.strip()).post("/api/v1/tokens",
                        Map.of("name", "sampan login (OIDC)", "validDays", validDays));
                token = issued.get("token").asText();
                client = new ServerClient(client.server(), token);
            }
            JsonNode me = client.get("/api/v1/whoami");
            java.util.Properties saved = ClientConfig.load();
            saved.setProperty("server", client.server());
            if (token != null) {
                saved.setProperty("token", token);
            }
            if (options.org != null) {
                saved.setProperty("org", options.org);
            }
            ClientConfig.save(saved);
            out.println("logged in to " + client.server() + " as " + me.get("name").asText() + (me.get("admin").asBoolean() ? " (administrator)" : ""));
            return 0;
        }
    }

    @Command(name = "audit", description = "The audit log: every change made through the API, newest first, with what it changed "
            + "(-o json shows the before and after summaries).")
    static final class Audit extends ClientCommand {
        @Option(names = "--since", paramLabel = "INSTANT", description = "only events at or after this time (ISO-8601, e.g. 2026-11-24T10:00:00Z)")
        String since;

        @Option(names = "--until", paramLabel = "INSTANT", description = "only events before this time")
        String until;

        @Option(names = "--actor", paramLabel = "USER", description = "only changes by this user")
        String actor;

        @Option(names = {"-p", "--project"}, paramLabel = "PROJECT", description = "only changes in this project (of --org); "
                + "a project's maintainers may read its part")
        String project;

        @Option(names = "--action", paramLabel = "METHOD", description = "POST, PUT, PATCH, DELETE, or LOGIN (users made or linked by an OIDC login)")
        String action;

        @Option(names = "--path", paramLabel = "TEXT", description = "only changes whose target path contains this, e.g. /environments/prod")
        String path;

        @Option(names = "--outcome", paramLabel = "OUTCOME", description = "succeeded, refused or failed")
        String outcome;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100")
        int limit;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            StringBuilder query = new StringBuilder("?limit=" + limit);
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("since", since);
            filters.put("until", until);
            filters.put("actor", actor);
            filters.put("action", action);
            filters.put("path", path);
            filters.put("outcome", outcome);
            filters.forEach((k, v) -> {
                if (v != null) {
                    query.append('&').append(k).append('=').append(ServerClient.segment(v));
                }
            });
            String where = project == null ? "/api/v1/audit" : options.orgPath() + "/projects/" + ServerClient.segment(project) + "/audit";
            JsonNode events = client.get(where + query);
            print(out, events, () -> {
                List<List<String>> rows = new ArrayList<>();
                events.forEach(e -> rows.add(List.of(text(e, "at"), text(e, "actor"), text(e, "action"), text(e, "target"), text(e, "status"),
                        text(e, "outcome"), text(e, "detail"))));
                table(out, List.of("TIME", "ACTOR", "ACTION", "TARGET", "STATUS", "OUTCOME", "MESSAGE"), rows);
            });
            return 0;
        }
    }

    @Command(name = "projects", description = "List the organisation's projects, or create one with --create.")
    static final class Projects extends ClientCommand {
        @Option(names = "--create", paramLabel = "NAME", description = "create a project of this name")
        String create;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            if (create != null) {
                JsonNode p = client.post(options.orgPath() + "/projects", Map.of("name", create));
                print(out, p, () -> out.println("project " + p.get("name").asText() + " created"));
                return 0;
            }
            JsonNode page = client.get(options.orgPath() + "/projects");
            print(out, page, () -> {
                List<List<String>> rows = new ArrayList<>();
                page.get("items").forEach(p -> rows.add(List.of(text(p, "name"), text(p, "description"), text(p, "createdAt"))));
                table(out, List.of("NAME", "DESCRIPTION", "CREATED"), rows);
            });
            return 0;
        }
    }

    @Command(name = "envs", description = "List a project's environments, or create one with --create.")
    static final class Envs extends ClientCommand {
        @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
        String project;

        @Option(names = "--create", paramLabel = "NAME", description = "create an environment of this name")
        String create;

        @Option(names = "--cluster", paramLabel = "CLUSTER[:NAMESPACE[:WEIGHT]]", description = "bind the new environment to a cluster (repeatable)")
        List<String> clusters = new ArrayList<>();

        @Option(names = "--cpu-overcommit", paramLabel = "RATIO", description = "request = limit / ratio (default 1)")
        Double cpuOvercommit;

        @Option(names = "--memory-overcommit", paramLabel = "RATIO", description = "request = limit / ratio (default 1; above 1 needs "
                + "--allow-memory-overcommit)")
        Double memoryOvercommit;

        @Option(names = "--allow-memory-overcommit", description = "accept that memory overcommit can get pods OOM-killed when nodes fill up")
        boolean allowMemoryOvercommit;

        @Option(names = "--gateway", paramLabel = "[NAMESPACE/]NAME", description = "expose services by Gateway API HTTPRoutes attached to this "
                + "Gateway instead of Ingresses (canaries then route by HTTPRoute weights)")
        String gateway;

        @Option(names = "--prometheus", paramLabel = "URL", description = "the Prometheus release gates of this environment query")
        String prometheus;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            String path = options.orgPath() + "/projects/" + ServerClient.segment(project) + "/environments";
            if (create != null) {
                List<Map<String, Object>> bindings = new ArrayList<>();
                for (String c : clusters) {
                    String[] parts = c.split(":");
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("cluster", parts[0]);
                    b.put("namespace", parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null);
                    b.put("weight", parts.length > 2 ? Integer.parseInt(parts[2]) : 1);
                    bindings.add(b);
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", create);
                body.put("clusters", bindings);
                Map<String, Object> profile = new LinkedHashMap<>();
                if (cpuOvercommit != null) {
                    profile.put("cpuOvercommit", cpuOvercommit);
                }
                if (memoryOvercommit != null) {
                    profile.put("memoryOvercommit", memoryOvercommit);
                    profile.put("allowMemoryOvercommit", allowMemoryOvercommit);
                    if (memoryOvercommit > 1 && allowMemoryOvercommit) {
                        spec.commandLine().getErr().println("warning: memory overcommit " + memoryOvercommit
                                + ": pods ask for less memory than their limits and may be OOM-killed when nodes fill up");
                    }
                }
                if (gateway != null) {
                    profile.put("gateway", gateway);
                }
                if (prometheus != null) {
                    profile.put("prometheus", prometheus);
                }
                if (!profile.isEmpty()) {
                    body.put("profile", profile);
                }
                JsonNode e = client.post(path, body);
                print(out, e, () -> out.println("environment " + e.get("name").asText() + " created"));
                return 0;
            }
            JsonNode page = client.get(path);
            print(out, page, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode e : page.get("items")) {
                    List<String> bound = new ArrayList<>();
                    e.get("clusters").forEach(b -> bound.add(text(b, "cluster") + ":" + text(b, "namespace") + "×" + text(b, "weight")));
                    rows.add(List.of(text(e, "name"), String.join(", ", bound), "cpu=" + e.path("profile").path("cpuOvercommit").asText()
                            + " memory=" + e.path("profile").path("memoryOvercommit").asText()));
                }
                table(out, List.of("NAME", "CLUSTERS", "OVERCOMMIT"), rows);
            });
            return 0;
        }
    }
}
