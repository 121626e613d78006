package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Problem;
import io.sampan.spec.ReleasePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blue-green fields of a release policy: the switch-back delay (zero allowed) and the preview host pattern. */
class BlueGreenPolicyTest {
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: r.local/web:1, port: 8080, expose: [{host: shop.example.com}]}
              environments:
                prod:
                  release:
                    strategy: blue-green
                    pause: 10m
                    switchBackDelay: 4m
                    previewHost: "{host}.preview.example.com"
            """;

    @Test
    void readsTheDelayAndThePreviewHost() {
        ReleasePolicy p = AppReader.read(APP, "app.yaml").releasePolicy("prod");
        assertThat(p.strategy()).isEqualTo(ReleasePolicy.Strategy.BLUE_GREEN);
        assertThat(p.switchBackDelay()).isEqualTo(Duration.ofMinutes(4));
        assertThat(p.previewHostOf("shop.example.com")).isEqualTo("shop.example.com.preview.example.com");
        assertThat(p.pauses()).extracting(ReleasePolicy.Pause::text).containsExactly("10m");
    }

    @Test
    void defaultsAndAZeroDelay() {
        ReleasePolicy p = AppReader.read(APP.replace("switchBackDelay: 4m", "switchBackDelay: 0").replaceAll("(?m)^ *previewHost:.*\n", ""),
                "app.yaml").releasePolicy("prod");
        assertThat(p.switchBackDelay()).isZero();
        assertThat(p.previewHost()).isNull();
        assertThat(p.previewHostOf("shop.example.com")).isEqualTo("preview-shop.example.com");
        ReleasePolicy none = AppReader.read(APP.replaceAll("(?m)^ *switchBackDelay:.*\n", ""), "app.yaml").releasePolicy("prod");
        assertThat(none.switchBackDelay()).isEqualTo(ReleasePolicy.DEFAULT_SWITCH_BACK);
    }

    @Test
    void errorsNameTheFieldAndLine() {
        String bad = APP.replace("switchBackDelay: 4m", "switchBackDelay: soon").replace("\"{host}.preview.example.com\"", "preview.example.com");
        List<String> errors = AppReader.read(bad, "app.yaml").validateAll().stream().filter(Problem::isError).map(Problem::format).toList();
        assertThat(String.join("\n", errors))
                .contains("spec.environments.prod.release.switchBackDelay: expected a duration such as 30s, 10m or 1h, got \"soon\"")
                .contains("spec.environments.prod.release.previewHost: expected a host name containing {host} once")
                .contains("app.yaml:13:");
    }
}
