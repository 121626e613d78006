package io.sampan.sandbox.gateway;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * One entry of a {@link RouteTable}: requests for {@code host} ({@code ""} any, {@code *.example.com}
 * one more DNS label) whose path matches and whose headers all match go to one of the weighted
 * backends — unless the canary's rule sends them to the canary's backend. An Ingress path gives a
 * route with one backend (and the canary Ingress of the same host and path its canary); an
 * HTTPRoute rule would give several weighted backends and header matches.
 *
 * @param origin the object the route comes from, e.g. {@code ingress default/web}
 */
public record Route(String host, PathMatch path, List<HeaderMatch> headers, List<WeightedBackend> backends, Canary canary, String origin) {
    /** A request header that must have this exact value. */
    public record HeaderMatch(String name, String value) {
        public HeaderMatch {
            name = name.toLowerCase(Locale.ROOT);
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
        host = GatewayRequest.normalizeHost(host);
        headers = List.copyOf(headers);
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a route needs a backend");
        }
    }

    /** A route to one backend. */
    public static Route to(String host, PathMatch path, Backend backend, String origin) {
        return new Route(host, path, List.of(), List.of(new WeightedBackend(backend, 1)), null, origin);
    }

    public Route withCanary(Canary c) {
        return new Route(host, path, headers, backends, c, origin);
    }

    /** Whether the path and the headers match (the host was matched by the table). */
    public boolean matches(GatewayRequest request) {
        if (!path.matches(request.path())) {
            return false;
        }
        for (HeaderMatch h : headers) {
            if (!h.value().equals(request.header(h.name()))) {
                return false;
            }
        }
        return true;
    }

    /** The canary when its rule says so, else a backend by weight. */
    public Decision choose(GatewayRequest request, RandomGenerator random) {
        if (canary != null && canary.rule().toCanary(request, random)) {
            return new Decision(this, canary.backend(), true);
        }
        if (backends.size() == 1) {
            return new Decision(this, backends.get(0).backend(), false);
        }
        int total = backends.stream().mapToInt(w -> Math.max(0, w.weight())).sum();
        if (total <= 0) {
            return new Decision(this, backends.get(0).backend(), false);
        }
        int r = random.nextInt(total);
        for (WeightedBackend w : backends) {
            r -= Math.max(0, w.weight());
            if (r < 0) {
                return new Decision(this, w.backend(), false);
            }
        }
        return new Decision(this, backends.get(backends.size() - 1).backend(), false);
    }

    /** The backend most requests go to (the first). */
    public Backend primary() {
        return backends.get(0).backend();
    }
}
