package io.sampan.compiler.feature;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.sampan.compiler.PodScope;
import io.sampan.spec.Health;
import io.sampan.spec.ServiceSpec;

/**
 * Readiness, liveness and start-up probes from {@code health}, with timeouts loose enough that a
 * slow moment does not cascade into restarts. Without a health check, a service with a port gets a
 * TCP readiness check only (no liveness: restarting on a guess does more harm than good).
 */
public final class HealthProbesFeature implements Feature {
    static final int READINESS_PERIOD = 5;
    static final int READINESS_TIMEOUT = 2;
    static final int LIVENESS_PERIOD = 10;
    static final int LIVENESS_TIMEOUT = 3;
    static final int FAILURES = 3;
    static final int STARTUP_PERIOD = 5;

    @Override
    public void decoratePod(PodScope scope, PodTemplateSpec pod) {
        ServiceSpec s = scope.service();
        if (s == null) {
            return;
        }
        Container c = PodScope.mainContainer(pod);
        RuntimePreset preset = RuntimePreset.of(s.runtime());
        Health health = s.health();
        if (health == null && preset.defaultHealthPath() != null && s.port() != null) {
            health = new Health(preset.defaultHealthPath(), false, java.util.List.of(), null, null);
        }
        if (health == null) {
            if (s.port() != null) {
                c.setReadinessProbe(tcp(new IntOrString(PortsFeature.MAIN_PORT_NAME))
                        .withPeriodSeconds(READINESS_PERIOD).withTimeoutSeconds(READINESS_TIMEOUT).withFailureThreshold(FAILURES).build());
            }
            return;
        }
        IntOrString port = health.port() != null ? new IntOrString(health.port()) : new IntOrString(PortsFeature.MAIN_PORT_NAME);
        c.setReadinessProbe(handler(health, port).withPeriodSeconds(READINESS_PERIOD).withTimeoutSeconds(READINESS_TIMEOUT)
                .withFailureThreshold(FAILURES).withSuccessThreshold(1).build());
        c.setLivenessProbe(handler(health, port).withPeriodSeconds(LIVENESS_PERIOD).withTimeoutSeconds(LIVENESS_TIMEOUT)
                .withFailureThreshold(FAILURES).withSuccessThreshold(1).build());
        int startup = health.startupSeconds() != null ? health.startupSeconds() : preset.startupSeconds();
        if (startup > 0) {
            c.setStartupProbe(handler(health, port).withPeriodSeconds(STARTUP_PERIOD).withTimeoutSeconds(READINESS_TIMEOUT)
                    .withFailureThreshold((startup + STARTUP_PERIOD - 1) / STARTUP_PERIOD).withSuccessThreshold(1).build());
        }
    }

    private static ProbeBuilder handler(Health h, IntOrString port) {
        if (h.http() != null) {
            return new ProbeBuilder().withNewHttpGet().withPath(h.http()).withPort(port).withScheme("HTTP").endHttpGet();
        }
        if (h.tcp()) {
            return tcp(port);
        }
        return new ProbeBuilder().withNewExec().withCommand(h.exec()).endExec();
    }

    private static ProbeBuilder tcp(IntOrString port) {
        return new ProbeBuilder().withNewTcpSocket().withPort(port).endTcpSocket();
    }
}
