package io.sampan.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What operators watch: releases by outcome and their duration, cluster API errors, and how long
 * applying to a cluster takes. Exposed at {@code /actuator/prometheus}.
 */
@Component
public class ReleaseMetrics {
    private final MeterRegistry registry;

    public ReleaseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void finished(String outcome, String reasonKind, Duration duration) {
        Counter.builder("sampan.releases").description("Releases by outcome").tag("outcome", outcome)
                .tag("reason", reasonKind == null ? "none" : reasonKind).register(registry).increment();
        Timer.builder("sampan.release.duration").description("Time from the start of a release to its end").tag("outcome", outcome)
                .register(registry).record(duration);
    }

    public void clusterError(String cluster) {
        Counter.builder("sampan.cluster.errors").description("Calls to a cluster's API that failed").tag("cluster", cluster)
                .register(registry).increment();
    }

    public void tick(String cluster, Duration took) {
        Timer.builder("sampan.cluster.tick").description("Time to advance a release on one cluster (apply, observe)").tag("cluster", cluster)
                .register(registry).record(took);
    }
}
