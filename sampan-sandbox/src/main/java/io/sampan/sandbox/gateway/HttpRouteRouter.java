package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.sampan.sandbox.sim.Meta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Routing decisions from Gateway API {@code gateway.networking.k8s.io/v1} HTTPRoutes (no I/O: give
 * it the HTTPRoutes, ask it where a request goes). Every HTTPRoute given counts, whatever its
 * {@code parentRefs} name (the {@link TrafficGateway} gives those {@link GatewayParents} attaches).
 * <ul>
 * <li>{@code spec.hostnames}: exact names or {@code *.} wildcards (covering one or more labels,
 * not the bare domain); none means any host. The port of the Host header is ignored.</li>
 * <li>{@code rules[].matches[]}: a rule matches when any of its matches does (none is one match
 * of {@code PathPrefix /}); a match when all its conditions do: {@code path} ({@code PathPrefix}
 * by default, element-wise; {@code Exact}; {@code RegularExpression}, the whole path),
 * {@code headers} ({@code Exact} by default, or {@code RegularExpression}; names case-insensitive,
 * the first entry of a name counts), {@code queryParams} (likewise, names case-sensitive),
 * {@code method}.</li>
 * <li>Precedence across every HTTPRoute: the most characters in a matching exact hostname, then
 * in a matching wildcard, then routes without hostnames; within those an {@code Exact} path, a
 * {@code RegularExpression} (longer pattern first: its place is implementation-specific), the
 * longest {@code PathPrefix}; a method match; more header matches; more query matches; then the
 * oldest HTTPRoute, the first by {@code namespace/name}; then the first rule and match in list
 * order.</li>
 * <li>{@code backendRefs[]}: Services of the route's namespace with a {@code port}; each gets
 * {@code weight} (default 1) out of the rule's total. Weight 0 gets nothing; a rule without
 * backends or with all weights 0 answers 500, and so does a reference of another kind or namespace
 * (no ReferenceGrants) or to a missing Service. {@code filters} are ignored.</li>
 * </ul>
 */
public final class HttpRouteRouter {
    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String PLURAL = "httproutes";
    /** The {@code origin} prefix of the routes and backends of HTTPRoutes. */
    public static final String ORIGIN = "httproute ";

    private static final Comparator<Candidate> PRECEDENCE = Comparator.<Candidate>comparingInt(c -> hostRank(c.route().host()))
            .thenComparing(Comparator.<Candidate>comparingInt(c -> c.route().host().length()).reversed())
            .thenComparingInt(c -> pathRank(c.route().path()))
            .thenComparing(Comparator.<Candidate>comparingInt(c -> c.route().path().value().length()).reversed())
            .thenComparingInt(c -> c.route().method() != null ? 0 : 1)
            .thenComparing(Comparator.<Candidate>comparingInt(c -> c.route().headers().size()).reversed())
            .thenComparing(Comparator.<Candidate>comparingInt(c -> c.route().query().size()).reversed())
            .thenComparing(Candidate::created)
            .thenComparing(Candidate::key); // then the order of rules and matches: the sort is stable

    private record Candidate(Route route, String created, String key) {
    }

    /** Why a backendRef cannot be followed: a {@code ResolvedRefs} reason and message. */
    public record RefProblem(String reason, String message) {
    }

    private final RouteTable table;
    private final RandomGenerator random;

    public HttpRouteRouter(RouteTable table, RandomGenerator random) {
        this.table = table;
        this.random = random;
    }

    /** A router over these HTTPRoutes; {@code random} splits traffic by weight (it must be thread-safe when shared). */
    public static HttpRouteRouter of(Collection<? extends JsonNode> httpRoutes, RandomGenerator random) {
        RouteTable.Builder b = RouteTable.builder();
        addTo(b, httpRoutes);
        return new HttpRouteRouter(b.build(), random);
    }

    public RouteTable table() {
        return table;
    }

    /** Where the request goes (a null backend: 500), or empty when no match (404). */
    public Optional<Route.Decision> route(GatewayRequest request) {
        return table.find(request).map(r -> r.choose(request, random));
    }

    /** Adds the matches of these HTTPRoutes to the table in precedence order. */
    public static void addTo(RouteTable.Builder b, Collection<? extends JsonNode> httpRoutes) {
        List<Candidate> all = new ArrayList<>();
        for (JsonNode hr : httpRoutes) {
            String created = hr.path("metadata").path("creationTimestamp").asText("");
            for (Route r : routes(hr)) {
                all.add(new Candidate(r, created, Meta.key(hr)));
            }
        }
        all.sort(PRECEDENCE);
        all.forEach(c -> b.addHttpRoute(c.route()));
    }

    /** The origin of an HTTPRoute's routes: {@code httproute namespace/name}. */
    public static String origin(JsonNode httpRoute) {
        return ORIGIN + Meta.key(httpRoute);
    }

