package io.sampan.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Routing decisions from Ingresses as ingress-nginx makes them, without a cluster. */
class IngressRouterTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    int created;

    /** An Ingress created one second after the previous one. */
    JsonNode ingress(String name, String annotations, String spec) {
        created++;
        String text = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %s
                  namespace: default
                  creationTimestamp: "2026-12-01T10:00:%02dZ"
                  annotations: {%s}
                spec:
                %s
                """.formatted(name, created, annotations, spec.indent(2));
        try {
            return YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String rule(String host, String... paths) {
        StringBuilder b = new StringBuilder("- ").append(host == null ? "" : "host: \"" + host + "\"\n  ").append("http:\n    paths:\n");
        for (String p : paths) {
            String[] f = p.split(" "); // "Prefix /api svc"
            b.append("    - {pathType: ").append(f[0]).append(", path: \"").append(f[1]).append("\", backend: {service: {name: ")
                    .append(f[2]).append(", port: {number: 80}}}}\n");
        }
        return b.toString();
    }

    static String rules(String... rules) {
        return "rules:\n" + String.join("", rules);
    }

    static GatewayRequest get(String host, String path, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return GatewayRequest.of(host, path, h);
    }

    static String service(IngressRouter r, GatewayRequest req) {
        return r.route(req).map(d -> d.backend().service() + (d.canary() ? "*" : "")).orElse("404");
    }

    static IngressRouter router(JsonNode... ingresses) {
        return IngressRouter.of(List.of(ingresses), new Random(7));
    }

    @Test
    void hostsExactThenWildcardOfOneLabelThenRulesWithoutHost() {
        IngressRouter r = router(
                ingress("any", "", rules(rule(null, "Prefix / any"))),
                ingress("wild", "", rules(rule("*.example.com", "Prefix / wild"))),
                ingress("shop", "", rules(rule("shop.example.com", "Prefix /cart cart"))));
        assertThat(service(r, get("shop.example.com", "/cart/items"))).isEqualTo("cart");
        assertThat(service(r, get("Shop.Example.com:8080", "/cart"))).isEqualTo("cart");
        assertThat(service(r, get("blog.example.com", "/"))).isEqualTo("wild");
        assertThat(service(r, get("a.blog.example.com", "/"))).as("a wildcard covers one label").isEqualTo("any");
        assertThat(service(r, get("example.com", "/"))).isEqualTo("any");
        assertThat(service(r, get(null, "/x"))).isEqualTo("any");
        // as nginx: once a server is chosen by its name, its locations decide; no fall back to the catch-all
        assertThat(service(r, get("shop.example.com", "/other"))).isEqualTo("404");
    }

    @Test
    void pathsExactBeforePrefixLongestPrefixElementWise() {
        IngressRouter r = router(ingress("web", "", rules(rule("web.test",
                "Prefix / root", "Prefix /api api", "Prefix /api/v2/ v2", "Exact /api/health health", "ImplementationSpecific /static static"))));
        assertThat(service(r, get("web.test", "/api"))).isEqualTo("api");
        assertThat(service(r, get("web.test", "/api/"))).isEqualTo("api");
        assertThat(service(r, get("web.test", "/api/users"))).isEqualTo("api");
        assertThat(service(r, get("web.test", "/apis"))).as("element-wise prefix").isEqualTo("root");
        assertThat(service(r, get("web.test", "/api/v2"))).as("trailing slash of a prefix ignored").isEqualTo("v2");
        assertThat(service(r, get("web.test", "/api/v2/users"))).isEqualTo("v2");
        assertThat(service(r, get("web.test", "/api/health"))).isEqualTo("health");
        assertThat(service(r, get("web.test", "/api/health/x"))).as("Exact is exact").isEqualTo("api");
        assertThat(service(r, get("web.test", "/static/app.js"))).as("ImplementationSpecific as Prefix").isEqualTo("static");
        assertThat(service(r, get("web.test", "/"))).isEqualTo("root");
    }

    @Test
    void olderIngressWinsTheSamePathAndOtherClassesAreIgnored() {
        JsonNode older = ingress("older", "", rules(rule("a.test", "Prefix / first")));
        JsonNode newer = ingress("newer", "", rules(rule("a.test", "Prefix / second")));
        JsonNode traefik = ingress("traefik", "", "ingressClassName: traefik\n" + rules(rule("b.test", "Prefix / other")));
        JsonNode nginx = ingress("nginx", "", "ingressClassName: nginx\n" + rules(rule("c.test", "Prefix / mine")));
        IngressRouter r = router(newer, traefik, older, nginx);
        assertThat(service(r, get("a.test", "/"))).isEqualTo("first");
        assertThat(service(r, get("b.test", "/"))).isEqualTo("404");
        assertThat(service(r, get("c.test", "/"))).isEqualTo("mine");
        assertThat(r.route(get("a.test", "/")).orElseThrow().backend().origin()).isEqualTo("ingress default/older");
    }

    @Test
    void defaultBackendServesItsHostsAndWithoutRulesEveryHost() {
        IngressRouter r = router(
                ingress("catch-all", "", "defaultBackend: {service: {name: fallback, port: {number: 80}}}"),
                ingress("app", "", "defaultBackend: {service: {name: app-default, port: {number: 80}}}\n"
                        + rules(rule("app.test", "Prefix /api api"))));
        assertThat(service(r, get("app.test", "/api"))).isEqualTo("api");
        assertThat(service(r, get("app.test", "/elsewhere"))).isEqualTo("app-default");
        assertThat(service(r, get("unknown.test", "/x"))).isEqualTo("fallback");
        assertThat(router().route(get("x", "/"))).isEmpty();
    }

    JsonNode main() {
        return ingress("web", "", rules(rule("web.test", "Prefix / stable")));
    }

    JsonNode canary(String annotations) {
        return ingress("web-canary", "nginx.ingress.kubernetes.io/canary: \"true\", " + annotations, rules(rule("web.test", "Prefix / preview")));
    }

    @Test
    void canaryByHeaderAlwaysNeverOtherwiseFallsThrough() {
        IngressRouter r = router(main(), canary("nginx.ingress.kubernetes.io/canary-by-header: X-Canary"));
        assertThat(service(r, get("web.test", "/", "X-Canary", "always"))).isEqualTo("preview*");
        assertThat(service(r, get("web.test", "/", "x-canary", "always"))).as("header names are case-insensitive").isEqualTo("preview*");
        assertThat(service(r, get("web.test", "/", "X-Canary", "never"))).isEqualTo("stable");
        assertThat(service(r, get("web.test", "/", "X-Canary", "yes"))).as("weight 0 decides").isEqualTo("stable");
        assertThat(service(r, get("web.test", "/"))).isEqualTo("stable");
        IngressRouter weighted = router(main(), canary("nginx.ingress.kubernetes.io/canary-by-header: X-Canary, nginx.ingress.kubernetes.io/canary-weight: \"100\""));
        assertThat(service(weighted, get("web.test", "/", "X-Canary", "never"))).isEqualTo("stable");
        assertThat(service(weighted, get("web.test", "/", "X-Canary", "other"))).as("falls through to the weight").isEqualTo("preview*");
    }

    @Test
    void canaryByHeaderValueAndPattern() {
        IngressRouter byValue = router(main(), canary("nginx.ingress.kubernetes.io/canary-by-header: X-Region, "
                + "nginx.ingress.kubernetes.io/canary-by-header-value: eu-west"));
        assertThat(service(byValue, get("web.test", "/", "X-Region", "eu-west"))).isEqualTo("preview*");
        assertThat(service(byValue, get("web.test", "/", "X-Region", "us-east"))).isEqualTo("stable");
        assertThat(service(byValue, get("web.test", "/", "X-Region", "always"))).as("with a value, always is just another value").isEqualTo("stable");
        IngressRouter byPattern = router(main(), canary("nginx.ingress.kubernetes.io/canary-by-header: X-User, "
                + "nginx.ingress.kubernetes.io/canary-by-header-pattern: \"^(alice|bob)$\""));
        assertThat(service(byPattern, get("web.test", "/", "X-User", "bob"))).isEqualTo("preview*");
        assertThat(service(byPattern, get("web.test", "/", "X-User", "carol"))).isEqualTo("stable");
    }

    @Test
    void canaryByCookieAfterTheHeader() {
        IngressRouter r = router(main(), canary("nginx.ingress.kubernetes.io/canary-by-header: X-Canary, "
                + "nginx.ingress.kubernetes.io/canary-by-cookie: beta, nginx.ingress.kubernetes.io/canary-weight: \"50\""));
        assertThat(service(r, get("web.test", "/", "Cookie", "session=1; beta=always"))).isEqualTo("preview*");
        for (int i = 0; i < 100; i++) {
            assertThat(service(r, get("web.test", "/", "Cookie", "beta=never"))).isEqualTo("stable");
            assertThat(service(r, get("web.test", "/", "Cookie", "beta=always", "X-Canary", "never"))).as("the header first").isEqualTo("stable");
            assertThat(service(r, get("web.test", "/", "Cookie", "beta=never", "X-Canary", "always"))).isEqualTo("preview*");
        }
    }

    @Test
    void canaryByWeight() {
        IngressRouter r = router(main(), canary("nginx.ingress.kubernetes.io/canary-weight: \"20\""));
        assertThat(share(r, 100_000)).isCloseTo(0.20, org.assertj.core.data.Offset.offset(0.01));
        IngressRouter total = router(main(), canary("nginx.ingress.kubernetes.io/canary-weight: \"5\", nginx.ingress.kubernetes.io/canary-weight-total: \"1000\""));
        assertThat(share(total, 100_000)).isCloseTo(0.005, org.assertj.core.data.Offset.offset(0.002));
        assertThat(share(router(main(), canary("nginx.ingress.kubernetes.io/canary-weight: \"0\"")), 1000)).isZero();
        assertThat(share(router(main(), canary("nginx.ingress.kubernetes.io/canary-weight: \"100\"")), 1000)).isEqualTo(1.0);
    }

    static double share(IngressRouter r, int n) {
        int canary = 0;
        for (int i = 0; i < n; i++) {
            canary += r.route(get("web.test", "/")).orElseThrow().canary() ? 1 : 0;
        }
        return canary / (double) n;
    }

    @Test
    void aCanaryNeedsAMainRouteOfTheSameHostPathAndType() {
        JsonNode lonely = ingress("lonely", "nginx.ingress.kubernetes.io/canary: \"true\", nginx.ingress.kubernetes.io/canary-weight: \"100\"",
                rules(rule("new.test", "Prefix / preview")));
        JsonNode otherPath = ingress("other", "nginx.ingress.kubernetes.io/canary: \"true\", nginx.ingress.kubernetes.io/canary-weight: \"100\"",
                rules(rule("web.test", "Prefix /api preview")));
        IngressRouter r = router(main(), lonely, otherPath);
        assertThat(service(r, get("new.test", "/"))).isEqualTo("404");
        assertThat(service(r, get("web.test", "/api"))).isEqualTo("stable");
        IngressRouter both = router(main(), canary("nginx.ingress.kubernetes.io/canary-weight: \"100\""));
        Route.Decision d = both.route(get("web.test", "/")).orElseThrow();
        assertThat(d.canary()).isTrue();
        assertThat(d.backend().origin()).isEqualTo("ingress default/web-canary");
        assertThat(d.route().origin()).isEqualTo("ingress default/web");
    }

    @Test
    void routeTableTakesHeaderMatchesAndWeightedBackendsForOtherSources() {
        Backend a = new Backend("default", "a", 80, null, "httproute default/r");
        Backend b = new Backend("default", "b", 80, null, "httproute default/r");
        List<Route.WeightedBackend> split = List.of(new Route.WeightedBackend(a, 3), new Route.WeightedBackend(b, 1));
        RouteTable table = RouteTable.builder()
                .add(new Route("r.test", PathMatch.prefix("/"), List.of(), split, null, "httproute default/r"))
                .add(new Route("r.test", PathMatch.prefix("/"), List.of(new Route.HeaderMatch("X-Env", "qa")), List.of(new Route.WeightedBackend(b, 1)),
                        null, "httproute default/r"))
                .build();
        IngressRouter r = new IngressRouter(table, new Random(3));
        assertThat(service(r, get("r.test", "/", "X-Env", "qa"))).isEqualTo("b");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            seen.add(service(r, get("r.test", "/x")));
        }
        assertThat(seen.stream().filter("a"::equals).count() / 40_000.0).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Optional.of(table.routes().size())).contains(2);
    }
}
