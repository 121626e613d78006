package io.sampan.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.ResourceTypes;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.Api;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Gateway API HTTPRoutes through the gateway of a real sandbox cluster (6 nodes in zones a, b, c,
 * a manual clock): Deployments {@code web-v1} (3 pods) and {@code web-v2} (2 pods) with their
 * Services; the HTTPRoute CRD installed over HTTP after the gateway started, then an HTTPRoute
 * splitting {@code /shop} 90/10 with a header match {@code x-canary: true} to v2 — a canary
 * release, then a blue-green switch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpRouteGatewayTest {
    static final ResourceTypes TYPES = new ResourceTypes();
    static final String ROUTES = "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes";
    static SandboxCluster cluster;
    static Api api;
    static HttpClient http;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("httproutes", 0, Simulation.Options.defaults().withNodes(NodeProfile.uniform(6, List.of("a", "b", "c")))
                .withClock(SimClock.manual(Instant.parse("2026-12-01T10:00:00Z"))));
        api = cluster.simulation().api();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        for (String v : List.of("v1", "v2")) {
            create("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-%1$s, namespace: default}
                    spec:
                      replicas: %2$d
                      selector: {matchLabels: {app: web, version: %1$s}}
                      template:
                        metadata: {labels: {app: web, version: %1$s}}
                        spec:
                          containers:
                          - {name: web, image: "registry.test:5000/shop/web:%1$s", ports: [{name: http, containerPort: 8080}]}
                    """.formatted(v, v.equals("v1") ? 3 : 2));
            create(service("web-" + v));
        }
        advance(Duration.ofSeconds(10));
    }

    static String service(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: default}
                spec:
                  selector: {app: web, version: %2$s}
                  ports: [{name: http, port: 80, targetPort: http}]
                """.formatted(name, name.substring("web-".length()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void create(String yaml) {
        try {
            ObjectNode o = (ObjectNode) GatewayApiCrds.YAML.readTree(yaml);
            ResourceType t = TYPES.byKind(o.path("apiVersion").asText(), o.path("kind").asText()).orElseThrow();
            api.create(t, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster.simulation().awaitIdle();
    }

    static void advance(Duration d) {
        for (int s = 0; s < d.toSeconds(); s++) {
            cluster.simulation().advance(Duration.ofSeconds(1));
        }
    }

    record Reply(int status, JsonNode body, String pod) {
    }

    /** A request to the API server: method, path, YAML body (or null); the status and JSON body. */
    static Reply apiCall(String method, String path, String yaml) throws IOException, InterruptedException {
        String json = yaml == null ? null : GatewayApiCrds.YAML.readTree(yaml).toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        cluster.simulation().awaitIdle();
        return new Reply(r.statusCode(), GatewayApiCrds.YAML.readTree(r.body()), null);
    }

    static Reply send(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), GatewayApiCrds.YAML.readTree(r.body()), r.headers().firstValue(TrafficGateway.POD_HEADER).orElse(null));
    }

    static String webRoute(int v1, int v2) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: default}
                spec:
                  parentRefs: [{name: sandbox}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /shop}, headers: [{name: x-canary, value: "true"}]}]
                    backendRefs: [{name: web-v2, port: 80}]
                  - matches: [{path: {type: PathPrefix, value: /shop}}]
                    backendRefs: [{name: web-v1, port: 80, weight: %d}, {name: web-v2, port: 80, weight: %d}]
                """.formatted(v1, v2);
    }

    static List<String> conditions(JsonNode route) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : route.path("status").path("parents")) {
            for (JsonNode c : p.path("conditions")) {
                out.add(c.path("type").asText() + "=" + c.path("status").asText() + "/" + c.path("reason").asText());
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void theCrdInstalledAfterTheGatewayStartedAndAnHttpRouteServeRequests() throws Exception {
        assertThat(send("/shop/items").status()).as("no route yet").isEqualTo(404);
        assertThat(GatewayApiCrds.install(http, cluster.url())).isEqualTo(201);
        Reply created = apiCall("POST", ROUTES, webRoute(90, 10));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);

        Reply r = send("/shop/items", "x-canary", "true");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("route").asText()).isEqualTo("web");
        assertThat(r.body().has("ingress")).isFalse();
        assertThat(r.body().path("version").asText()).isEqualTo("v2");
        assertThat(r.body().path("service").asText()).isEqualTo("web-v2");
        assertThat(r.body().path("pod").asText()).startsWith("web-v2-").isEqualTo(r.pod());
        assertThat(r.body().path("zone").asText()).isIn("a", "b", "c");

        JsonNode route = apiCall("GET", ROUTES + "/web", null).body();
        JsonNode parent = route.path("status").path("parents").path(0);
        assertThat(parent.path("controllerName").asText()).isEqualTo("sandbox.sampan.io/gateway-controller");
        assertThat(parent.path("parentRef").path("name").asText()).isEqualTo("sandbox");
        assertThat(parent.path("parentRef").path("kind").asText()).isEqualTo("Gateway");
        assertThat(conditions(route)).containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
        assertThat(parent.path("conditions").path(0).path("observedGeneration").asLong()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void weightsNinetyTenSendATenthOfTenThousandRequestsToV2() throws Exception {
        int n = 10_000;
        AtomicInteger ok = new AtomicInteger();
        Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(8);
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                all.add(threads.submit(() -> {
                    try {
                        Reply r = send("/shop/items");
                        if (r.status() == 200 && r.body().path("route").asText().equals("web")) {
                            ok.incrementAndGet();
                        }
                        versions.computeIfAbsent(r.body().path("version").asText(), v -> new AtomicInteger()).incrementAndGet();
                        return null;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double share = versions.getOrDefault("v2", new AtomicInteger()).get() / (double) n;
        System.out.printf("httproute: %d requests in %.2f s, v2 share %.2f %% (weights 90/10)%n", n, (System.nanoTime() - t0) / 1e9, share * 100);
        assertThat(ok.get()).isEqualTo(n);
        assertThat(versions.keySet()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(share).isCloseTo(0.10, offset(0.02));
    }

    @Test
    @Order(3)
    void theCanaryHeaderRoutesEveryRequestToV2() throws Exception {
        for (int i = 0; i < 200; i++) {
            Reply r = send("/shop/cart", "X-Canary", "true");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("version").asText()).isEqualTo("v2");
        }
    }

    @Test
    @Order(4)
    void noMatchIsNotFoundAndHostnamesMatchTheHostHeader() throws Exception {
        Reply none = send("/elsewhere");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body().path("error").asText()).contains("no HTTPRoute rule");
        Reply created = apiCall("POST", ROUTES, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: api, namespace: default}
                spec:
                  hostnames: ["*.api.test"]
                  rules:
                  - matches: [{path: {type: Exact, value: /health}, method: GET}]
                    backendRefs: [{name: web-v1, port: 80}]
                """);
        assertThat(created.status()).isEqualTo(201);
        assertThat(raw("GET", "eu.api.test:8080", "/health")).startsWith("HTTP/1.1 200").contains("\"route\":\"api\"").contains("\"version\":\"v1\"");
        assertThat(raw("POST", "eu.api.test", "/health")).as("method match").startsWith("HTTP/1.1 404");
        assertThat(raw("GET", "api.test", "/health")).as("a wildcard does not cover the bare domain").startsWith("HTTP/1.1 404");
        assertThat(raw("GET", "eu.api.test", "/health/x")).startsWith("HTTP/1.1 404");
        assertThat(apiCall("GET", ROUTES + "/api", null).body().path("status").path("parents").size()).as("no parentRefs, no status entry").isZero();
    }

    /** A request with a Host header (which the JDK client does not let set) over a plain socket. */
    static String raw(String method, String host, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", cluster.gateway().port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(5)
    void blueGreenSwitchSendsEveryRequestToV2() throws Exception {
        JsonNode current = apiCall("GET", ROUTES + "/web", null).body();
        ObjectNode next = (ObjectNode) GatewayApiCrds.YAML.readTree(webRoute(0, 100));
        next.with("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        Reply put = apiCall("PUT", ROUTES + "/web", next.toString());
        assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
        for (int i = 0; i < 1000; i++) {
            Reply r = send("/shop/items");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("version").asText()).isEqualTo("v2");
        }
        JsonNode route = apiCall("GET", ROUTES + "/web", null).body();
        assertThat(route.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(route.path("status").path("parents").path(0).path("conditions").path(0).path("observedGeneration").asLong()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aMissingServiceIsBackendNotFoundAndServerErrorUntilItExists() throws Exception {
        Reply created = apiCall("POST", ROUTES, """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: next, namespace: default}
                spec:
                  parentRefs: [{name: sandbox, sectionName: http}]
                  rules:
                  - matches: [{path: {value: /next}}]
                    backendRefs: [{name: web-v3, port: 80}]
                """);
        assertThat(created.status()).isEqualTo(201);
        JsonNode route = apiCall("GET", ROUTES + "/next", null).body();
        assertThat(conditions(route)).containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/BackendNotFound");
        assertThat(route.path("status").path("parents").path(0).path("parentRef").path("sectionName").asText()).isEqualTo("http");
        Reply missing = send("/next");
        assertThat(missing.status()).isEqualTo(500);
        assertThat(missing.body().path("route").asText()).isEqualTo("next");
        assertThat(missing.body().path("error").asText()).contains("web-v3").contains("not found");

        create(service("web-v3")); // no pods select it
        advance(Duration.ofSeconds(2));
        assertThat(conditions(apiCall("GET", ROUTES + "/next", null).body())).containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
        Reply unavailable = send("/next");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.body().path("error").asText()).contains("no ready endpoints");
    }

    @Test
    @Order(7)
    void allWeightsZeroIsServerErrorAndDeletingTheRouteStopsRouting() throws Exception {
        JsonNode current = apiCall("GET", ROUTES + "/web", null).body();
        ObjectNode next = (ObjectNode) GatewayApiCrds.YAML.readTree(webRoute(0, 0));
        next.with("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        assertThat(apiCall("PUT", ROUTES + "/web", next.toString()).status()).isEqualTo(200);
        Reply r = send("/shop/items");
        assertThat(r.status()).isEqualTo(500);
        assertThat(send("/shop/items", "x-canary", "true").status()).as("the header rule still has its backend").isEqualTo(200);
        assertThat(apiCall("DELETE", ROUTES + "/web", null).status()).isEqualTo(200);
        assertThat(send("/shop/items", "x-canary", "true").status()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void withTheGatewayCrdRoutesAttachOnlyToGatewaysOfTheSandboxClass() throws Exception {
        assertThat(send("/next").status()).as("served while there is no Gateway CRD").isEqualTo(503);
        assertThat(GatewayApiCrds.installGateways(http, cluster.url())).isEqualTo(201);
        assertThat(send("/next").status()).as("its parent Gateway does not exist").isEqualTo(404);
        assertThat(raw("GET", "eu.api.test", "/health")).as("no parentRefs, no parent").startsWith("HTTP/1.1 404");
        cluster.simulation().awaitIdle(); // the status controller runs on the simulation's controller thread
        assertThat(conditions(apiCall("GET", ROUTES + "/next", null).body())).containsExactly("Accepted=False/NoMatchingParent",
                "ResolvedRefs=True/ResolvedRefs");

        assertThat(apiCall("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: sandbox, namespace: default}
                spec:
                  gatewayClassName: sampan
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """).status()).isEqualTo(201);
        assertThat(send("/next").status()).as("a Gateway of an unknown class").isEqualTo(404);
        assertThat(apiCall("POST", "/apis/gateway.networking.k8s.io/v1/gatewayclasses", """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: sampan}
                spec: {controllerName: sandbox.sampan.io/gateway-controller}
                """).status()).isEqualTo(201);
        assertThat(send("/next").status()).as("attached: served again (web-v3 has no pods)").isEqualTo(503);
        cluster.simulation().awaitIdle();
        assertThat(conditions(apiCall("GET", ROUTES + "/next", null).body())).containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
        JsonNode gateway = apiCall("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/sandbox", null).body();
        List<String> gatewayConditions = new ArrayList<>();
        gateway.path("status").path("conditions").forEach(c -> gatewayConditions.add(c.path("type").asText() + "=" + c.path("status").asText()));
        assertThat(gatewayConditions).containsExactly("Accepted=True", "Programmed=True");
        assertThat(gateway.path("status").path("addresses").path(0).path("value").asText()).isEqualTo("127.0.0.1");
        JsonNode cls = apiCall("GET", "/apis/gateway.networking.k8s.io/v1/gatewayclasses/sampan", null).body();
        assertThat(cls.path("status").path("conditions").path(0).path("type").asText()).isEqualTo("Accepted");
        assertThat(cls.path("status").path("conditions").path(0).path("status").asText()).isEqualTo("True");
    }
}
