package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRouteFeatureTest {
    static final String APP = """
            services:
              web:
                image: r.local/web:1
                port: 8080
                expose:
                  - {host: shop.example.com, path: /, tls: {secret: shop-tls}}
                  - {host: shop.example.com, path: /static}
                  - {path: /}
              worker: {image: r.local/worker:1}
            """;

    static List<GenericKubernetesResource> routes(CompiledApp app) {
        return app.ofType(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals("HTTPRoute")).toList();
    }

    @Test
    void aGatewayInTheProfileExposesEachHostByAnHttpRouteInsteadOfAnIngress() {
        CompiledApp app = TestApps.compile(APP, TestApps.PROFILE.withGateway("infra/public"));
        assertThat(app.ofType(Ingress.class)).isEmpty();
        List<GenericKubernetesResource> routes = routes(app);
        assertThat(routes).extracting(r -> r.getMetadata().getName()).containsExactly("shop-web", "shop-web-2");
        GenericKubernetesResource first = routes.get(0);
        assertThat(first.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
        assertThat(first.getMetadata().getNamespace()).isEqualTo("shop-prod");
        assertThat(first.getMetadata().getLabels()).containsEntry("sampan.io/service", "web");
        Map<String, Object> spec = first.get("spec");
        assertThat(spec.get("parentRefs")).isEqualTo(List.of(Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway",
                "namespace", "infra", "name", "public")));
        assertThat(spec.get("hostnames")).isEqualTo(List.of("shop.example.com"));
        assertThat(spec.get("rules")).isEqualTo(List.of(Map.of(
                "matches", List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/")),
                        Map.of("path", Map.of("type", "PathPrefix", "value", "/static"))),
                "backendRefs", List.of(Map.of("name", "shop-web", "port", 80)))));
        Map<String, Object> second = routes.get(1).get("spec");
        assertThat(second.get("hostnames")).isEqualTo(List.of("shop-web.apps.example.com"));
    }

    @Test
    void aGatewayWithoutNamespaceIsTheRoutesOwn() {
        Map<String, Object> spec = routes(TestApps.compile(APP, TestApps.PROFILE.withGateway("public"))).get(0).get("spec");
        assertThat(spec.get("parentRefs")).isEqualTo(List.of(Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "public")));
    }

    @Test
    void withoutAGatewayThereIsAnIngressAndNoRoute() {
        CompiledApp app = TestApps.compile(APP);
        assertThat(routes(app)).isEmpty();
        assertThat(app.ofType(Ingress.class)).hasSize(1);
    }
}
