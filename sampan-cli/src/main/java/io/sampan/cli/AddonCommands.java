package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sampan addons list|show|create|delete|bind|policy|catalog}: an environment's addon instances
 * (status provisioning, ready or failed with the reason). Credentials are never printed; only the
 * name of the Secret that holds them.
 */
@Command(name = "addons", description = "Addons (MySQL, Redis...) of an environment: instances, status, bindings, provider policy.",
        subcommands = {AddonCommands.ListAddons.class, AddonCommands.Show.class, AddonCommands.Create.class, AddonCommands.Delete.class,
                AddonCommands.Bind.class, AddonCommands.Policy.class, AddonCommands.Catalog.class})
final class AddonCommands implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say list, show, create, delete, bind, policy or catalog");
    }

    abstract static class EnvScoped extends ClientCommand {
        @Option(names = {"-p", "--project"}, required = true, paramLabel = "PROJECT")
        String project;

        @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV")
        String env;

        String path() {
            return options.orgPath() + "/projects/" + ServerClient.segment(project) + "/environments/" + ServerClient.segment(env);
        }

        static void rows(PrintWriter out, List<JsonNode> addons) {
            List<List<String>> rows = new ArrayList<>();
            addons.forEach(a -> rows.add(List.of(text(a, "name"), text(a, "type"), text(a, "version"), text(a, "plan"), text(a, "provider"),
                    text(a, "status"), text(a, "secret"), text(a, "reason"))));
            table(out, List.of("NAME", "TYPE", "VERSION", "PLAN", "PROVIDER", "STATUS", "SECRET", "REASON"), rows);
        }
    }

    @Command(name = "list", description = "The environment's addon instances and their status.")
    static final class ListAddons extends EnvScoped {
        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode addons = client.get(path() + "/addons");
            print(out, addons, () -> {
                List<JsonNode> all = new ArrayList<>();
                addons.forEach(all::add);
                rows(out, all);
            });
            return 0;
        }
    }

    @Command(name = "show", description = "One addon instance: where it is, its status, the apps bound to it.")
    static final class Show extends EnvScoped {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode a = client.get(path() + "/addons/" + ServerClient.segment(name));
            print(out, a, () -> {
                for (String field : List.of("name", "type", "version", "plan", "provider", "shared", "host", "port", "tls", "secret", "status",
                        "reason", "createdAt")) {
                    out.printf("%-10s %s%n", field + ":", text(a, field));
                }
                List<String> bound = new ArrayList<>();
                a.path("boundTo").forEach(b -> bound.add(b.asText()));
                out.printf("%-10s %s%n", "bound to:", String.join(", ", bound));
            });
            return 0;
        }
    }

    @Command(name = "create", description = "Create a shared instance ahead of the apps, or register an existing one with --external "
            + "(the password is read from standard input, never from the command line).")
    static final class Create extends EnvScoped {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--type", required = true, description = "mysql, postgresql, redis, rabbitmq, kafka, elasticsearch...")
        String type;

        @Option(names = "--version")
        String version;

        @Option(names = "--plan", description = "small, ha... (see sampan addons catalog)")
        String plan;

        @Option(names = "--provider", description = "template or operator (default: the environment's policy)")
        String provider;

        @Option(names = "--external", description = "register an existing instance")
        boolean external;

        @Option(names = "--host")
        String host;

        @Option(names = "--port")
        Integer port;

        @Option(names = "--username")
        String username;

        @Option(names = "--database")
        String database;

        @Option(names = "--tls")
        boolean tls;

        @Option(names = "--password-stdin", description = "read the external instance's password from the first line of standard input")
        boolean passwordStdin;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("type", type);
            body.put("version", version);
            body.put("plan", plan);
            body.put("provider", provider);
            if (external) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("host", host);
                x.put("port", port);
                x.put("username", username);
                x.put("database", database);
                x.put("tls", tls);
                if (passwordStdin) {
                    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    x.put("password", line == null ? "" : line);
                }
                body.put("external", x);
            }
            JsonNode a = client.post(path() + "/addons", body);
            print(out, a, () -> out.println("addon " + text(a, "name") + " (" + text(a, "type") + ", " + text(a, "provider") + ") created: "
                    + text(a, "status")));
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an instance; one that holds data needs --delete-data.")
    static final class Delete extends EnvScoped {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--delete-data", description = "also delete its volumes: the data is lost")
        boolean deleteData;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            client.send("DELETE", path() + "/addons/" + ServerClient.segment(name) + (deleteData ? "?deleteData=true" : ""), null);
            out.println("addon " + name + " deleted" + (deleteData ? " with its data" : ""));
            return 0;
        }
    }

    @Command(name = "bind", description = "Bind an app's addon alias to this instance from its next release on.")
    static final class Bind extends EnvScoped {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--app", required = true)
        String app;

        @Option(names = "--as", paramLabel = "ALIAS", description = "the alias in the app's spec.addons (default: NAME)")
        String alias;

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("app", app);
            body.put("alias", alias == null ? name : alias);
            JsonNode a = client.post(path() + "/addons/" + ServerClient.segment(name) + "/bindings", body);
            print(out, a, () -> out.println(app + "'s " + (alias == null ? name : alias) + " is bound to " + name));
            return 0;
        }
    }

    @Command(name = "policy", description = "Show the environment's provider per addon type, or set it: TYPE=PROVIDER... (* for every other type).")
    static final class Policy extends EnvScoped {
        @Parameters(arity = "0..*", paramLabel = "TYPE=PROVIDER")
        List<String> entries = new ArrayList<>();

        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode p;
            if (entries.isEmpty()) {
                p = client.get(path() + "/addon-policy");
            } else {
                Map<String, String> body = new LinkedHashMap<>();
                for (String e : entries) {
                    int eq = e.indexOf('=');
                    if (eq <= 0) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "say TYPE=PROVIDER (e.g. mysql=external), not " + e);
                    }
                    body.put(e.substring(0, eq), e.substring(eq + 1));
                }
                p = client.send("PUT", path() + "/addon-policy", body);
            }
            JsonNode policy = p;
            print(out, policy, () -> {
                List<List<String>> rows = new ArrayList<>();
                policy.fields().forEachRemaining(f -> rows.add(List.of(f.getKey(), f.getValue().asText())));
                table(out, List.of("TYPE", "PROVIDER"), rows);
            });
            return 0;
        }
    }

    @Command(name = "catalog", description = "The addons the platform offers: versions, plans, providers.")
    static final class Catalog extends ClientCommand {
        @Override
        int run(ServerClient client, PrintWriter out) throws Exception {
            JsonNode catalog = client.get("/api/v1/addon-catalog");
            print(out, catalog, () -> {
                List<List<String>> rows = new ArrayList<>();
                catalog.forEach(c -> {
                    List<String> versions = new ArrayList<>();
                    c.get("versions").forEach(v -> versions.add(v.asText()));
                    List<String> plans = new ArrayList<>();
                    c.get("plans").fieldNames().forEachRemaining(plans::add);
                    List<String> providers = new ArrayList<>();
                    c.get("providers").forEach(v -> providers.add(v.asText()));
                    rows.add(List.of(text(c, "type"), String.join(",", versions), String.join(",", plans), String.join(",", providers)));
                });
                table(out, List.of("TYPE", "VERSIONS", "PLANS", "PROVIDERS"), rows);
            });
            return 0;
        }
    }
}
