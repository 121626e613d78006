package io.sampan.server.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny HTTP client for API tests: what any API user would send and see. */
public final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The platform administrator's token in tests: the server is started with it as its bootstrap token. */
    public static final String ADMIN_TOKEN = "spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    public ApiClient(int port) {
        this(port, ADMIN_TOKEN);
    }

    public ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public ApiClient as(String otherToken) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    public Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public Response yaml(String path, String yaml) {
        return send("POST", path, "application/yaml", yaml);
    }

    /** Registers a cluster whose API nothing answers: for tests that put fake clusters behind ClusterDrivers. */
    public Response unreachableCluster(String name) {
        return post("/api/v1/clusters", "{\"name\":\"" + name + "\",\"kubeconfig\":\"apiVersion: v1\\nkind: Config\\nclusters: [{name: c, "
                + "cluster: {server: 'http://127.0.0.1:1'}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, "
                + "user: u}}]\\ncurrent-context: x\\n\"}");
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }
}
