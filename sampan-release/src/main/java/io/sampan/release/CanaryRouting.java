package io.sampan.release;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.compiler.feature.HttpRouteFeature;
import io.sampan.spec.ReleasePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canary's traffic rules through a Gateway API HTTPRoute, and what each way of routing can express.
 *
 * <p>During a weight step the service's HTTPRoute is applied with, first, one rule per {@code match}
 * rule sending only to the canary Service ({@code <service>-canary}), then each released rule with
 * its backends split by weight: the stable Service (which selects the stable pods only) at
 * {@code 100 - w}, the canary Service at {@code w}. A header rule becomes one {@code Exact} match per
 * value (a header with no values: present, any value); a cookie rule a {@code RegularExpression} on
 * the {@code Cookie} header ({@code NAME=always} without values). More header conditions win over
 * fewer in every Gateway API implementation, so the match rules come before the weights.
 *
 * <p>ingress-nginx expresses one header rule and one cookie rule only (its canary annotations); a
 * plan with more is refused rather than silently cut.
 */
public final class CanaryRouting {
    /** A HTTPRoute holds at most 16 rules and a rule 64 matches (the Gateway API's limits). */
    static final int MAX_RULES = 16;
    static final int MAX_MATCHES = 64;
    private static final com.fasterxml.jackson.databind.ObjectMapper FIELDS = new com.fasterxml.jackson.databind.ObjectMapper();

    private CanaryRouting() {
    }

    static boolean isHttpRoute(HasMetadata o) {
        return HttpRouteFeature.KIND.equals(o.getKind()) && o.getApiVersion() != null
                && o.getApiVersion().startsWith(HttpRouteFeature.GROUP + "/");
    }

    /**
     * Refuses match rules the environment's routing cannot express: through ingress-nginx
     * ({@code gateway} false) more than one header or one cookie rule; through a Gateway more rules
     * than an HTTPRoute holds.
     *
     * @throws ReleasePlan.Unresolvable naming {@code release.match}
     */
    public static void check(ReleasePolicy policy, boolean gateway) {
        if (policy.strategy() != ReleasePolicy.Strategy.CANARY) {
            return;
        }
        List<ReleasePolicy.Match> match = policy.match();
        long headers = match.stream().filter(m -> m.header() != null).count();
        long cookies = match.stream().filter(m -> m.cookie() != null).count();
        if (!gateway && (headers > 1 || cookies > 1)) {
            throw new ReleasePlan.Unresolvable("release.match", "the canary has " + headers + " header rule" + (headers == 1 ? "" : "s")
                    + " and " + cookies + " cookie rule" + (cookies == 1 ? "" : "s") + ", but ingress-nginx takes one header and one cookie; "
                    + "keep one of each, or set a Gateway API Gateway in the environment (profile.gateway) to route by HTTPRoute");
        }
        if (gateway && match.size() >= MAX_RULES) {
            throw new ReleasePlan.Unresolvable("release.match", "the canary has " + match.size() + " match rules, but an HTTPRoute holds "
                    + MAX_RULES + " rules and one is the weights; keep at most " + (MAX_RULES - 1));
        }
    }

    /** Why the cluster cannot take the release's objects (an API it does not serve), or null. */
    static String missingApi(String cluster, List<HasMetadata> objects, ClusterDriver driver) {
        for (HasMetadata o : objects) {
            if (isHttpRoute(o) && !driver.serves(o.getApiVersion(), o.getKind())) {
                return "cluster " + cluster + " does not serve " + o.getApiVersion() + " " + o.getKind() + " (the Gateway API), which the "
                        + "environment's gateway needs for " + o.getKind() + " " + o.getMetadata().getName()
                        + "; install the Gateway API CRDs and a Gateway controller on " + cluster + ", or remove the environment's gateway";
            }
        }
        return null;
    }

    /** The service's HTTPRoute during a weight step: the match rules to the canary, then every rule split by weight. */
    static GenericKubernetesResource weighted(HasMetadata released, int weight, List<ReleasePolicy.Match> match) {
        return weighted(generic(released), weight, match);
    }

