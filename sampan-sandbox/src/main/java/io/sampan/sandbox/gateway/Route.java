package io.sampan.sandbox.gateway;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * One entry of a {@link RouteTable}: requests for {@code host} ({@code ""} any, {@code *.example.com}
 * one more DNS label for Ingresses) whose path, method (when set), headers and query parameters
 * all match go to one of the weighted backends — unless the canary's rule sends them to the
 * canary's backend. An Ingress path gives a route with one backend (and the canary Ingress of the
 * same host and path its canary); an HTTPRoute match gives one with weighted backends (none, or
 * all of weight 0: the request gets no backend), header, query and method matches.
 *
 * @param method the request method required, or null for any
 * @param origin the object the route comes from, e.g. {@code ingress default/web}, {@code httproute default/web}
 */
public record Route(String host, PathMatch path, String method, List<HeaderMatch> headers, List<QueryMatch> query, List<WeightedBackend> backends,
        Canary canary, String origin) {
    /** A request header that must have this exact value, or a value the regular expression finds ({@code regex} non-null). */
    public record HeaderMatch(String name, String value, Pattern regex) {
        public HeaderMatch {
            name = name.toLowerCase(Locale.ROOT);
        }

        public HeaderMatch(String name, String value) {
            this(name, value, null);
        }

        boolean matches(String actual) {
            if (actual == null) {
                return false;
            }
            return regex != null ? regex.matcher(actual).find() : value.equals(actual);
        }
    }

    /** A query parameter (case-sensitive name) that must have this exact value, or a value the regular expression finds. */
    public record QueryMatch(String name, String value, Pattern regex) {
        boolean matches(String actual) {
            if (actual == null) {
                return false;
            }
            return regex != null ? regex.matcher(actual).find() : value.equals(actual);
        }
    }

    /** A backend and its share ({@code weight} out of the sum of the route's weights). */
    public record WeightedBackend(Backend backend, int weight) {
    }

    /** A canary backend and when requests go to it. */
    public record Canary(CanaryRule rule, Backend backend) {
    }

    /** Where a request went: the backend and whether it is the canary. */
    public record Decision(Route route, Backend backend, boolean canary) {
    }

    public Route {
        host = host.startsWith("*.") ? "*." + GatewayRequest.normalizeHost(host.substring(2)) : GatewayRequest.normalizeHost(host);
        method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
        headers = List.copyOf(headers);
        query = List.copyOf(query);
        backends = List.copyOf(backends);
    }

    /** A route of any method, without query matches. */
    public Route(String host, PathMatch path, List<HeaderMatch> headers, List<WeightedBackend> backends, Canary canary, String origin) {
        this(host, path, null, headers, List.of(), backends, canary, origin);
    }

    /** A route to one backend. */
    public static Route to(String host, PathMatch path, Backend backend, String origin) {
        return new Route(host, path, List.of(), List.of(new WeightedBackend(backend, 1)), null, origin);
    }

    public Route withCanary(Canary c) {
        return new Route(host, path, method, headers, query, backends, c, origin);
    }

    /** Whether the path, method, headers and query parameters match (the host was matched by the table). */
    public boolean matches(GatewayRequest request) {
        if (!path.matches(request.path())) {
            return false;
        }
        if (method != null && !method.equals(request.method())) {
            return false;
        }
        for (HeaderMatch h : headers) {
            if (!h.matches(request.header(h.name()))) {
                return false;
            }
        }
        for (QueryMatch q : query) {
            if (!q.matches(request.queryParam(q.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The canary when its rule says so, else a backend by weight: {@code weight} out of the sum of
     * the weights ({@code random} is drawn from only when there are several). The backend is null
     * when the route has none or all weigh 0 (the request gets a 500).
     */
    public Decision choose(GatewayRequest request, RandomGenerator random) {
        if (canary != null && canary.rule().toCanary(request, random)) {
            return new Decision(this, canary.backend(), true);
        }
        if (backends.size() == 1) {
            WeightedBackend only = backends.get(0);
            return new Decision(this, only.weight() > 0 ? only.backend() : null, false);
        }
        long total = backends.stream().mapToLong(w -> Math.max(0, w.weight())).sum();
        if (total <= 0) {
            return new Decision(this, null, false);
        }
        long r = random.nextLong(total);
        for (WeightedBackend w : backends) {
            r -= Math.max(0, w.weight());
            if (r < 0) {
                return new Decision(this, w.backend(), false);
            }
        }
        return new Decision(this, backends.get(backends.size() - 1).backend(), false);
    }

    /** The backend most requests go to (the first), or null when the route has none. */
    public Backend primary() {
        return backends.isEmpty() ? null : backends.get(0).backend();
    }
}
