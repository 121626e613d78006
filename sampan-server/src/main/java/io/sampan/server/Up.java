package io.sampan.server;

import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sampan up}: Sampan on its embedded defaults, ready to try. Starts the server on an H2
 * database with an embedded sandbox cluster {@code local}, a project {@code demo} whose
 * environments {@code dev} and {@code prod} run on it, deploys a sample app to {@code dev}, prints
 * the URL and an administrator token, and logs the CLI in.
 */
public final class Up {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final ConfigurableApplicationContext server;
    private final SandboxCluster cluster;
    private final String url;
    private final String token;

    private Up(ConfigurableApplicationContext server, SandboxCluster cluster, String url, String token) {
        this.server = server;
        this.cluster = cluster;
        this.url = url;
        this.token = token;
    }

    public String url() {
        return url;
    }

    public String token() {
        return token;
    }

    /** Where the sandbox's traffic gateway answers for the Ingresses of deployed apps. */
    public String gatewayUrl() {
        return cluster == null ? null : cluster.gatewayUrl();
    }

    public void close() {
        server.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Stops the server and leaves the sandbox cluster running (a benchmark weighs the sandbox alone this way). */
    public void closeServer() {
        server.close();
    }

    /** @param sample an app.yaml to deploy to dev, or null for none */
    public static Up start(int port, Path data, Path sample) throws IOException, InterruptedException {
        return start(port, data, sample, Simulation.Options.defaults());
    }

    /** As {@link #start(int, Path, Path)}, with the sandbox cluster's nodes, clock and delays given. */
    public static Up start(int port, Path data, Path sample, Simulation.Options sandbox) throws IOException, InterruptedException {
        Files.createDirectories(data);
        SandboxCluster cluster = SandboxCluster.start("local", 0, sandbox);
        cluster.writeKubeconfig(data.resolve("local.kubeconfig"));
        return start(port, data, sample, cluster, cluster.kubeconfig());
    }

    /**
     * The server alone, its cluster {@code local} one that runs elsewhere (a sandbox in another
     * process, as a benchmark measures the server apart from the cluster it drives).
     */
    public static Up startWithCluster(int port, Path data, String kubeconfig) throws IOException, InterruptedException {
        Files.createDirectories(data);
        return start(port, data, null, null, kubeconfig);
    }

    private static Up start(int port, Path data, Path sample, SandboxCluster cluster, String kubeconfig) throws IOException, InterruptedException {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(id);
        random.nextBytes(secret);
        String token = "spn_" + HexFormat.of().formatHex(id) + "_" + HexFormat.of().formatHex(secret);
        ConfigurableApplicationContext server = SpringApplication.run(SampanServer.class, "--server.port=" + port, "--sampan.data=" + data,
                "--sampan.bootstrap-token=" + token, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--logging.level.io.sampan=INFO");
        int actual = ((WebServerApplicationContext) server).getWebServer().getPort();
        Up up = new Up(server, cluster, "http://127.0.0.1:" + actual, token);
        up.call("POST", "/api/v1/clusters", JSON.writeValueAsString(java.util.Map.of("name", "local", "kubeconfig", kubeconfig)));
        up.call("POST", "/api/v1/orgs/default/projects", "{\"name\":\"demo\",\"description\":\"the sampan up demo\"}");
        up.call("POST", "/api/v1/orgs/default/projects/demo/environments",
                "{\"name\":\"dev\",\"profile\":{\"cpuOvercommit\":2,\"domainSuffix\":\"dev.sampan.local\"},\"clusters\":[{\"cluster\":\"local\"}]}");
        up.call("POST", "/api/v1/orgs/default/projects/demo/environments",
                "{\"name\":\"prod\",\"profile\":{\"domainSuffix\":\"sampan.local\"},\"clusters\":[{\"cluster\":\"local\"}],\"deployRole\":\"maintainer\"}");
        if (sample != null) {
            JsonNode applied = up.call("POST", "/api/v1/orgs/default/projects/demo/apps", Files.readString(sample));
            String app = applied.get("revision").get("app").asString();
            String release = "/api/v1/orgs/default/projects/demo/apps/" + app + "/environments/dev/releases";
            int number = up.call("POST", release, "{\"message\":\"sampan up\"}").get("number").asInt();
            for (int i = 0; i < 60 && up.call("GET", release + "/" + number, null).get("phase").asString().equals("running"); i++) {
                Thread.sleep(250);
            }
        }
        return up;
    }

    JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException("sampan up: " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Saves server and token where the CLI's {@code sampan login} keeps them, readable by the owner only. */
    static void login(String url, String token) throws IOException {
        String home = System.getenv("SAMPAN_HOME");
        Path file = (home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".sampan")).resolve("cli.properties");
        Files.createDirectories(file.getParent());
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (var r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        p.setProperty("server", url);
        p.setProperty("token", token);
        Path tmp = Files.createTempFile(file.getParent(), "cli", ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        try (var w = Files.newBufferedWriter(tmp)) {
            p.store(w, "sampan up");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static void main(String[] args) throws Exception {
        int port = 8420;
        Path data = null;
        Path sample = null;
        boolean noSample = false;
        int nodes = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = number(args, ++i, "--port", 0, 65535);
                case "--data" -> data = Path.of(args[++i]);
                case "--sample" -> sample = Path.of(args[++i]);
                case "--no-sample" -> noSample = true;
                case "--nodes" -> nodes = number(args, ++i, "--nodes", 1, 10_000);
                default -> {
                    System.err.println("usage: sampan up [--port P] [--data DIR] [--nodes N] [--sample APP_YAML | --no-sample]");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        Path dir = data != null ? data : Files.createTempDirectory("sampan-up-");
        Simulation.Options sandbox = Simulation.Options.defaults();
        if (nodes > 0) {
            sandbox = sandbox.withNodes(NodeProfile.uniform(nodes, java.util.List.of("a", "b", "c")));
        }
        Up up = start(port, dir, noSample ? null : sample, sandbox);
        login(up.url(), up.token());
        System.out.printf("%nSampan is up at %s (%.1f s)%n", up.url(), (System.nanoTime() - started) / 1e9);
        System.out.println("  administrator token: " + up.token() + "   (the CLI is logged in with it)");
        System.out.println("  sandbox cluster 'local': kubectl --kubeconfig " + dir.resolve("local.kubeconfig") + " get deploy -A");
        System.out.println("  traffic gateway of 'local' (routes by the apps' Ingresses): curl -H 'Host: <an ingress host>' " + up.gatewayUrl() + "/");
        System.out.println("  project 'demo': environments dev and prod on 'local'");
        if (!noSample && sample != null) {
            System.out.println("  deployed " + sample + " to dev:  ./sampan status " + appName(sample) + " -p demo -e dev");
        }
        System.out.println("  data: " + dir + "   — stop with Ctrl-C");
        Runtime.getRuntime().addShutdownHook(new Thread(up::close));
        Thread.currentThread().join();
    }

    /** The option's value as a whole number within [min, max], or exit 2 with a message naming the option. */
    private static int number(String[] args, int i, String option, int min, int max) {
        String value = i < args.length ? args[i] : "";
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        System.err.println("sampan up: " + option + " expects a whole number from " + min + " to " + max + ", got '" + value + "'");
        System.exit(2);
        return 0;
    }

    private static String appName(Path sample) {
        return io.sampan.spec.read.AppReader.read(sample).name();
    }
}