    /** One route per hostname and match of each rule, in list order (matches that cannot be understood are left out). */
    static List<Route> routes(JsonNode hr) {
        String ns = Meta.namespace(hr);
        String origin = origin(hr);
        List<String> hosts = new ArrayList<>();
        hr.path("spec").path("hostnames").forEach(h -> hosts.add(h.asText("")));
        if (hosts.isEmpty()) {
            hosts.add("");
        }
        List<Route> out = new ArrayList<>();
        for (JsonNode rule : hr.path("spec").path("rules")) {
            List<Route.WeightedBackend> backends = new ArrayList<>();
            for (JsonNode ref : rule.path("backendRefs")) {
                backends.add(new Route.WeightedBackend(backend(ns, ref, origin), Math.max(0, ref.path("weight").asInt(1))));
            }
            List<JsonNode> matches = new ArrayList<>();
            rule.path("matches").forEach(matches::add);
            if (matches.isEmpty()) {
                matches.add(Meta.JSON.createObjectNode());
            }
            for (JsonNode m : matches) {
                Route template = route(m, backends, origin);
                if (template == null) {
                    continue;
                }
                for (String host : hosts) {
                    out.add(new Route(host, template.path(), template.method(), template.headers(), template.query(), backends, null, origin));
                }
            }
        }
        return out;
    }

    private static Route route(JsonNode m, List<Route.WeightedBackend> backends, String origin) {
        try {
            JsonNode p = m.path("path");
            String value = p.path("value").asText("/");
            PathMatch path = switch (p.path("type").asText("PathPrefix")) {
                case "Exact" -> PathMatch.exact(value);
                case "RegularExpression" -> PathMatch.regularExpression(value);
                case "PathPrefix" -> PathMatch.prefix(value);
                default -> null;
            };
            if (path == null) {
                return null;
            }
            List<Route.HeaderMatch> headers = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode h : m.path("headers")) {
                String name = h.path("name").asText("");
                if (name.isEmpty() || !seen.add(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Pattern regex = regex(h);
                headers.add(new Route.HeaderMatch(name, h.path("value").asText(""), regex));
            }
            List<Route.QueryMatch> query = new ArrayList<>();
            seen.clear();
            for (JsonNode q : m.path("queryParams")) {
                String name = q.path("name").asText("");
                if (name.isEmpty() || !seen.add(name)) {
                    continue;
                }
                query.add(new Route.QueryMatch(name, q.path("value").asText(""), regex(q)));
            }
            String method = m.path("method").asText(null);
            return new Route("", path, method, headers, query, backends, null, origin);
        } catch (IllegalArgumentException e) { // an invalid pattern (PatternSyntaxException) or match type
            return null;
        }
    }

    /** The compiled pattern of a {@code RegularExpression} match, null for {@code Exact}; other types are refused. */
    private static Pattern regex(JsonNode match) {
        String type = match.path("type").asText("Exact");
        if (type.equals("Exact")) {
            return null;
        }
        if (type.equals("RegularExpression")) {
            return Pattern.compile(match.path("value").asText(""));
        }
        throw new IllegalArgumentException("unsupported match type " + type);
    }

    /** A backendRef's Service and port ({@code invalid} set when it cannot be followed). */
    static Backend backend(String namespace, JsonNode ref, String origin) {
        RefProblem problem = refProblem(namespace, ref);
        String ns = ref.path("namespace").asText(namespace);
        return new Backend(ns, ref.path("name").asText(""), ref.path("port").asInt(0), null, origin,
                problem == null ? null : problem.reason() + ": " + problem.message());
    }

    /** What is wrong with a backendRef before looking the Service up, or null. */
    public static RefProblem refProblem(String namespace, JsonNode ref) {
        String group = ref.path("group").asText("");
        String kind = ref.path("kind").asText("Service");
        String name = ref.path("name").asText("");
        if (!group.isEmpty() || !kind.equals("Service")) {
            return new RefProblem("InvalidKind", "backendRef " + name + " of kind " + (group.isEmpty() ? "" : group + "/") + kind + " is not supported");
        }
        String ns = ref.path("namespace").asText(namespace);
        if (!ns.equals(namespace)) {
            return new RefProblem("RefNotPermitted", "backendRef " + ns + "/" + name + " is in another namespace (ReferenceGrants are not supported)");
        }
        if (ref.path("port").asInt(0) <= 0) {
            return new RefProblem("BackendNotFound", "backendRef " + name + " has no port");
        }
        return null;
    }

    private static int hostRank(String host) {
        return host.isEmpty() ? 2 : host.startsWith("*.") ? 1 : 0;
    }

    private static int pathRank(PathMatch p) {
        return switch (p.type()) {
            case EXACT -> 0;
            case REGULAR_EXPRESSION -> 1;
            case PREFIX -> 2;
        };
    }
}
