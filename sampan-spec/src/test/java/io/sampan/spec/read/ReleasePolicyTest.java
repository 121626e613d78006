package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sampan.spec.Problem;
import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.SpecException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code release} block: the environment's over {@code spec.release}, a deploy's over both, and errors naming the field. */
class ReleasePolicyTest {
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              release: {strategy: rolling, progressDeadline: 5m}
              services:
                web: {image: r.local/web:1, port: 8080}
              environments:
                prod:
                  release:
                    strategy: batch
                    batches: [1, 25%, 100%]
                    pause: [manual, 10m, none]
                    waves: [zone-a, zone-b]
                    autoRollback: true
                    gates: [{prometheus: 'sum(rate(errors[1m]))', max: 0.01, for: 2m, noData: pause}]
            """;

    @Test
    void anEnvironmentsPolicyMergesOverTheDefault() {
        AppDocument doc = AppReader.read(APP, "app.yaml");
        ReleasePolicy prod = doc.releasePolicy("prod");
        assertThat(prod.strategy()).isEqualTo(ReleasePolicy.Strategy.BATCH);
        assertThat(prod.batches()).extracting(ReleasePolicy.Batch::text).containsExactly("1", "25%", "100%");
        assertThat(prod.pauses()).extracting(ReleasePolicy.Pause::text).containsExactly("manual", "10m", "none");
        assertThat(prod.pauseAfter(5)).isInstanceOf(ReleasePolicy.Pause.None.class);
        assertThat(prod.progressDeadline()).as("from spec.release").isEqualTo(Duration.ofMinutes(5));
        assertThat(prod.waves()).containsExactly("zone-a", "zone-b");
        assertThat(prod.gates()).singleElement().isInstanceOfSatisfying(ReleasePolicy.Gate.Prometheus.class, g -> {
            assertThat(g.max()).isEqualTo(0.01);
            assertThat(g.holdFor()).isEqualTo(Duration.ofMinutes(2));
            assertThat(g.noData()).isEqualTo(ReleasePolicy.NoData.PAUSE);
        });
        assertThat(doc.releasePolicy("test").strategy()).isEqualTo(ReleasePolicy.Strategy.ROLLING);
        assertThat(doc.releasePolicy("prod", "{\"pause\": \"none\"}").pauses()).extracting(ReleasePolicy.Pause::text).containsExactly("none");
        assertThat(doc.releasePolicy("prod", "{\"pause\": \"none\"}").strategy()).isEqualTo(ReleasePolicy.Strategy.BATCH);
    }

    @Test
    void batchSizesCountInstances() {
        assertThat(ReleasePolicy.Batch.parse("25%").instances(10)).isEqualTo(3);
        assertThat(ReleasePolicy.Batch.parse("1%").instances(10)).isEqualTo(1);
        assertThat(ReleasePolicy.Batch.parse("5").instances(3)).isEqualTo(3);
        assertThat(ReleasePolicy.Batch.parse("0")).isNull();
        assertThat(ReleasePolicy.Batch.parse("101%")).isNull();
    }

    @Test
    void errorsNameTheField() {
        String bad = APP.replace("batches: [1, 25%, 100%]", "batches: [1, half]").replace("pause: [manual, 10m, none]", "pause: sometimes")
                .replace("strategy: batch", "strategy: big-bang").replace("noData: pause", "noData: maybe");
        List<String> errors = AppReader.read(bad, "app.yaml").validateAll().stream().filter(Problem::isError).map(Problem::format).toList();
        assertThat(String.join("\n", errors))
                .contains("spec.environments.prod.release.strategy: unknown strategy \"big-bang\"")
                .contains("spec.environments.prod.release.batches[1]: expected a number of instances (at least 1) or a percentage (1% to 100%), "
                        + "got \"half\"")
                .contains("spec.environments.prod.release.pause: expected manual, none or a duration such as 10m, got \"sometimes\"")
                .contains("spec.environments.prod.release.gates[0].noData: expected fail, pause or pass, got \"maybe\"");
        assertThatThrownBy(() -> AppReader.read(bad, "app.yaml").releasePolicy("prod")).isInstanceOf(SpecException.class);
        String unknown = APP.replace("autoRollback: true", "autoRolback: true").replace("strategy: rolling, ", "order: [nope], ");
        assertThat(String.join("\n", AppReader.read(unknown, "app.yaml").validateAll().stream().map(Problem::format).toList()))
                .contains("spec.environments.prod.release.autoRolback: unknown field \"autoRolback\" in a release policy")
                .contains("did you mean \"autoRollback\"?")
                .contains("release order names \"nope\", which is not a service");
    }

    static ReleasePolicy canary(String match) {
        return AppReader.read(APP.replace("  release: {strategy: rolling, progressDeadline: 5m}\n",
                "  release:\n    strategy: canary\n    steps: [{weight: 20}]\n    match: " + match + "\n"), "app.yaml")
                .releasePolicy("test");
    }

    static String errors(String match) {
        return String.join("\n", AppReader.read(APP.replace("  release: {strategy: rolling, progressDeadline: 5m}\n",
                "  release:\n    strategy: canary\n    steps: [{weight: 20}]\n    match: " + match + "\n"), "app.yaml")
                .validateAll().stream().filter(Problem::isError).map(Problem::format).toList());
    }

    @Test
    void matchIsOneRuleOrAListOfRules() {
        assertThat(canary("{header: X-User-Id, values: [u1, u2]}").match())
                .containsExactly(new ReleasePolicy.Match("X-User-Id", null, List.of("u1", "u2")));
        assertThat(canary("[{header: X-User-Id, values: [u1, u2]}, {header: X-Beta, values: [\"1\"]}, {cookie: canary}]").match())
                .containsExactly(new ReleasePolicy.Match("X-User-Id", null, List.of("u1", "u2")), new ReleasePolicy.Match("X-Beta", null, List.of("1")),
                        new ReleasePolicy.Match(null, "canary", List.of()));
        assertThat(canary("[]").match()).isEmpty();
    }

    @Test
    void aBadRuleIsNamedByItsPlaceInTheList() {
        assertThat(errors("[{header: X-User-Id, values: [u1]}, {header: X-A, cookie: c}]"))
                .contains("spec.release.match[1]: a routing rule names either a \"header\" or a \"cookie\"");
        assertThat(errors("[{cookie: canary}, {header: 'X User', values: [u1]}]"))
                .contains("spec.release.match[1].header: expected an HTTP header name such as X-User-Id, got \"X User\"");
        assertThat(errors("{cookie: 'a;b'}")).contains("spec.release.match.cookie: expected a cookie name such as canary, got \"a;b\"");
        assertThat(errors("[{header: X-A, value: u1}]")).contains("spec.release.match[0].value: unknown field \"value\" in a routing rule");
        assertThat(errors("[{header: X-User-Id, values: [u1]}, {cookie: canary}]")).isEmpty();
    }
}
