package io.sampan.sandbox.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Routes by host, then path, as nginx picks a server and then a location: the host's own routes if
 * a rule names the host exactly, else those of a {@code *.} wildcard covering it (one DNS label),
 * else those of rules without a host. Within a host an Exact path wins over a Prefix, a longer
 * prefix over a shorter one, more header matches over fewer, then the route added first. A host
 * may have a fallback route taken when no path matches (an Ingress's {@code defaultBackend}).
 * <p>
 * HTTPRoute matches come first: they are tried in the order added (the Gateway API precedence,
 * see {@link HttpRouteRouter}), a route's host matching a request's host when equal, when it is a
 * {@code *.} wildcard the host ends with (one or more labels), or when empty; the first match
 * wins. Only a request no HTTPRoute matches is routed by the Ingress hosts above.
 * Immutable once built; built again when its sources change.
 */
public final class RouteTable {
    private static final Comparator<Route> PRECEDENCE = Comparator.<Route>comparingInt(r -> r.path().type() == PathMatch.Type.EXACT ? 0 : 1)
            .thenComparing(Comparator.<Route>comparingInt(r -> r.path().value().length()).reversed())
            .thenComparing(Comparator.<Route>comparingInt(r -> r.headers().size()).reversed());

    /** The routes and fallback of one host ({@code ""} for rules without a host). */
    record VirtualHost(List<Route> routes, Route fallback) {
    }

    private final List<Route> httpRoutes;
    private final Map<String, VirtualHost> hosts;

    private RouteTable(List<Route> httpRoutes, Map<String, VirtualHost> hosts) {
        this.httpRoutes = httpRoutes;
        this.hosts = hosts;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route a request takes, if any. */
    public Optional<Route> find(GatewayRequest request) {
        for (Route r : httpRoutes) {
            if (hostMatches(r.host(), request.host()) && r.matches(request)) {
                return Optional.of(r);
            }
        }
        VirtualHost vh = virtualHost(request.host());
        if (vh == null) {
            return Optional.empty();
        }
        for (Route r : vh.routes()) {
            if (r.matches(request)) {
                return Optional.of(r);
            }
        }
        return Optional.ofNullable(vh.fallback());
    }

    /** A Gateway API hostname against a request's: equal, a {@code *.} wildcard of one or more labels, or empty (any). */
    static boolean hostMatches(String routeHost, String host) {
        if (routeHost.isEmpty()) {
            return true;
        }
        if (routeHost.startsWith("*.")) {
            String suffix = routeHost.substring(1);
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        return routeHost.equals(host);
    }

    private VirtualHost virtualHost(String host) {
        VirtualHost vh = hosts.get(host);
        if (vh == null && !host.isEmpty()) {
            int dot = host.indexOf('.');
            if (dot > 0) {
                vh = hosts.get("*" + host.substring(dot));
            }
        }
        return vh != null ? vh : hosts.get("");
    }

    /** Every route, the HTTPRoute ones first in their order, then host by host (for diagnostics and tests). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>(httpRoutes);
        hosts.values().forEach(vh -> out.addAll(vh.routes()));
        return out;
    }

    /** Collects routes in the order of their sources (the first of equal routes wins). */
    public static final class Builder {
        private final Map<String, List<Route>> routes = new LinkedHashMap<>();
        private final Map<String, Route> fallbacks = new LinkedHashMap<>();
        private final List<Route> httpRoutes = new ArrayList<>();

        /** Adds an HTTPRoute match, tried before every Ingress route and after the HTTPRoute matches added before it. */
        public Builder addHttpRoute(Route r) {
            httpRoutes.add(r);
            return this;
        }

        public Builder add(Route r) {
            routes.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(r);
            return this;
        }

        /** Declares a host (so requests for it stop falling to rules without a host). */
        public Builder host(String host) {
            routes.computeIfAbsent(GatewayRequest.normalizeHost(host), h -> new ArrayList<>());
            return this;
        }

        public boolean hasHost(String host) {
            return routes.containsKey(GatewayRequest.normalizeHost(host));
        }

        /** Sets the host's fallback unless it has one. */
        public Builder fallbackIfAbsent(String host, Route r) {
            host = GatewayRequest.normalizeHost(host);
            routes.computeIfAbsent(host, h -> new ArrayList<>());
            fallbacks.putIfAbsent(host, r);
            return this;
        }

        /** Changes the first route of the host with this path (without header matches); false when there is none. */
        public boolean update(String host, PathMatch path, UnaryOperator<Route> change) {
            List<Route> list = routes.get(GatewayRequest.normalizeHost(host));
            if (list == null) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                Route r = list.get(i);
                if (r.path().equals(path) && r.headers().isEmpty()) {
                    list.set(i, change.apply(r));
                    return true;
                }
            }
            return false;
        }

        /** Changes the host's fallback; false when it has none. */
        public boolean updateFallback(String host, UnaryOperator<Route> change) {
            host = GatewayRequest.normalizeHost(host);
            Route r = fallbacks.get(host);
            if (r == null) {
                return false;
            }
            fallbacks.put(host, change.apply(r));
            return true;
        }

        public RouteTable build() {
            Map<String, VirtualHost> hosts = new LinkedHashMap<>();
            routes.forEach((host, list) -> {
                List<Route> sorted = new ArrayList<>(list);
                sorted.sort(PRECEDENCE); // stable: equal routes keep their order
                hosts.put(host, new VirtualHost(List.copyOf(sorted), fallbacks.get(host)));
            });
            return new RouteTable(List.copyOf(httpRoutes), Map.copyOf(hosts));
        }
    }
}
