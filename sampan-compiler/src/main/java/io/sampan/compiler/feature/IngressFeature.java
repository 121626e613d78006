package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.Expose;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public exposure: one Ingress per service, a rule per host, a Prefix path per exposure, routed to
 * the service's standard port. A missing host defaults to {@code <app>-<service>.<domain suffix>}.
 * When the profile names a Gateway, {@link HttpRouteFeature} exposes the service instead.
 */
public final class IngressFeature implements Feature {

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        if (s == null || s.expose().isEmpty() || scope.profile().routesByGateway()) {
            return List.of();
        }
        Map<String, List<HTTPIngressPath>> pathsByHost = new LinkedHashMap<>();
        Map<String, List<String>> hostsBySecret = new LinkedHashMap<>();
        for (int i = 0; i < s.expose().size(); i++) {
            Expose e = s.expose().get(i);
            String host = e.host() != null ? e.host() : defaultHost(scope, i);
            if (host == null) {
                continue;
            }
            pathsByHost.computeIfAbsent(host, h -> new ArrayList<>()).add(new HTTPIngressPathBuilder().withPath(e.path())
                    .withPathType("Prefix").withNewBackend().withNewService().withName(scope.objectName())
                    .withNewPort().withName(PortsFeature.MAIN_PORT_NAME).endPort().endService().endBackend().build());
            if (e.tlsSecret() != null) {
                String secret = e.tlsSecret().isEmpty() ? scope.objectName() + "-tls" : e.tlsSecret();
                List<String> hosts = hostsBySecret.computeIfAbsent(secret, k -> new ArrayList<>());
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            }
        }
        List<IngressRule> rules = new ArrayList<>();
        pathsByHost.forEach((host, paths) -> rules.add(new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(paths).endHttp().build()));
        List<IngressTLS> tls = new ArrayList<>();
        hostsBySecret.forEach((secret, hosts) -> tls.add(new IngressTLSBuilder().withSecretName(secret).withHosts(hosts).build()));
        return List.of(new IngressBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels()).endMetadata()
                .withNewSpec().withIngressClassName(scope.profile().ingressClass()).withRules(rules).withTls(tls).endSpec().build());
    }

    static String defaultHost(PodScope scope, int index) {
        String suffix = scope.profile().domainSuffix();
        if (suffix == null || suffix.isBlank()) {
            scope.context().problem("spec.services." + scope.part() + ".expose[" + index + "].host",
                    "no host is given and the cluster profile has no domain suffix to make one",
                    "write `host:` in app.yaml, or set `domainSuffix` in the cluster profile");
            return null;
        }
        return scope.objectName() + "." + suffix;
    }
}
