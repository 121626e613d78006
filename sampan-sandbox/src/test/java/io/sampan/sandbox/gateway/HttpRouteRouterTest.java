package io.sampan.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Routing decisions from Gateway API HTTPRoutes, without a cluster. */
class HttpRouteRouterTest {
    int created;

    /** An HTTPRoute created one second after the previous one (or at {@code second} when given). */
    JsonNode route(String name, String spec) {
        return route(name, ++created, spec);
    }

    static JsonNode route(String name, int second, String spec) {
        String text = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: %s
                  namespace: default
                  creationTimestamp: "2026-12-01T10:00:%02dZ"
                spec:
                %s
                """.formatted(name, second, spec.indent(2));
        try {
            return GatewayApiCrds.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rule: {@code match} is a flow-style list of matches (or empty), then {@code svc} or {@code svc:weight} backends on port 80. */
    static String rule(String matches, String... backends) {
        StringBuilder b = new StringBuilder("- ");
        if (!matches.isEmpty()) {
            b.append("matches: ").append(matches).append("\n  ");
        }
        b.append("backendRefs:");
        if (backends.length == 0) {
            b.append(" []");
        }
        b.append('\n');
        for (String s : backends) {
            String[] f = s.split(":");
            b.append("  - {name: ").append(f[0]).append(", port: 80").append(f.length > 1 ? ", weight: " + f[1] : "").append("}\n");
        }
        return b.toString();
    }

    static String rules(String... rules) {
        return "rules:\n" + String.join("", rules);
    }

    static GatewayRequest req(String method, String host, String pathAndQuery, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        int q = pathAndQuery.indexOf('?');
        return GatewayRequest.of(method, host, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1), h);
    }

    static GatewayRequest get(String host, String pathAndQuery, String... headers) {
        return req("GET", host, pathAndQuery, headers);
    }

    /** The Service a request goes to, {@code 500} when it gets no backend, {@code 404} when nothing matches. */
    static String service(HttpRouteRouter r, GatewayRequest req) {
        return r.route(req).map(d -> d.backend() == null ? "500" : d.backend().service()).orElse("404");
    }

    static HttpRouteRouter router(JsonNode... routes) {
        return HttpRouteRouter.of(List.of(routes), new Random(11));
    }

    @Test
    void hostnamesExactBeforeWildcardBeforeNoneAndWildcardsCoverSubdomains() {
        HttpRouteRouter r = router(
                route("any", rules(rule("", "any"))),
                route("wild", "hostnames: [\"*.example.com\"]\n" + rules(rule("", "wild"))),
                route("deeper", "hostnames: [\"*.shop.example.com\"]\n" + rules(rule("", "deeper"))),
                route("shop", "hostnames: [shop.example.com, other.test]\n" + rules(rule("[{path: {type: PathPrefix, value: /cart}}]", "cart"))));
        assertThat(service(r, get("shop.example.com", "/cart/1"))).isEqualTo("cart");
        assertThat(service(r, get("Shop.Example.com:8080", "/cart"))).as("case and port of the Host header ignored").isEqualTo("cart");
        assertThat(service(r, get("other.test", "/cart"))).isEqualTo("cart");
        assertThat(service(r, get("shop.example.com", "/checkout"))).as("an exact host's routes do not hide the others'").isEqualTo("wild");
        assertThat(service(r, get("blog.example.com", "/"))).isEqualTo("wild");
        assertThat(service(r, get("a.b.example.com", "/"))).as("a wildcard covers more than one label").isEqualTo("wild");
        assertThat(service(r, get("eu.shop.example.com", "/"))).as("the longer wildcard first").isEqualTo("deeper");
        assertThat(service(r, get("example.com", "/"))).as("not the bare domain").isEqualTo("any");
        assertThat(service(r, get(null, "/x"))).isEqualTo("any");
        assertThat(service(router(route("only", "hostnames: [a.test]\n" + rules(rule("", "a")))), get("b.test", "/"))).isEqualTo("404");
    }

    @Test
    void precedenceExactThenLongestPrefixThenMethodThenHeadersThenQueryParams() {
        HttpRouteRouter r = router(route("web", rules(
                rule("[{path: {value: /}}]", "root"),
                rule("[{path: {type: PathPrefix, value: /api}}]", "api"),
                rule("[{path: {type: PathPrefix, value: /api/v2/}}]", "v2"),
                rule("[{path: {type: Exact, value: /api/health}}]", "health"),
                rule("[{path: {type: RegularExpression, value: \"/api/users/[0-9]+\"}}]", "user"),
                rule("[{path: {value: /api}, queryParams: [{name: debug, value: \"1\"}]}]", "debug"),
                rule("[{path: {value: /api}, headers: [{name: x-env, value: qa}]}]", "qa"),
                rule("[{path: {value: /api}, headers: [{name: x-env, value: qa}, {name: x-user, value: bob}]}]", "qa-bob"),
                rule("[{path: {value: /api}, method: POST}]", "post"))));
        assertThat(service(r, get(null, "/"))).isEqualTo("root");
        assertThat(service(r, get(null, "/apis"))).as("element-wise prefix").isEqualTo("root");
        assertThat(service(r, get(null, "/api/things"))).isEqualTo("api");
        assertThat(service(r, get(null, "/api/v2"))).as("trailing slash of a prefix ignored").isEqualTo("v2");
        assertThat(service(r, get(null, "/api/health"))).isEqualTo("health");
        assertThat(service(r, get(null, "/api/health/x"))).as("Exact is exact").isEqualTo("api");
        assertThat(service(r, get(null, "/api/users/42"))).as("a regular expression before prefixes").isEqualTo("user");
        assertThat(service(r, get(null, "/api/users/bob"))).as("the whole path must match").isEqualTo("api");
        assertThat(service(r, get(null, "/api/x?debug=1"))).isEqualTo("debug");
        assertThat(service(r, get(null, "/api/x", "X-Env", "qa"))).isEqualTo("qa");
        assertThat(service(r, get(null, "/api/x?debug=1", "X-Env", "qa"))).as("more header matches before query matches").isEqualTo("qa");
        assertThat(service(r, get(null, "/api/x", "X-Env", "qa", "X-User", "bob"))).as("more header matches first").isEqualTo("qa-bob");
        assertThat(service(r, req("POST", null, "/api/x", "X-Env", "qa", "X-User", "bob"))).as("a method match before header matches")
                .isEqualTo("post");
        assertThat(service(r, req("POST", null, "/api/v2/x"))).as("the longer prefix before a method match").isEqualTo("v2");
    }

    @Test
    void tiesGoToTheOldestRouteThenByNameThenToTheFirstRule() {
        JsonNode older = route("zeta", 1, rules(rule("[{path: {value: /same}}]", "older")));
        JsonNode newer = route("alpha", 2, rules(rule("[{path: {value: /same}}]", "newer")));
        assertThat(service(router(newer, older), get(null, "/same"))).isEqualTo("older");
        JsonNode b = route("b", 5, rules(rule("[{path: {value: /same}}]", "b")));
        JsonNode a = route("a", 5, rules(rule("[{path: {value: /same}}]", "a")));
        assertThat(service(router(b, a), get(null, "/same"))).as("same age: alphabetical namespace/name").isEqualTo("a");
        JsonNode rulesInOrder = route("r", rules(rule("[{path: {value: /x}}]", "first"), rule("[{path: {value: /x}}]", "second")));
        assertThat(service(router(rulesInOrder), get(null, "/x"))).isEqualTo("first");
        Route.Decision d = router(newer, older).route(get(null, "/same")).orElseThrow();
        assertThat(d.route().origin()).isEqualTo("httproute default/zeta");
    }

    @Test
    void matchesOfARuleAreOredTheirConditionsAnded() {
        HttpRouteRouter r = router(route("web", rules(
                rule("[{path: {value: /}}]", "stable"),
                rule("[{headers: [{name: x-canary, value: \"true\"}], queryParams: [{name: v, value: \"2\"}]},"
                        + " {path: {type: Exact, value: /preview}}]", "canary"),
                rule("[{headers: [{type: RegularExpression, name: x-user, value: \"^(alice|bob)$\"}]},"
                        + " {queryParams: [{type: RegularExpression, name: group, value: \"^beta-\"}]}]", "beta"))));
        assertThat(service(r, get(null, "/x?v=2", "x-canary", "true"))).isEqualTo("canary");
        assertThat(service(r, get(null, "/x?v=2", "X-CANARY", "true"))).as("header names are case-insensitive").isEqualTo("canary");
        assertThat(service(r, get(null, "/x", "x-canary", "true"))).as("every condition of a match").isEqualTo("stable");
        assertThat(service(r, get(null, "/x?v=2", "x-canary", "True"))).as("header values are case-sensitive").isEqualTo("stable");
        assertThat(service(r, get(null, "/x?V=2", "x-canary", "true"))).as("query names are case-sensitive").isEqualTo("stable");
        assertThat(service(r, get(null, "/preview"))).as("any match of the rule").isEqualTo("canary");
        assertThat(service(r, get(null, "/x", "x-user", "bob"))).isEqualTo("beta");
        assertThat(service(r, get(null, "/x", "x-user", "bobby"))).isEqualTo("stable");
        assertThat(service(r, get(null, "/x?group=beta-2"))).isEqualTo("beta");
        assertThat(service(r, get(null, "/x?group=gamma"))).isEqualTo("stable");
    }

    @Test
    void weightsSplitTrafficZeroGetsNothingAllZeroIsServerError() {
        HttpRouteRouter r = router(route("split", rules(rule("", "v1:90", "v2:10", "v3:0"))));
        int n = 100_000;
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            seen.merge(service(r, get(null, "/")), 1, Integer::sum);
        }
        assertThat(seen.get("v2") / (double) n).isCloseTo(0.10, offset(0.005));
        assertThat(seen.get("v1") / (double) n).isCloseTo(0.90, offset(0.005));
        assertThat(seen).doesNotContainKey("v3");
        assertThat(service(router(route("default", rules(rule("", "only")))), get(null, "/"))).as("weight 1 by default").isEqualTo("only");
        assertThat(service(router(route("zero", rules(rule("", "v1:0", "v2:0")))), get(null, "/"))).isEqualTo("500");
        assertThat(service(router(route("one-zero", rules(rule("", "v1:0")))), get(null, "/"))).isEqualTo("500");
        assertThat(service(router(route("none", rules(rule("")))), get(null, "/"))).isEqualTo("500");
        HttpRouteRouter blueGreen = router(route("bg", rules(rule("", "blue:0", "green:100"))));
        for (int i = 0; i < 1000; i++) {
            assertThat(service(blueGreen, get(null, "/"))).isEqualTo("green");
        }
    }

    @Test
    void sameSeedSameSplit() {
        JsonNode split = route("split", rules(rule("", "v1:50", "v2:50")));
        HttpRouteRouter a = HttpRouteRouter.of(List.of(split), new Random(42));
        HttpRouteRouter b = HttpRouteRouter.of(List.of(split), new Random(42));
        for (int i = 0; i < 200; i++) {
            assertThat(service(a, get(null, "/"))).isEqualTo(service(b, get(null, "/")));
        }
    }

    @Test
    void backendRefsOfAnotherKindOrNamespaceCannotBeFollowed() {
        JsonNode r = route("refs", rules("""
                - matches: [{path: {value: /kind}}]
                  backendRefs: [{group: example.com, kind: Bucket, name: b}]
                - matches: [{path: {value: /ns}}]
                  backendRefs: [{name: s, namespace: other, port: 80}]
                - matches: [{path: {value: /port}}]
                  backendRefs: [{name: s}]
                """));
        HttpRouteRouter router = router(r);
        assertThat(router.route(get(null, "/kind")).orElseThrow().backend().invalid()).startsWith("InvalidKind");
        assertThat(router.route(get(null, "/ns")).orElseThrow().backend().invalid()).startsWith("RefNotPermitted");
        assertThat(router.route(get(null, "/port")).orElseThrow().backend().invalid()).startsWith("BackendNotFound");
    }

    @Test
    void httpRoutesComeBeforeIngressesInOneTable() {
        JsonNode ingress = new IngressRouterTest().ingress("web", "", IngressRouterTest.rules(
                IngressRouterTest.rule("web.test", "Prefix / ingress-root", "Prefix /legacy legacy")));
        JsonNode hr = route("web", "hostnames: [web.test]\n" + rules(rule("[{path: {value: /}, headers: [{name: x-new, value: \"1\"}]}]", "new"),
                rule("[{path: {value: /api}}]", "api")));
        RouteTable.Builder b = RouteTable.builder();
        HttpRouteRouter.addTo(b, List.of(hr));
        IngressRouter.addTo(b, List.of(ingress));
        IngressRouter both = new IngressRouter(b.build(), new Random(1));
        assertThat(IngressRouterTest.service(both, IngressRouterTest.get("web.test", "/api/x"))).isEqualTo("api");
        assertThat(IngressRouterTest.service(both, IngressRouterTest.get("web.test", "/legacy", "x-new", "1"))).as("any HTTPRoute match first")
                .isEqualTo("new");
        assertThat(IngressRouterTest.service(both, IngressRouterTest.get("web.test", "/legacy"))).isEqualTo("legacy");
        assertThat(IngressRouterTest.service(both, IngressRouterTest.get("web.test", "/"))).isEqualTo("ingress-root");
    }
}
