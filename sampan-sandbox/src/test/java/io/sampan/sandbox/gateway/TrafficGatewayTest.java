package io.sampan.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.ResourceTypes;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.Api;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.TreeMap;
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
 * Real HTTP requests through the gateway of a real sandbox cluster (6 nodes in zones a, b, c, a
 * manual clock): a stable Deployment (3 pods, v1) and a canary (2 pods, v2), a main Ingress and a
 * canary Ingress with weight 20, header {@code X-Canary} and cookie {@code canary}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficGatewayTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ResourceTypes TYPES = new ResourceTypes();
    static SandboxCluster cluster;
    static Api api;
    static HttpClient http;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start("gateway", 0, Simulation.Options.defaults().withNodes(NodeProfile.uniform(6, List.of("a", "b", "c")))
                .withClock(SimClock.manual(Instant.parse("2026-12-01T10:00:00Z"))));
        api = cluster.simulation().api();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        for (String track : List.of("stable", "canary")) {
            create("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web-%1$s, namespace: default}
                    spec:
                      replicas: %2$d
                      selector: {matchLabels: {app: web, track: %1$s}}
                      template:
                        metadata: {labels: {app: web, track: %1$s}}
                        spec:
                          containers:
                          - {name: web, image: "registry.test:5000/shop/web:%3$s", ports: [{name: http, containerPort: 8080}]}
                    """.formatted(track, track.equals("stable") ? 3 : 2, track.equals("stable") ? "v1" : "v2"));
            create("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web-%1$s, namespace: default}
                    spec:
                      selector: {app: web, track: %1$s}
                      ports: [{name: http, port: 80, targetPort: http}]
                    """.formatted(track));
        }
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: default}
                spec:
                  ingressClassName: nginx
                  rules:
                  - http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web-stable, port: {number: 80}}}}
                  - host: shop.test
                    http:
                      paths:
                      - {path: /cart, pathType: Prefix, backend: {service: {name: web-canary, port: {name: http}}}}
                """);
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web-canary
                  namespace: default
                  annotations:
                    nginx.ingress.kubernetes.io/canary: "true"
                    nginx.ingress.kubernetes.io/canary-weight: "20"
                    nginx.ingress.kubernetes.io/canary-by-header: X-Canary
                    nginx.ingress.kubernetes.io/canary-by-cookie: canary
                spec:
                  ingressClassName: nginx
                  rules:
                  - http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}
                """);
        advance(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void create(String yaml) {
        try {
            ObjectNode o = (ObjectNode) YAML.readTree(yaml);
            ResourceType t = TYPES.byKind(o.path("apiVersion").asText(), o.path("kind").asText()).orElseThrow();
            api.create(t, o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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

    static Reply send(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), YAML.readTree(r.body()), r.headers().firstValue(TrafficGateway.POD_HEADER).orElse(null));
    }

    @Test
    @Order(1)
    void theSimulatedPodAnswersWithItsNameVersionNodeAndZone() throws Exception {
        Reply r = send("/", "X-Canary", "never");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("pod").asText()).startsWith("web-stable-").isEqualTo(r.pod());
        assertThat(r.body().path("namespace").asText()).isEqualTo("default");
        assertThat(r.body().path("app").asText()).isEqualTo("web");
        assertThat(r.body().path("version").asText()).isEqualTo("v1");
        assertThat(r.body().path("service").asText()).isEqualTo("web-stable");
        assertThat(r.body().path("ingress").asText()).isEqualTo("web");
        assertThat(r.body().path("canary").asBoolean(true)).isFalse();
        JsonNode pod = api.get(Kinds.POD, "default", r.pod()).orElseThrow();
        assertThat(r.body().path("node").asText()).isEqualTo(pod.path("spec").path("nodeName").asText()).isNotEmpty();
        JsonNode node = api.get(Kinds.NODE, null, r.body().path("node").asText()).orElseThrow();
        assertThat(r.body().path("zone").asText()).isEqualTo(node.path("metadata").path("labels").path("topology.kubernetes.io/zone").asText())
                .isIn("a", "b", "c");
    }

    @Test
    @Order(2)
    void weightTwentySendsAFifthOfTenThousandRequestsToTheCanary() throws Exception {
        int n = 10_000;
        AtomicInteger canary = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        Map<String, AtomicInteger> versions = new java.util.concurrent.ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(8);
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                all.add(threads.submit(() -> {
                    try {
                        Reply r = send("/shop/items");
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                        }
                        if (r.body().path("canary").asBoolean()) {
                            canary.incrementAndGet();
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
        double seconds = (System.nanoTime() - t0) / 1e9;
        double share = canary.get() / (double) n;
        System.out.printf("gateway: %d requests in %.2f s (%.0f requests/s, 8 in flight), canary share %.2f %% (weight 20)%n",
                n, seconds, n / seconds, share * 100);
        long t1 = System.nanoTime();
        int inProcess = 100_000;
        for (int i = 0; i < inProcess; i++) {
            assertThat(cluster.gateway().answer(GatewayRequest.of(null, "/shop/items", Map.of())).status()).isEqualTo(200);
        }
        System.out.printf("gateway: routing and answering in process (no HTTP) %.1f µs a request%n", (System.nanoTime() - t1) / 1e3 / inProcess);
        assertThat(ok.get()).isEqualTo(n);
        assertThat(share).isCloseTo(0.20, offset(0.02));
        assertThat(versions.get("v2").get()).isEqualTo(canary.get());
        assertThat(versions.get("v1").get()).isEqualTo(n - canary.get());
    }

    @Test
    @Order(3)
    void headerAndCookieRulesRouteEveryRequest() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(send("/", "X-Canary", "always").body().path("version").asText()).isEqualTo("v2");
            assertThat(send("/", "Cookie", "canary=always").body().path("canary").asBoolean()).isTrue();
            assertThat(send("/", "Cookie", "canary=never").body().path("version").asText()).isEqualTo("v1");
            assertThat(send("/", "X-Canary", "never", "Cookie", "canary=always").body().path("version").asText()).as("the header before the cookie")
                    .isEqualTo("v1");
        }
    }

    @Test
    @Order(4)
    void answersTakeTurnsOverEveryReadyPod() throws Exception {
        Map<String, Integer> stable = new TreeMap<>();
        Map<String, Integer> canary = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            stable.merge(send("/", "X-Canary", "never").pod(), 1, Integer::sum);
            canary.merge(send("/", "X-Canary", "always").pod(), 1, Integer::sum);
        }
        List<String> stablePods = readyPods("stable");
        assertThat(stablePods).hasSize(3);
        assertThat(stable.keySet()).containsExactlyInAnyOrderElementsOf(stablePods);
        assertThat(stable.values()).containsOnly(100);
        assertThat(canary.keySet()).containsExactlyInAnyOrderElementsOf(readyPods("canary"));
        assertThat(canary.values()).containsOnly(150);
    }

    static List<String> readyPods(String track) {
        return api.list(Kinds.POD, "default", p -> track.equals(p.path("metadata").path("labels").path("track").asText())
                && p.path("status").path("conditions").toString().contains("{\"type\":\"Ready\",\"status\":\"True\"")).stream()
                .map(p -> p.path("metadata").path("name").asText()).toList();
    }

    @Test
    @Order(5)
    void hostRulesAndNoRule() throws Exception {
        String cart = raw("shop.test", "/cart/42");
        assertThat(cart).startsWith("HTTP/1.1 200").contains("\"version\":\"v2\"").contains("\"service\":\"web-canary\"")
                .containsIgnoringCase("X-Sandbox-Pod: web-canary-");
        assertThat(raw("shop.test", "/checkout")).as("a named host does not fall back to rules without a host").startsWith("HTTP/1.1 404")
                .contains("no Ingress rule matches");
        assertThat(raw("other.test", "/checkout")).startsWith("HTTP/1.1 200").contains("\"app\":\"web\"");
    }

    /** A request with a Host header (which the JDK client does not let set) over a plain socket. */
    static String raw(String host, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", cluster.gateway().port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Canary: never\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(6)
    void withoutTheCanaryIngressEveryRequestIsStable() throws Exception {
        api.delete(Kinds.INGRESS, "default", "web-canary");
        cluster.simulation().awaitIdle();
        for (int i = 0; i < 200; i++) {
            Reply r = send("/", "X-Canary", "always");
            assertThat(r.body().path("version").asText()).isEqualTo("v1");
            assertThat(r.body().path("canary").asBoolean(true)).isFalse();
        }
    }

    @Test
    @Order(7)
    void stableScaledToZeroIsServiceUnavailable() throws Exception {
        ObjectNode d = api.get(Kinds.DEPLOYMENT, "default", "web-stable").orElseThrow();
        d.with("spec").put("replicas", 0);
        api.update(Kinds.DEPLOYMENT, d);
        advance(Duration.ofSeconds(5));
        assertThat(readyPods("stable")).isEmpty();
        Reply r = send("/");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.pod()).isNull();
        assertThat(r.body().path("service").asText()).isEqualTo("web-stable");
        assertThat(r.body().path("error").asText()).contains("web-stable").contains("no ready endpoints");
    }
    @Test
    @Order(8)
    void anEndpointWhosePodIsGoneIsPassedOverForTheNextAsIngressNginxDoes() throws Exception {
        String live = readyPods("canary").get(0);
        JsonNode pod = api.get(Kinds.POD, "default", live).orElseThrow();
        // a selector-less Service: its Endpoints are written here, two of three naming pods that are gone
        create("""
                apiVersion: v1
                kind: Service
                metadata: {name: web-gone, namespace: default}
                spec:
                  ports: [{name: http, port: 80}]
                """);
        create("""
                apiVersion: v1
                kind: Endpoints
                metadata: {name: web-gone, namespace: default}
                subsets:
                - addresses:
                  - {ip: 10.9.0.1, targetRef: {kind: Pod, namespace: default, name: web-deleted-1}}
                  - {ip: 10.9.0.2, targetRef: {kind: Pod, namespace: default, name: web-deleted-2}}
                  - {ip: %s, targetRef: {kind: Pod, namespace: default, name: %s}}
                  ports: [{name: http, port: 8080}]
                """.formatted(pod.path("status").path("podIP").asText(), live));
        create("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web-gone, namespace: default}
                spec:
                  ingressClassName: nginx
                  rules:
                  - host: gone.test
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web-gone, port: {number: 80}}}}
                """);
        for (int i = 0; i < 30; i++) {
            TrafficGateway.Answer a = cluster.gateway().answer(GatewayRequest.of("gone.test", "/", Map.of()));
            assertThat(a.status()).as("request %d: %s", i, a.body()).isEqualTo(200);
            assertThat(a.pod()).isEqualTo(live);
        }

        api.delete(Kinds.POD, "default", live);
        cluster.simulation().awaitIdle();
        TrafficGateway.Answer none = cluster.gateway().answer(GatewayRequest.of("gone.test", "/", Map.of()));
        assertThat(none.status()).as("three tries, none with a pod").isEqualTo(503);
        assertThat(none.body().path("error").asText()).contains("web-gone").contains("has no pod");
    }
}
