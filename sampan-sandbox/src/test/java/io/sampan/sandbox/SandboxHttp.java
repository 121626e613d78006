package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sandbox on a manual clock for the API semantics tests: plain HTTP requests with the JDK client
 * (the JSON a user's client sees), streamed watches, and kubectl with its own discovery cache.
 */
final class SandboxHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final SandboxCluster cluster;
    final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    SandboxHttp(String name, Path dir) {
        this.cluster = SandboxCluster.start(name, 0, Simulation.Options.defaults().withClock(SimClock.manual(Instant.parse("2026-12-01T10:00:00Z"))));
        this.dir = dir;
        cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    record Response(int code, JsonNode body) {
        String message() {
            return body.path("message").asText();
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    Response put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    Response patch(String path, String contentType, String body) {
        return send("PATCH", path, body, contentType);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response delete(String path, String options) {
        return send("DELETE", path, options, "application/json");
    }

    Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A watch: each event as "TYPE name", in order. */
    BlockingQueue<JsonNode> watch(String path) {
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(cluster.url() + path + (path.contains("?") ? "&" : "?") + "watch=true")).build();
        // the answer's headers come once the server has registered the watch: wait for them, so what the test does next is seen
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the watch " + path + " did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // read on a thread of its own: a blocking read in a completion stage could stall the client's selector
        Thread.ofVirtual().start(() -> {
            try {
                response.body().forEach(line -> {
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException closed) {
                // the cluster stopped
            }
        });
        return events;
    }

    static String next(BlockingQueue<JsonNode> events) throws InterruptedException {
        JsonNode e = events.poll(10, TimeUnit.SECONDS);
        return e == null ? "(nothing)" : e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText();
    }

    /** Lets the simulated controllers (the garbage collector among them) finish what they were given. */
    void settle() {
        cluster.simulation().awaitIdle();
    }

    record Run(int code, String out) {
    }

    static boolean kubectlInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    }

    Run kubectl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", dir.resolve("kubeconfig").toString(), "--cache-dir",
                dir.resolve("cache").toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl left running (as {@code get -w}): its output lines as they come. */
    record Running(Process process, BlockingQueue<String> lines) implements AutoCloseable {
        /** The next line that matches {@code regex}, or "(nothing)" after 10 s. */
        String await(String regex) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
            for (long left; (left = deadline - System.nanoTime()) > 0;) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && p.matcher(line).find()) {
                    return line;
                }
            }
            return "(nothing)";
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    Running kubectlRunning(String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", dir.resolve("kubeconfig").toString(), "--cache-dir",
                dir.resolve("cache").toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> p.inputReader(StandardCharsets.UTF_8).lines().forEach(lines::add));
            return new Running(p, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
