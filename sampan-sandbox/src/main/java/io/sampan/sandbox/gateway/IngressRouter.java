package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.sampan.sandbox.sim.Meta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Routing decisions from {@code networking.k8s.io/v1} Ingresses, as ingress-nginx makes them (no I/O:
 * give it the Ingresses, ask it where a request goes).
 * <ul>
 * <li>Ingresses of class {@code nginx} (or none) count, oldest first ({@code creationTimestamp}, then
 * namespace/name): when two claim the same host and path, the older one wins.</li>
 * <li>Each rule's host gets its paths; a rule without a host serves hosts no rule names.</li>
 * <li>An Ingress's {@code defaultBackend} answers its hosts' requests that match no path; an Ingress
 * with a {@code defaultBackend} and no rules is the catch-all of any host.</li>
 * <li>A canary Ingress ({@code nginx.ingress.kubernetes.io/canary: "true"}) adds its backend as the
 * canary of the main route with the same host, path and pathType (the first canary wins; a canary
 * without a main route, or routing to the main route's own Service, is ignored) — see {@link CanaryRule}.</li>
 * </ul>
 * The router asks its {@link RouteTable}, whatever built it: the {@link TrafficGateway}'s holds the
 * HTTPRoutes' matches too ({@link #addTo} after {@link HttpRouteRouter#addTo}).
 */
public final class IngressRouter {
    /** The class ingress-nginx serves by default. */
    public static final Set<String> CLASSES = Set.of("nginx");
    private static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final RouteTable table;
    private final RandomGenerator random;

    public IngressRouter(RouteTable table, RandomGenerator random) {
        this.table = table;
        this.random = random;
    }

    /** A router over these Ingresses; {@code random} decides weighted canaries (it must be thread-safe when shared). */
    public static IngressRouter of(Collection<? extends JsonNode> ingresses, RandomGenerator random) {
        return new IngressRouter(table(ingresses), random);
    }

    public RouteTable table() {
        return table;
    }

    /** Where the request goes, or empty when no rule matches (404). */
    public Optional<Route.Decision> route(GatewayRequest request) {
        return table.find(request).map(r -> r.choose(request, random));
    }

    /** The route table of these Ingresses. */
    public static RouteTable table(Collection<? extends JsonNode> ingresses) {
        RouteTable.Builder b = RouteTable.builder();
        addTo(b, ingresses);
        return b.build();
    }

    /** Adds the routes of these Ingresses to a table (which may hold HTTPRoutes' too). */
    public static void addTo(RouteTable.Builder b, Collection<? extends JsonNode> ingresses) {
        List<JsonNode> sorted = new ArrayList<>();
        for (JsonNode ing : ingresses) {
            if (served(ing)) {
                sorted.add(ing);
            }
        }
        sorted.sort(Comparator.<JsonNode, String>comparing(i -> i.path("metadata").path("creationTimestamp").asText(""))
                .thenComparing(i -> Meta.key(i)));
        List<JsonNode> canaries = new ArrayList<>();
        for (JsonNode ing : sorted) {
            if (CanaryRule.isCanary(Meta.strings(ing.path("metadata").path("annotations")))) {
                canaries.add(ing);
            } else {
                addMain(b, ing);
            }
        }
        for (JsonNode ing : canaries) {
            addCanary(b, ing);
        }
    }

    static boolean served(JsonNode ing) {
        String cls = ing.path("spec").path("ingressClassName").asText("");
        if (cls.isEmpty()) {
            cls = Meta.strings(ing.path("metadata").path("annotations")).getOrDefault(CLASS_ANNOTATION, "");
        }
        return cls.isEmpty() || CLASSES.contains(cls);
    }

    private static String origin(JsonNode ing) {
        return "ingress " + Meta.key(ing);
    }

    private static void addMain(RouteTable.Builder b, JsonNode ing) {
        String ns = Meta.namespace(ing);
        Backend defaultBackend = backend(ns, ing.path("spec").path("defaultBackend"), origin(ing));
        JsonNode rules = ing.path("spec").path("rules");
        if (defaultBackend != null && rules.isEmpty()) {
            b.fallbackIfAbsent("", Route.to("", PathMatch.prefix("/"), defaultBackend, origin(ing)));
        }
        for (JsonNode rule : rules) {
            String host = rule.path("host").asText("");
            if (defaultBackend != null && !host.isEmpty() && !b.hasHost(host)) {
                b.fallbackIfAbsent(host, Route.to(host, PathMatch.prefix("/"), defaultBackend, origin(ing)));
            }
            b.host(host);
            for (JsonNode path : rule.path("http").path("paths")) {
                Backend backend = backend(ns, path.path("backend"), origin(ing));
                if (backend != null) {
                    b.add(Route.to(host, PathMatch.of(path.path("pathType").asText(null), path.path("path").asText("/")), backend, origin(ing)));
                }
            }
        }
    }

    private static void addCanary(RouteTable.Builder b, JsonNode ing) {
        String ns = Meta.namespace(ing);
        CanaryRule rule = CanaryRule.fromAnnotations(Meta.strings(ing.path("metadata").path("annotations")));
        Backend defaultBackend = backend(ns, ing.path("spec").path("defaultBackend"), origin(ing));
        if (defaultBackend != null) {
            b.updateFallback("", r -> attach(r, rule, defaultBackend));
        }
        for (JsonNode r : ing.path("spec").path("rules")) {
            String host = r.path("host").asText("");
            for (JsonNode path : r.path("http").path("paths")) {
                Backend backend = backend(ns, path.path("backend"), origin(ing));
                if (backend != null) {
                    b.update(host, PathMatch.of(path.path("pathType").asText(null), path.path("path").asText("/")), main -> attach(main, rule, backend));
                }
            }
        }
    }

    private static Route attach(Route main, CanaryRule rule, Backend canary) {
        if (main.canary() != null || main.primary().sameTarget(canary)) {
            return main;
        }
        return main.withCanary(new Route.Canary(rule, canary));
    }

    /** An IngressBackend's Service and port, or null (resource backends, no name). */
    static Backend backend(String namespace, JsonNode backend, String origin) {
        JsonNode svc = backend.path("service");
        String name = svc.path("name").asText("");
        if (name.isEmpty()) {
            return null;
        }
        JsonNode port = svc.path("port");
        int number = port.path("number").asInt(0);
        String portName = number == 0 ? port.path("name").asText(null) : null;
        return new Backend(namespace, name, number, portName, origin);
    }
}
