package io.sampan.compiler.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.TestApps;
import org.junit.jupiter.api.Test;

class PortsFeatureTest {

    @Test
    void mainPortIsReachedOnPort80AndExtraPortsKeepTheirNumbers() {
        CompiledApp app = TestApps.compile("""
                services:
                  api: {image: r.local/api:1, port: 8000, ports: [{name: grpc, port: 9090, protocol: grpc}, {name: dns, port: 53, protocol: udp}]}
                """);
        Service svc = app.get(Service.class, "shop-api");
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSelector()).containsOnlyKeys("sampan.io/app", "sampan.io/service");
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort, p -> p.getTargetPort().getStrVal(), ServicePort::getProtocol)
                .containsExactly(tuple("http", 80, "http", "TCP"), tuple("grpc", 9090, "grpc", "TCP"), tuple("dns", 53, "dns", "UDP"));
        Container c = app.get(Deployment.class, "shop-api").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactly(tuple("http", 8000), tuple("grpc", 9090), tuple("dns", 53));
    }

    @Test
    void aWorkerHasNoServiceAndNoPorts() {
        CompiledApp app = TestApps.compile("""
                services:
                  worker: {image: r.local/worker:1, command: [celery, worker]}
                """);
        assertThat(app.ofType(Service.class)).isEmpty();
        assertThat(app.get(Deployment.class, "shop-worker").getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()).isEmpty();
        assertThat(app.get(Deployment.class, "shop-worker").getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "worker");
    }

    @Test
    void aStatefulWorkerStillGetsTheHeadlessServiceItsStatefulSetNames() {
        CompiledApp app = TestApps.compile("""
                services:
                  queue: {image: r.local/queue:1, stateful: true, volumes: [{name: data, path: /data, size: 1Gi}]}
                """);
        Service headless = app.get(Service.class, "shop-queue-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPorts()).isEmpty();
        assertThat(app.get(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "shop-queue").getSpec().getServiceName())
                .isEqualTo(headless.getMetadata().getName());
        assertThat(app.ofType(Service.class)).hasSize(1);
    }

    @Test
    void aStatefulServiceGetsAHeadlessServiceWithTheContainerPort() {
        CompiledApp app = TestApps.compile("""
                services:
                  store: {image: r.local/store:1, port: 7000, stateful: true}
                """);
        Service headless = app.get(Service.class, "shop-store-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(7000);
        assertThat(app.get(Service.class, "shop-store").getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(80);
    }
}
