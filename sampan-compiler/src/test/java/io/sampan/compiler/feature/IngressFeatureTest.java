package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.TestApps;
import io.sampan.spec.SpecException;
import org.junit.jupiter.api.Test;

class IngressFeatureTest {

    @Test
    void exposuresBecomeRulesPerHostWithPrefixPathsToTheStandardPort() {
        Ingress ing = TestApps.compile("""
                services:
                  web:
                    image: r.local/web:1
                    port: 8080
                    expose:
                      - {host: shop.example.com, path: /, tls: {secret: shop-tls}}
                      - {host: shop.example.com, path: /static}
                      - {path: /}
                """).get(Ingress.class, "shop-web");
        assertThat(ing.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ing.getSpec().getRules()).extracting(IngressRule::getHost).containsExactly("shop.example.com", "shop-web.apps.example.com");
        var paths = ing.getSpec().getRules().get(0).getHttp().getPaths();
        assertThat(paths).extracting(p -> p.getPath()).containsExactly("/", "/static");
        assertThat(paths.get(0).getPathType()).isEqualTo("Prefix");
        assertThat(paths.get(0).getBackend().getService().getName()).isEqualTo("shop-web");
        assertThat(paths.get(0).getBackend().getService().getPort().getName()).isEqualTo("http");
        assertThat(ing.getSpec().getTls()).singleElement().satisfies(t -> {
            assertThat(t.getSecretName()).isEqualTo("shop-tls");
            assertThat(t.getHosts()).containsExactly("shop.example.com");
        });
    }

    @Test
    void aDefaultHostNeedsADomainSuffixInTheProfile() {
        assertThatThrownBy(() -> TestApps.compile("""
                services:
                  web: {image: r.local/web:1, port: 8080, expose: [{path: /}]}
                """, ClusterProfile.defaults("ns")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("spec.services.web.expose[0].host")
                .hasMessageContaining("no domain suffix");
    }
}
