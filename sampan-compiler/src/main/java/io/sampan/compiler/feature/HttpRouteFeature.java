package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.compiler.PodScope;
import io.sampan.spec.Expose;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public exposure through a Gateway API Gateway (the profile's {@code gateway}): for each host of a
 * service an HTTPRoute ({@code gateway.networking.k8s.io/v1}) attached to the Gateway, with one
 * {@code PathPrefix} match per exposure, routed to the service's Service on its standard port. The
 * first host's HTTPRoute is named as the service's objects, the others {@code <name>-2}, {@code -3}...
 * (one route per host: a route's paths apply to all its hostnames). TLS belongs to the Gateway's
 * listeners, so an exposure's {@code tls} is not part of the route.
 */
public final class HttpRouteFeature implements Feature {
    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String KIND = "HTTPRoute";

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        if (s == null || s.expose().isEmpty() || !scope.profile().routesByGateway()) {
            return List.of();
        }
        Map<String, List<String>> pathsByHost = new LinkedHashMap<>();
        for (int i = 0; i < s.expose().size(); i++) {
            Expose e = s.expose().get(i);
            String host = e.host() != null ? e.host() : IngressFeature.defaultHost(scope, i);
            if (host != null) {
                List<String> paths = pathsByHost.computeIfAbsent(host, h -> new ArrayList<>());
                if (!paths.contains(e.path())) {
                    paths.add(e.path());
                }
            }
        }
        List<HasMetadata> out = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, List<String>> e : pathsByHost.entrySet()) {
            String name = scope.objectName() + (n++ == 0 ? "" : "-" + n);
            out.add(route(name, scope, e.getKey(), e.getValue()));
        }
        return out;
    }

    private static GenericKubernetesResource route(String name, PodScope scope, String host, List<String> paths) {
        List<Object> matches = new ArrayList<>();
        for (String path : paths) {
            matches.add(Map.of("path", Map.of("type", "PathPrefix", "value", path)));
        }
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", scope.objectName());
        backend.put("port", PortsFeature.STANDARD_PORT);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("matches", matches);
        rule.put("backendRefs", List.of(backend));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("parentRefs", List.of(parentRef(scope.profile().gateway())));
        spec.put("hostnames", List.of(host));
        spec.put("rules", List.of(rule));
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(KIND).withNewMetadata().withName(name)
                .withLabels(scope.labels()).endMetadata().addToAdditionalProperties("spec", spec).build();
    }

    /** A parentRef to the Gateway {@code name} or {@code namespace/name}. */
    static Map<String, Object> parentRef(String gateway) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("group", GROUP);
        ref.put("kind", "Gateway");
        int slash = gateway.indexOf('/');
        if (slash >= 0) {
            ref.put("namespace", gateway.substring(0, slash));
        }
        ref.put("name", gateway.substring(slash + 1));
        return ref;
    }
}
