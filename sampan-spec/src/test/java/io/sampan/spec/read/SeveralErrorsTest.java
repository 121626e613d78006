package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.errorLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import org.junit.jupiter.api.Test;

/** One run reports every problem of the file, not just the first. */
class SeveralErrorsTest {
    private static final String BROKEN = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web:
                  image: registry.local/shop/web
                  port: 80800
                  replica: 3
                  dependsOn: [ap]
                  addons: [db]
                api:
                  image: registry.local/shop/api:1.0.0
                  port: 8000
                  resources: {cpu: lots}
              jobs:
                report: {image: registry.local/shop/api:1.0.0, schedule: "0 25 * * *"}
              addons:
                cache: {type: redis}
            """;

    @Test
    void everyErrorIsReportedWithItsPlace() {
        assertThat(errorLines(BROKEN)).containsExactlyInAnyOrder(
                "app.yaml:7:14: error: spec.services.web.image: image \"registry.local/shop/web\" has no tag",
                "app.yaml:8:13: error: spec.services.web.port: expected a whole number from 1 to 65535, got the number 80800",
                "app.yaml:9:7: error: spec.services.web.replica: unknown field \"replica\" in a service",
                "app.yaml:10:19: error: spec.services.web.dependsOn[0]: \"web\" depends on \"ap\", which is not a service of this app",
                "app.yaml:11:16: error: spec.services.web.addons[0]: addon \"db\" is not declared in spec.addons",
                "app.yaml:15:24: error: spec.services.api.resources.cpu: expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \"lots\"",
                "app.yaml:17:62: error: spec.jobs.report.schedule: the hour field \"25\" is not valid (allowed 0-23)");
    }

    @Test
    void resolvingThrowsOneExceptionCarryingThemAll() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> Docs.resolve(BROKEN));
        assertThat(e.errors()).hasSize(7).allMatch(Problem::isError).allMatch(p -> p.file().equals("app.yaml"));
        assertThat(e.getMessage().lines().filter(l -> l.startsWith("app.yaml:"))).hasSize(7);
        assertThat(e.getMessage()).contains("hint: did you mean \"replicas\"?", "hint: did you mean \"api\"?");
    }

    @Test
    void warningsDoNotStopResolution() {
        String yaml = Docs.web("""
                runtime: java
                port: 8080
                resources: {memory: 128Mi}
                replicas: 30
                autoscale: {min: 2, max: 10}
                """);
        AppDocument.Resolution r = AppReader.read(yaml, "app.yaml").resolveWithProblems(null);
        assertThat(r.spec()).isNotNull();
        assertThat(r.spec().services().get("web").replicas()).isEqualTo(30);
        assertThat(Docs.formatted(r.warnings())).containsExactly("""
                app.yaml:11:17: warning: spec.services.web.replicas: replicas 30 is outside autoscale's 2..10; the autoscaler decides the count
                    hint: remove `replicas` or bring it within range""", """
                app.yaml:10:18: warning: spec.services.web.resources.memory: a JVM with less than 256Mi of memory will hardly start
                    hint: give a java service at least 512Mi""");
    }

    @Test
    void aProblemWithoutAPositionOmitsIt() {
        Problem p = Problem.error("app.yaml", "spec", null, "something", null);
        assertThat(p.format()).isEqualTo("app.yaml: error: spec: something");
        assertThat(Problem.warning("", "", null, "w", "h").format()).isEqualTo("<input>: warning: w\n    hint: h");
    }

    @Test
    void readingAMissingFileIsAProblemNotACrash() {
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> AppReader.read(java.nio.file.Path.of("no-such-dir", "app.yaml")));
        assertThat(e.problems()).singleElement().extracting(Problem::format).asString()
                .endsWith("app.yaml: error: no such file\n    hint: check the path given with -f");
    }
}
