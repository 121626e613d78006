package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.resolve;
import static io.sampan.spec.read.Docs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Autoscale;
import io.sampan.spec.Expose;
import io.sampan.spec.Health;
import io.sampan.spec.Memory;
import io.sampan.spec.Placement;
import io.sampan.spec.PortSpec;
import io.sampan.spec.Runtime;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.VolumeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a valid service binds to, and the defaults of what is left out. */
class ServiceBindingTest {

    private static ServiceSpec service(String fields) {
        return resolve(web(fields)).services().get("web");
    }

    @Test
    void defaults() {
        ServiceSpec s = service("port: 8080");
        assertThat(s.replicas()).isEqualTo(1);
        assertThat(s.resources().cpu().toKubernetes()).isEqualTo("500m");
        assertThat(s.resources().memory().toKubernetes()).isEqualTo("512Mi");
        assertThat(s.runtime()).isNull();
        assertThat(s.health()).isNull();
        assertThat(s.autoscale()).isNull();
        assertThat(s.stateful()).isFalse();
        assertThat(s.placement()).isEqualTo(Placement.NONE);
        assertThat(s.isWorker()).isFalse();
        assertThat(service("").isWorker()).isTrue();
    }

    @Test
    void theStaticRuntimeListensOn8080UnlessToldOtherwise() {
        assertThat(service("runtime: static").port()).isEqualTo(8080);
        assertThat(service("runtime: static\nport: 3000").port()).isEqualTo(3000);
        assertThat(service("runtime: node").port()).isNull();
    }

    @Test
    void runtimes() {
        for (Runtime r : Runtime.values()) {
            assertThat(service("runtime: " + r.id() + "\nport: 80\nresources: {memory: 1Gi}").runtime()).isEqualTo(r);
        }
        assertThat(Runtime.ids()).containsExactly("java", "python", "node", "go", "static");
    }

    @Test
    void replicasComeFromAutoscaleMinWhenNotGiven() {
        assertThat(service("autoscale: {min: 3, max: 9}").replicas()).isEqualTo(3);
        assertThat(service("autoscale: {max: 9}").replicas()).isEqualTo(1);
        assertThat(service("replicas: 4\nautoscale: {min: 3, max: 9}").replicas()).isEqualTo(4);
        assertThat(service("replicas: 0").replicas()).isZero();
    }

    @Test
    void autoscaleDefaults() {
        assertThat(service("autoscale: {max: 9}").autoscale()).isEqualTo(new Autoscale(1, 9, 70, null, Duration.ofMinutes(5)));
        assertThat(service("autoscale: {max: 9, memory: 80}").autoscale()).isEqualTo(new Autoscale(1, 9, null, 80, Duration.ofMinutes(5)));
        assertThat(service("autoscale: {min: 2, max: 9, cpu: 50, memory: 80, cooldown: 90s}").autoscale())
                .isEqualTo(new Autoscale(2, 9, 50, 80, Duration.ofSeconds(90)));
        assertThat(service("autoscale: {max: 9, cooldown: 1h}").autoscale().cooldown()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void portsHealthAndExposure() {
        ServiceSpec s = service("""
                port: 8080
                ports: [{name: grpc, port: 9090, protocol: grpc}, {name: metrics, port: 9100}]
                health: {http: /actuator/health, startupSeconds: 90}
                expose:
                  - {host: shop.example.com}
                  - {host: shop.example.com, path: /api, tls: true}
                  - {host: "*.shop.example.com", tls: {secret: wildcard-tls}}
                  - {path: /internal}
                """);
        assertThat(s.ports()).containsExactly(new PortSpec("grpc", 9090, PortSpec.Protocol.GRPC),
                new PortSpec("metrics", 9100, PortSpec.Protocol.TCP));
        assertThat(s.health()).isEqualTo(new Health("/actuator/health", false, List.of(), null, 90));
        assertThat(s.expose()).containsExactly(new Expose("shop.example.com", "/", null), new Expose("shop.example.com", "/api", ""),
                new Expose("*.shop.example.com", "/", "wildcard-tls"), new Expose(null, "/internal", null));
    }

    @Test
    void healthKinds() {
        assertThat(service("port: 80\nhealth: {tcp: true}").health()).isEqualTo(new Health(null, true, List.of(), null, null));
        assertThat(service("health: {exec: [pg_isready, -q]}").health().exec()).containsExactly("pg_isready", "-q");
        assertThat(service("health: {http: /healthz, port: 9000}").health().port()).isEqualTo(9000);
    }

    @Test
    void envConfigAndPlacement() {
        ServiceSpec s = service("""
                env: {Z: last, A: 1, ENABLED: true}
                config: {/etc/b.conf: b, /etc/a.conf: a}
                placement:
                  nodeSelector: {machine: compute, disk: ssd}
                  spread: topology.kubernetes.io/zone
                  tolerate: [dedicated, dedicated=mall, gpu=true:NoSchedule, spot=:PreferNoSchedule]
                """);
        assertThat(s.env()).containsExactly(Map.entry("Z", "last"), Map.entry("A", "1"), Map.entry("ENABLED", "true"));
        assertThat(s.config().keySet()).containsExactly("/etc/a.conf", "/etc/b.conf");
        assertThat(s.placement().nodeSelector().keySet()).containsExactly("disk", "machine");
        assertThat(s.placement().spread()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(s.placement().tolerate()).containsExactly(new Placement.Toleration("dedicated", null, null),
                new Placement.Toleration("dedicated", "mall", null), new Placement.Toleration("gpu", "true", "NoSchedule"),
                new Placement.Toleration("spot", "", "PreferNoSchedule"));
    }

    @Test
    void statefulWithVolumes() {
        ServiceSpec s = service("""
                port: 5432
                stateful: true
                volumes: [{name: data, path: /var/lib/postgresql/data, size: 20Gi, storageClass: ssd}, {name: wal, path: /wal, size: 1.5Gi}]
                """);
        assertThat(s.stateful()).isTrue();
        assertThat(s.volumes()).containsExactly(
                new VolumeSpec("data", "/var/lib/postgresql/data", Memory.parse("20Gi").orElseThrow(), "ssd"),
                new VolumeSpec("wal", "/wal", Memory.ofMebibytes(1536), null));
    }

    @Test
    void commandAndArgsKeepScalarsAsText() {
        ServiceSpec s = service("command: [gunicorn, -w, 4]\nargs: [--timeout, 30.5, true]");
        assertThat(s.command()).containsExactly("gunicorn", "-w", "4");
        assertThat(s.args()).containsExactly("--timeout", "30.5", "true");
    }
}
