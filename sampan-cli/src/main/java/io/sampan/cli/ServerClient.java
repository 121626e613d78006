package io.sampan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The CLI's view of the Sampan REST API: JSON in and out, problem documents turned into messages. */
final class ServerClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String server;
    private final String token;

    ServerClient(String server, String token) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    String server() {
        return server;
    }

    /** The server refused the request; {@code problems} lists field errors when it gave any. */
    static final class Rejected extends RuntimeException {
        final int status;
        final List<String> problems;

        Rejected(int status, String detail, List<String> problems) {
            super(detail);
            this.status = status;
            this.problems = problems;
        }
    }

    /** The server could not be reached at all. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    JsonNode post(String path, Object body) {
        try {
            return send("POST", path, "application/json", body == null ? "{}" : JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode send(String method, String path, Object body) {
        try {
            return send(method, path, "application/json", JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode postYaml(String path, String yaml, String message) {
        return send("POST", path, "application/yaml", yaml, message);
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body, null);
    }

    private JsonNode send(String method, String path, String contentType, String body, String message) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (message != null) {
            b.header("X-Sampan-Message", message);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Unavailable("cannot reach the Sampan server at " + server + " (connection refused): is it running? Start one with `sampan up`");
        } catch (IOException e) {
            throw new Unavailable("cannot reach the Sampan server at " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        JsonNode json;
        try {
            json = r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Unavailable("the server at " + server + " did not answer with JSON (HTTP " + r.statusCode() + "): is it a Sampan server?");
        }
        if (r.statusCode() == 401) {
            throw new Rejected(401, json.path("detail").asText("not authenticated") + (token == null ? "; log in with `sampan login --token TOKEN`"
                    : "; get a new token and `sampan login` again"), List.of());
        }
        if (r.statusCode() >= 400) {
            List<String> problems = new ArrayList<>();
            if (json.has("errors")) {
                for (JsonNode e : json.get("errors")) {
                    String where = e.has("line") ? "app.yaml:" + e.get("line").asInt() + ":" + e.get("column").asInt() + ": " : "";
                    problems.add(where + e.path("severity").asText("error") + ": " + (e.path("field").asText().isEmpty() ? "" : e.get("field").asText() + ": ")
                            + e.path("message").asText() + (e.has("hint") ? "\n    hint: " + e.get("hint").asText() : ""));
                }
            }
            throw new Rejected(r.statusCode(), json.path("detail").asText("HTTP " + r.statusCode()), problems);
        }
        return json;
    }
}
