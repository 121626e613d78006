package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.Release;
import io.sampan.release.ReleasePlan;
import io.sampan.spec.ReleasePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A blue-green plan is stored with its release: the pause before the switch, the switch-back delay (zero too) and the preview host. */
class BlueGreenPlanStorageTest {

    static Release release(Duration delay, String previewHost) {
        ReleasePolicy policy = new ReleasePolicy(ReleasePolicy.Strategy.BLUE_GREEN, List.of(), List.of(ReleasePolicy.Pause.parse("10m")), List.of(),
                List.of(), List.of(), true, Duration.ofMinutes(5), List.of(), List.of(), delay, previewHost);
        ReleasePlan plan = new ReleasePlan(policy, List.of(List.of("dc1")), List.of());
        return new Release("shop", "prod", 7, Map.of("dc1", new Release.ClusterTarget("shop-prod", List.of())), Map.of("sampan.io/app", "shop"),
                Duration.ofMinutes(5)).with(plan, Map.of());
    }

    @Test
    void theBlueGreenFieldsSurviveStorage() {
        ReleasePolicy read = ReleaseCodec.content(ReleaseCodec.content(release(Duration.ofMinutes(4), "{host}.preview.example.com"))).plan().policy();
        assertThat(read.strategy()).isEqualTo(ReleasePolicy.Strategy.BLUE_GREEN);
        assertThat(read.switchBackDelay()).isEqualTo(Duration.ofMinutes(4));
        assertThat(read.previewHostOf("shop.example.com")).isEqualTo("shop.example.com.preview.example.com");
        assertThat(read.pauses()).extracting(ReleasePolicy.Pause::text).containsExactly("10m");
        assertThat(ReleaseCodec.content(ReleaseCodec.content(release(Duration.ZERO, null))).plan().policy())
                .satisfies(p -> assertThat(p.switchBackDelay()).isZero())
                .satisfies(p -> assertThat(p.previewHostOf("shop.example.com")).isEqualTo("preview-shop.example.com"));
    }
}
