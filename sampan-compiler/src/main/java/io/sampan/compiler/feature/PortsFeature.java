package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.ObjectNames;
import io.sampan.spec.PortSpec;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Container ports and the Service in front of them. The main port is named {@code http} and is
 * reached on the standard port 80 whatever the container listens on; extra ports keep their
 * numbers. A stateful service also gets a headless Service for stable per-instance DNS names.
 */
public final class PortsFeature implements Feature {
    public static final String MAIN_PORT_NAME = "http";
    public static final int STANDARD_PORT = 80;

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        ServiceSpec s = scope.service();
        if (s == null || s.port() == null) {
            return;
        }
        List<ContainerPort> ports = new ArrayList<>();
        ports.add(new ContainerPortBuilder().withName(MAIN_PORT_NAME).withContainerPort(s.port()).withProtocol("TCP").build());
        for (PortSpec p : s.ports()) {
            ports.add(new ContainerPortBuilder().withName(p.name()).withContainerPort(p.port()).withProtocol(protocol(p)).build());
        }
        PodScope.mainContainer(pod).setPorts(ports);
    }

    @Override
    public List<HasMetadata> accompanyingObjects(PodScope scope) {
        ServiceSpec s = scope.service();
        if (s == null) {
            return List.of();
        }
        if (s.port() == null) {
            // a stateful worker still needs its headless Service: it gives each instance its DNS name
            return s.stateful() ? List.of(headless(scope, s, List.of())) : List.of();
        }
        List<ServicePort> ports = new ArrayList<>();
        ports.add(new ServicePortBuilder().withName(MAIN_PORT_NAME).withPort(STANDARD_PORT)
                .withTargetPort(new IntOrString(MAIN_PORT_NAME)).withProtocol("TCP").withAppProtocol("http").build());
        for (PortSpec p : s.ports()) {
            ports.add(new ServicePortBuilder().withName(p.name()).withPort(p.port()).withTargetPort(new IntOrString(p.name()))
                    .withProtocol(protocol(p)).build());
        }
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceBuilder().withNewMetadata().withName(scope.objectName()).withLabels(scope.labels()).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(scope.selector()).withPorts(ports).endSpec().build());
        if (s.stateful()) {
            List<ServicePort> direct = new ArrayList<>();
            direct.add(new ServicePortBuilder().withName(MAIN_PORT_NAME).withPort(s.port()).withTargetPort(new IntOrString(MAIN_PORT_NAME))
                    .withProtocol("TCP").build());
            direct.addAll(ports.subList(1, ports.size()));
            out.add(headless(scope, s, direct));
        }
        return out;
    }

    /** A headless Service: per-instance DNS names, ready or not (peers must find each other to become ready). */
    private static HasMetadata headless(PodScope scope, ServiceSpec s, List<ServicePort> ports) {
        return new ServiceBuilder().withNewMetadata().withName(ObjectNames.headlessService(scope.app().name(), s.name()))
                .withLabels(scope.labels()).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(scope.selector())
                .withPorts(ports).endSpec().build();
    }

    private static String protocol(PortSpec p) {
        return p.protocol() == PortSpec.Protocol.UDP ? "UDP" : "TCP";
    }
}