    /** The route as plain fields (a release read back may hold fabric8's typed HTTPRoute when the Gateway API model is on the classpath). */
    static GenericKubernetesResource generic(HasMetadata o) {
        return o instanceof GenericKubernetesResource g ? g : FIELDS.convertValue(o, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource weighted(GenericKubernetesResource route, int weight, List<ReleasePolicy.Match> match) {
        Object releasedSpec = route.getAdditionalProperties().get("spec");
        Map<String, Object> spec = new LinkedHashMap<>(releasedSpec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        List<Map<String, Object>> released = (List<Map<String, Object>>) spec.getOrDefault("rules", List.of());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (ReleasePolicy.Match m : match) {
            for (Map<String, Object> rule : released) {
                Map<String, Object> toCanary = new LinkedHashMap<>(rule);
                toCanary.put("matches", matches(matchesOf(rule), m));
                toCanary.put("backendRefs", backends(rule, true, 1));
                rules.add(toCanary);
            }
        }
        for (Map<String, Object> rule : released) {
            Map<String, Object> split = new LinkedHashMap<>(rule);
            List<Map<String, Object>> backends = new ArrayList<>(backends(rule, false, 100 - weight));
            backends.addAll(backends(rule, true, weight));
            split.put("backendRefs", backends);
            rules.add(split);
        }
        spec.put("rules", rules);
        Map<String, Object> properties = new LinkedHashMap<>(route.getAdditionalProperties());
        properties.put("spec", spec);
        return new GenericKubernetesResourceBuilder(route).withAdditionalProperties(properties).build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> matchesOf(Map<String, Object> rule) {
        List<Map<String, Object>> m = (List<Map<String, Object>>) rule.get("matches");
        return m == null || m.isEmpty() ? List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"))) : m;
    }

    /** Each of the rule's backends, or its {@code -canary} Service, at {@code weight} times its own weight. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> backends(Map<String, Object> rule, boolean canary, int weight) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> ref : (List<Map<String, Object>>) rule.getOrDefault("backendRefs", List.of())) {
            int own = ref.get("weight") instanceof Number n ? n.intValue() : 1;
            Map<String, Object> b = new LinkedHashMap<>(ref);
            if (canary) {
                b.put("name", ref.get("name") + BatchWrites.CANARY_SUFFIX);
            }
            b.put("weight", own * weight);
            out.add(b);
        }
        return out;
    }

    /** Each released match with the rule's header condition added, one per header value. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> matches(List<Map<String, Object>> released, ReleasePolicy.Match m) {
        List<Map<String, String>> conditions = conditions(m);
        if (released.size() * conditions.size() > MAX_MATCHES) {
            conditions = List.of(regex(m.header(), "^(" + String.join("|", m.values().stream().map(BatchWrites::literal).toList()) + ")$"));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> match : released) {
            for (Map<String, String> condition : conditions) {
                Map<String, Object> one = new LinkedHashMap<>(match);
                List<Object> headers = new ArrayList<>((List<Object>) match.getOrDefault("headers", List.of()));
                headers.add(condition);
                one.put("headers", headers);
                out.add(one);
            }
        }
        return out;
    }

    private static List<Map<String, String>> conditions(ReleasePolicy.Match m) {
        if (m.cookie() != null) {
            String values = m.values().isEmpty() ? "always" : "(" + String.join("|", m.values().stream().map(BatchWrites::literal).toList()) + ")";
            return List.of(regex("Cookie", "(^|;\\s*)" + BatchWrites.literal(m.cookie()) + "=" + values + "(;|$)"));
        }
        if (m.values().isEmpty()) {
            return List.of(regex(m.header(), ".*"));
        }
        return m.values().stream().map(v -> {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("type", "Exact");
            c.put("name", m.header());
            c.put("value", v);
            return c;
        }).toList();
    }

    private static Map<String, String> regex(String name, String pattern) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("type", "RegularExpression");
        c.put("name", name);
        c.put("value", pattern);
        return c;
    }
}
