package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.errorLines;
import static io.sampan.spec.read.Docs.formattedErrors;
import static io.sampan.spec.read.Docs.onlyError;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** dependsOn: to a missing service, to a worker, to itself, twice; and cycles naming both ends. */
class DependsOnTest {

    @Test
    void aMissingServiceIsNamedWithASuggestion() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [apii]}
                  api: {image: "r/a:1", port: 80}
                """)).format()).isEqualTo("""
                app.yaml:6:49: error: spec.services.web.dependsOn[0]: "web" depends on "apii", which is not a service of this app
                    hint: did you mean "api"?""");
    }

    @Test
    void aMissingServiceFarFromAnyListsTheServices() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [payments]}
                  api: {image: "r/a:1", port: 80}
                """)).format()).isEqualTo("""
                app.yaml:6:49: error: spec.services.web.dependsOn[0]: "web" depends on "payments", which is not a service of this app
                    hint: services: web, api""");
    }

    @Test
    void aWorkerCannotBeDependedOn() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [worker]}
                  worker: {image: "r/a:1"}
                """)).format()).isEqualTo("""
                app.yaml:6:49: error: spec.services.web.dependsOn[0]: "worker" has no port, so nothing can connect to it
                    hint: give "worker" a `port`, or remove it from dependsOn""");
    }

    @Test
    void aStaticServiceHasItsDefaultPortAndCanBeDependedOn() {
        assertThat(Docs.errors(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [front]}
                  front: {image: "r/a:1", runtime: static}
                """))).isEmpty();
    }

    @Test
    void aServiceCannotDependOnItself() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [web]}
                """)).format()).isEqualTo("""
                app.yaml:6:49: error: spec.services.web.dependsOn[0]: service "web" depends on itself
                    hint: remove it from dependsOn""");
    }

    @Test
    void aDependencyListedTwice() {
        assertThat(errorLines(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [api, api]}
                  api: {image: "r/a:1", port: 80}
                """))).containsExactly("app.yaml:6:54: error: spec.services.web.dependsOn[1]: \"api\" is listed twice");
    }

    @Test
    void jobsCanDependOnServicesButNotOnJobs() {
        assertThat(formattedErrors(app("""
                services:
                  api: {image: "r/a:1", port: 80}
                jobs:
                  seed: {image: "r/a:1", trigger: post-release, dependsOn: [api, migrate]}
                  migrate: {image: "r/a:1", trigger: pre-release}
                """))).containsExactly("""
                app.yaml:8:68: error: spec.jobs.seed.dependsOn[1]: "seed" depends on "migrate", which is not a service of this app
                    hint: services: api""");
    }

    @Test
    void aCycleOfTwoNamesBothEnds() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [api]}
                  api: {image: "r/a:1", port: 80, dependsOn: [web]}
                """)).format()).isEqualTo("""
                app.yaml:6:48: error: spec.services.web.dependsOn: dependency cycle: web → api → web
                    hint: services must start in some order: remove one of these dependencies (between "api" and "web")""");
    }

    @Test
    void aLongerCycleIsShownWholeAndNamesTheClosingDependency() {
        assertThat(onlyError(app("""
                services:
                  front: {image: "r/a:1", port: 80, dependsOn: [a]}
                  a: {image: "r/a:1", port: 80, dependsOn: [b]}
                  b: {image: "r/a:1", port: 80, dependsOn: [c]}
                  c: {image: "r/a:1", port: 80, dependsOn: [a]}
                """)).format()).isEqualTo("""
                app.yaml:7:46: error: spec.services.a.dependsOn: dependency cycle: a → b → c → a
                    hint: services must start in some order: remove one of these dependencies (between "c" and "a")""");
    }

    @Test
    void aDiamondIsNotACycle() {
        assertThat(Docs.errors(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [a, b]}
                  a: {image: "r/a:1", port: 80, dependsOn: [db]}
                  b: {image: "r/a:1", port: 80, dependsOn: [db]}
                  db: {image: "r/a:1", port: 80}
                """))).isEmpty();
    }

    @Test
    void aServiceThatIsDeclaredButInvalidIsNotAlsoReportedAsMissing() {
        assertThat(formattedErrors(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [api]}
                  api: registry.local/shop/api:1.0.0
                """))).containsExactly("""
                app.yaml:7:10: error: spec.services.api: expected a service (a mapping of fields), got "registry.local/shop/api:1.0.0"
                    hint: write it as `key: value` lines indented under api""");
    }

    @Test
    void dependenciesAreKeptInOrder() {
        var spec = Docs.resolve(app("""
                services:
                  web: {image: "r/a:1", port: 80, dependsOn: [b, a]}
                  a: {image: "r/a:1", port: 80}
                  b: {image: "r/a:1", port: 80}
                """));
        assertThat(spec.services().get("web").dependsOn()).containsExactly("b", "a");
        assertThat(spec.services().keySet()).containsExactly("web", "a", "b");
    }
}
