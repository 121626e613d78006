package io.sampan.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.ReleaseProgress.Phase;
import io.sampan.release.ReleaseProgress.Step;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Gates after each batch: held for their duration, failing after consecutive failed checks, no data by policy, skipped by a person. */
class GateTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 4}
              release:
                strategy: batch
                batches: [1, 100%%]
                autoRollback: true
                gates: [{name: error-rate, prometheus: 'sum(rate(errors[1m]))', max: 0.01, for: 2m, noData: %s, minSamples: 2, failureLimit: 3}]
            """;
    final FakeCluster dc1 = new FakeCluster();
    final AtomicReference<GateReading> reading = new AtomicReference<>(new GateReading.Value(0.004, 3));
    final ReleaseEngine engine = new ReleaseEngine(c -> dc1, (release, gate) -> reading.get());

    Release release(int number, String version, String noData, Release previous) {
        return TestReleases.of(APP.formatted(version, noData), number, previous, Map.of("dc1", "a"));
    }

    Release second(String noData) {
        dc1.autoReady = true;
        Release r1 = release(1, "1", noData, null);
        assertThat(engine.tick(r1, ReleaseProgress.start(r1, T0), T0).phase()).isEqualTo(Phase.SUCCEEDED);
        return release(2, "2", noData, r1);
    }

    @Test
    void aPassingGateHoldsForItsDurationThenTheNextBatchGoes() {
        Release r2 = second("fail");
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").step()).isEqualTo(new Step.Gating(0, 0, T0, 0));
        assertThat(p.clusters().get("dc1").message()).isEqualTo("gate error-rate: 0.004 ≤ 0.01, 0 s of 120 s");
        p = engine.tick(r2, p, T0.plusSeconds(90));
        assertThat(p.clusters().get("dc1").message()).endsWith("90 s of 120 s");
        p = engine.tick(r2, p, T0.plusSeconds(120));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void threeFailedChecksInARowFailTheReleaseAndRollItBack() {
        Release r2 = second("fail");
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        reading.set(new GateReading.Value(0.04, 3));
        p = engine.tick(r2, p, T0.plusSeconds(10));
        assertThat(p.clusters().get("dc1").message()).isEqualTo("gate error-rate: 0.04 > 0.01 (failed check 1 of 3)");
        reading.set(new GateReading.Value(0.001, 3));
        p = engine.tick(r2, p, T0.plusSeconds(20));
        assertThat(p.clusters().get("dc1").step()).as("a pass resets the count and starts holding again").isEqualTo(new Step.Gating(0, 0, T0.plusSeconds(20), 0));
        reading.set(new GateReading.Value(0.04, 3));
        for (int i = 1; i <= 3; i++) {
            p = engine.tick(r2, p, T0.plusSeconds(20 + 10 * i));
        }
        assertThat(p.clusters().get("dc1").step()).isInstanceOf(Step.RollingBack.class);
        p = engine.tick(r2, p, T0.plusSeconds(100));
        assertThat(p.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(p.failureReason()).isEqualTo("gate error-rate: 0.04 > 0.01 (failed check 3 of 3)");
        assertThat(dc1.objects.keySet()).noneMatch(k -> k.endsWith("-canary"));
        assertThat(ProgressiveReleaseTest.image(dc1, "shop-web")).isEqualTo("r.local/web:1");
    }

    @Test
    void tooFewSamplesIsNoDataWhichPausesWhenTheGateSaysSoUntilSomeoneSkipsIt() {
        Release r2 = second("pause");
        reading.set(new GateReading.Value(0.0, 1));
        ReleaseProgress p = engine.tick(r2, ReleaseProgress.start(r2, T0), T0);
        assertThat(p.clusters().get("dc1").message()).startsWith("gate error-rate: no data (only 1 of 2 samples); waiting for a person to skip");
        p = engine.tick(r2, p, T0.plusSeconds(3600));
        assertThat(p.phase()).isEqualTo(Phase.RUNNING);
        p = engine.tick(r2, p.withControl(p.control().promote(Set.of("dc1@0/0"), false)), T0.plusSeconds(3601));
        assertThat(p.phase()).isEqualTo(Phase.SUCCEEDED);
    }
}
