package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sampan.release.ReleaseProgress;
import io.sampan.release.ReleaseProgress.Step;
import org.junit.jupiter.api.Test;

/** Release progress stored by earlier versions (steps as enum constants) is still read. */
class ReleaseCodecTest {
    static String legacy(String dc1, String dc2, String finishedAt) {
        return "{\"startedAt\":\"2026-11-20T10:00:00Z\",\"clusters\":{"
                + "\"dc1\":{\"step\":\"" + dc1 + "\",\"since\":\"2026-11-20T10:00:05Z\",\"message\":\"m1\",\"attempts\":0,\"retryAt\":null,\"reasonKind\":null},"
                + "\"dc2\":{\"step\":\"" + dc2 + "\",\"since\":\"2026-11-20T10:00:06Z\",\"message\":\"m2\",\"attempts\":2,\"retryAt\":null,\"reasonKind\":\"CRASH_LOOP\"}},"
                + "\"finishedAt\":" + (finishedAt == null ? "null" : "\"" + finishedAt + "\"") + "}";
    }

    @Test
    void finishedReleasesOfEarlierVersionsKeepTheirPhase() {
        ReleaseProgress done = ReleaseCodec.progress(legacy("DONE", "DONE", "2026-11-20T10:01:00Z"));
        assertThat(done.phase()).isEqualTo(ReleaseProgress.Phase.SUCCEEDED);
        assertThat(done.clusters().get("dc1").message()).isEqualTo("m1");

        ReleaseProgress failed = ReleaseCodec.progress(legacy("DONE", "FAILED", "2026-11-20T10:01:00Z"));
        assertThat(failed.phase()).isEqualTo(ReleaseProgress.Phase.FAILED);
        assertThat(failed.clusters().get("dc2").reasonKind()).isEqualTo("CRASH_LOOP");
        assertThat(failed.failureReason()).isEqualTo("dc2: m2");
    }

    @Test
    void aRunningReleaseOfAnEarlierVersionResumesAtTheStepItWasIn() {
        ReleaseProgress running = ReleaseCodec.progress(legacy("WAIT_READY", "PRE_RELEASE_JOBS", null));
        assertThat(running.phase()).isEqualTo(ReleaseProgress.Phase.RUNNING);
        assertThat(running.clusters().get("dc1").step()).isEqualTo(new Step.WaitReady(0, 0));
        assertThat(running.clusters().get("dc2").step()).isEqualTo(new Step.PreReleaseJobs());
        assertThat(ReleaseCodec.progress(ReleaseCodec.progress(running))).as("written back in the current form").isEqualTo(running);
    }

    @Test
    void anUnknownStepIsReportedByName() {
        assertThatThrownBy(() -> ReleaseCodec.progress(legacy("WARP", "DONE", null))).hasMessageContaining("\"WARP\"");
    }
}
