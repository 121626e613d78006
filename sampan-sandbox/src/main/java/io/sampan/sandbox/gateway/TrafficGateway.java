package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sampan.sandbox.Store;
import io.sampan.sandbox.sim.Api;
import io.sampan.sandbox.sim.ControllerManager;
import io.sampan.sandbox.sim.Informer;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.Meta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * The sandbox's ingress and Gateway API controller and the pods behind it in one HTTP server: a
 * request is routed by the Gateway API HTTPRoutes in the store ({@link HttpRouteRouter}) — once
 * their CRD is installed, whenever that is — and, when none matches, as ingress-nginx routes it
 * from the Ingresses ({@link IngressRouter}); then to a ready endpoint of the chosen Service in
 * turn ({@link EndpointPicker}) — up to three of them while the pod behind the one chosen is gone
 * (deleted before the Endpoints caught up), as ingress-nginx's {@code proxy-next-upstream} does —, where the simulated pod answers {@code 200} with JSON naming
 * itself ({@code pod}, {@code namespace}, {@code app}, {@code version} — its first container's image
 * tag —, {@code node}, {@code zone}, {@code service}, {@code ingress} or {@code route} — the
 * HTTPRoute's name —, {@code canary}) and an {@code X-Sandbox-Pod} header. No matching rule is
 * {@code 404}; a Service that is missing, lacks the port or has no ready endpoint is {@code 503},
 * its JSON naming the Service — except that an HTTPRoute's backendRef that cannot be followed
 * (missing Service or port, another kind or namespace) or a rule whose backends all weigh 0 is
 * {@code 500}, as the Gateway API asks. Objects are read from watch-fed caches; the route table is
 * rebuilt after an Ingress or HTTPRoute changes, on the next request. One virtual thread per
 * request. Once the Gateway CRD is installed, only HTTPRoutes attached to a Gateway of a
 * GatewayClass of the sandbox's controller route ({@link GatewayParents}). Given the simulation's
 * controller manager, it also writes the status of HTTPRoutes, Gateways and GatewayClasses
 * ({@link GatewayApiStatusController}).
 */
public final class TrafficGateway implements AutoCloseable {
    /** The response header naming the pod that answered. */
    public static final String POD_HEADER = "X-Sandbox-Pod";
    private final HttpServer http;
    private final RandomGenerator random;
    private final Informer ingresses;
    private final GatewayApiWatch gatewayApi;
    private final Informer services;
    private final Informer endpoints;
    private final Informer pods;
    private final Informer nodes;
    private final EndpointPicker picker = new EndpointPicker();
    /** Endpoints tried for one request when the pod behind one is gone (ingress-nginx's proxy-next-upstream-tries). */
    static final int UPSTREAM_TRIES = 3;
    private volatile boolean stale = true;
    private volatile IngressRouter router;

    /** A gateway on {@code port} of 127.0.0.1 (0 for any) whose weighted canaries draw from a new {@link Random}. */
    public TrafficGateway(Store store, int port) throws IOException {
        this(store, port, new Random());
    }

    /** A gateway whose weighted canaries draw from {@code random} (shared by request threads: it must be thread-safe). */
    public TrafficGateway(Store store, int port, RandomGenerator random) throws IOException {
        this(store, port, random, null);
    }

    /**
     * A gateway that also reports on the HTTPRoutes it serves in their {@code status.parents},
     * from a controller of {@code manager} (none when null).
     */
    public TrafficGateway(Store store, int port, RandomGenerator random, ControllerManager manager) throws IOException {
        this.random = random;
        this.ingresses = Informer.start(store, Kinds.INGRESS);
        this.gatewayApi = new GatewayApiWatch(store);
        this.services = Informer.start(store, Kinds.SERVICE);
        this.endpoints = Informer.start(store, Kinds.ENDPOINTS);
        this.pods = Informer.start(store, Kinds.POD);
        this.nodes = Informer.start(store, Kinds.NODE);
        ingresses.addHandler((before, after) -> stale = true);
        gatewayApi.addHandler((plural, before, after) -> {
            if (before == null || after == null || !Objects.equals(before.get("spec"), after.get("spec"))) {
                stale = true; // a status written by the gateway changes no route
            }
        });
        if (manager != null) {
            new GatewayApiStatusController(new Api(store), manager, gatewayApi, services);
        }
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * The router of the HTTPRoutes and Ingresses as they are now (rebuilt only when one changed
     * since): the HTTPRoutes' matches first, then the Ingresses' hosts.
     */
    public IngressRouter router() {
        IngressRouter r = router;
        if (stale || r == null) {
            synchronized (this) {
                if (stale || router == null) {
                    stale = false; // a change while building marks it stale again
                    RouteTable.Builder b = RouteTable.builder();
                    HttpRouteRouter.addTo(b, gatewayApi.all(GatewayApiWatch.HTTP_ROUTES).stream().filter(hr -> GatewayParents.served(gatewayApi, hr))
                            .toList());
                    IngressRouter.addTo(b, List.copyOf(ingresses.all()));
                    router = new IngressRouter(b.build(), random);
                }
                r = router;
            }
        }
        return r;
    }

    /** The answer to a request: its status, JSON body and the pod that answered (null when none did). */
    public record Answer(int status, ObjectNode body, String pod) {
    }

    /** Routes a request and lets the chosen pod answer (what the HTTP handler sends back). */
    public Answer answer(GatewayRequest request) {
        Optional<Route.Decision> decision = router().route(request);
        if (decision.isEmpty()) {
            String error = gatewayApi.all(GatewayApiWatch.HTTP_ROUTES).isEmpty() ? "no Ingress rule matches" : "no HTTPRoute rule and no Ingress rule matches";
            ObjectNode body = Meta.JSON.createObjectNode().put("error", error).put("host", request.host()).put("path", request.path());
            return new Answer(404, body, null);
        }
        Route.Decision d = decision.get();
        Backend b = d.backend();
        if (b == null) {
            ObjectNode body = Meta.JSON.createObjectNode().put("error", "no backend of " + d.route().origin() + " has a weight above 0");
            body.put(sourceField(d.route().origin()), sourceName(d.route().origin()));
            return new Answer(500, body, null);
        }
        boolean gatewayApi = b.origin().startsWith(HttpRouteRouter.ORIGIN);
        if (b.invalid() != null) {
            return unavailable(500, b, b.invalid());
        }
        ObjectNode svc = services.get(b.namespace(), b.service());
        if (svc == null) {
            return unavailable(gatewayApi ? 500 : 503, b, "service " + b.serviceKey() + " not found");
        }
        if (!hasPort(svc, b)) {
            return unavailable(gatewayApi ? 500 : 503, b, "service " + b.serviceKey() + " has no port " + (b.portName() != null ? b.portName() : b.port()));
        }
        JsonNode serviceEndpoints = endpoints.get(b.namespace(), b.service());
        Answer gone = null;
        for (int tries = 0; tries < UPSTREAM_TRIES; tries++) {
            Optional<JsonNode> address = picker.pick(b.serviceKey(), serviceEndpoints);
            if (address.isEmpty()) {
                return unavailable(b, "service " + b.serviceKey() + " has no ready endpoints");
            }
            JsonNode ref = address.get().path("targetRef");
            ObjectNode pod = pods.get(ref.path("namespace").asText(b.namespace()), ref.path("name").asText());
            if (pod != null) {
                return new Answer(200, podAnswer(pod, d), Meta.name(pod));
            }
            // the pod went before its endpoint did: as ingress-nginx (proxy-next-upstream error), the next one is tried
            gone = unavailable(b, "service " + b.serviceKey() + " endpoint " + address.get().path("ip").asText() + " has no pod");
        }
        return gone;
    }

    private ObjectNode podAnswer(ObjectNode pod, Route.Decision d) {
        Map<String, String> labels = Meta.labels(pod);
        String app = labels.getOrDefault("app", labels.get("app.kubernetes.io/name"));
        String nodeName = pod.path("spec").path("nodeName").asText("");
        ObjectNode node = nodeName.isEmpty() ? null : nodes.get(nodeName);
        String zone = node == null ? null : Meta.labels(node).get("topology.kubernetes.io/zone");
        ObjectNode body = Meta.JSON.createObjectNode();
        body.put("pod", Meta.name(pod)).put("namespace", Meta.namespace(pod)).put("app", app)
                .put("version", imageTag(pod.path("spec").path("containers").path(0).path("image").asText("")))
                .put("node", nodeName.isEmpty() ? null : nodeName).put("zone", zone).put("service", d.backend().service())
                .put(sourceField(d.backend().origin()), sourceName(d.backend().origin())).put("canary", d.canary());
        return body;
    }

    /** The answer's field naming the routing object: {@code route} for an HTTPRoute, {@code ingress} otherwise. */
    private static String sourceField(String origin) {
        return origin.startsWith(HttpRouteRouter.ORIGIN) ? "route" : "ingress";
    }

    /** The name of the routing object ({@code ingress default/web} → {@code web}). */
    private static String sourceName(String origin) {
        int space = origin.indexOf(' ');
        return Meta.nameOfKey(space < 0 ? origin : origin.substring(space + 1));
    }

    private static Answer unavailable(Backend b, String message) {
        return unavailable(503, b, message);
    }

    private static Answer unavailable(int status, Backend b, String message) {
        ObjectNode body = Meta.JSON.createObjectNode().put("error", message).put("service", b.service())
                .put("namespace", b.namespace()).put(sourceField(b.origin()), sourceName(b.origin()));
        return new Answer(status, body, null);
    }

    private static boolean hasPort(JsonNode svc, Backend b) {
        if (b.port() == 0 && b.portName() == null) {
            return true;
        }
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (b.portName() != null ? b.portName().equals(p.path("name").asText()) : b.port() == p.path("port").asInt()) {
                return true;
            }
        }
        return false;
    }

    /** The tag of an image reference ({@code registry:5000/app:v2} → {@code v2}, none → {@code latest}, a digest → the digest). */
    static String imageTag(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
            Answer a;
            try {
                Map<String, String> headers = new LinkedHashMap<>();
                ex.getRequestHeaders().forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        headers.put(k, k.equalsIgnoreCase("cookie") ? String.join("; ", v) : v.get(0));
                    }
                });
                a = answer(GatewayRequest.of(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Host"), ex.getRequestURI().getPath(),
                        ex.getRequestURI().getRawQuery(), headers));
            } catch (RuntimeException e) {
                a = new Answer(500, Meta.JSON.createObjectNode().put("error", String.valueOf(e)), null);
            }
            byte[] body = (a.body().toString() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            if (a.pod() != null) {
                ex.getResponseHeaders().set(POD_HEADER, a.pod());
            }
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(a.status(), head ? -1 : body.length);
            if (!head) {
                ex.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        gatewayApi.stop();
        for (Informer i : List.of(ingresses, services, endpoints, pods, nodes)) {
            i.stop();
        }
    }
}
