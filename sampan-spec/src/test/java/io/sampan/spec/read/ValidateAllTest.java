package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.formatted;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** validateAll: the base and every declared environment, each distinct problem once. */
class ValidateAllTest {

    @Test
    void checksTheBaseAndEveryEnvironmentAndReportsEachProblemOnce() {
        String yaml = app("""
                services:
                  web: {image: registry.local/shop/web:1.4.2, port: 8080, replicas: -1}
                environments:
                  prod:
                    services: {web: {autoscale: {max: 0}}}
                    extra: true
                  test:
                    services: {web: {port: 0}}
                """);
        List<Problem> all = AppReader.read(yaml, "app.yaml").validateAll();
        assertThat(formatted(all)).containsExactly(
                """
                app.yaml:10:7: error: spec.environments.prod.extra: unknown field "extra" in an environment override
                    hint: known fields: addons, env, jobs, release, services""",
                "app.yaml:6:71: error: spec.services.web.replicas: expected a whole number from 0 to 1000, got the number -1",
                "app.yaml:9:41: error: spec.environments.prod.services.web.autoscale.max: expected a whole number from 1 to 1000, got the number 0",
                "app.yaml:12:30: error: spec.environments.test.services.web.port: expected a whole number from 1 to 65535, got the number 0");
    }

    @Test
    void warningsAreIncludedOnce() {
        String yaml = app("""
                services:
                  web: {image: registry.local/shop/web:1.4.2, runtime: java, port: 8080, resources: {memory: 128Mi}}
                environments:
                  prod: {services: {web: {replicas: 3}}}
                  test: {}
                """);
        List<Problem> all = AppReader.read(yaml, "app.yaml").validateAll();
        assertThat(all).singleElement().satisfies(p -> {
            assertThat(p.isError()).isFalse();
            assertThat(p.format()).startsWith("app.yaml:6:87: warning: spec.services.web.resources.memory: a JVM with less than 256Mi");
        });
    }

    @Test
    void aValidFileHasNoProblems() {
        String yaml = app("""
                services:
                  web: {image: registry.local/shop/web:1.4.2, port: 8080}
                environments:
                  prod: {services: {web: {replicas: 3}}}
                """);
        AppDocument doc = AppReader.read(yaml, "app.yaml");
        assertThat(doc.validateAll()).isEmpty();
        assertThat(doc.environments()).containsExactly("prod");
        assertThat(doc.name()).isEqualTo("shop");
        assertThat(doc.file()).isEqualTo("app.yaml");
    }

    @Test
    void everyBundledExampleIsValidInEveryEnvironment() throws IOException {
        List<Path> examples = Examples.all();
        assertThat(examples).isNotEmpty();
        for (Path file : examples) {
            AppDocument doc = AppReader.read(file);
            assertThat(formatted(doc.validateAll().stream().filter(Problem::isError).toList())).as("%s", file).isEmpty();
            for (String env : doc.environments()) {
                assertThat(doc.resolve(env).environment()).isEqualTo(env);
            }
        }
    }

    /** The bundled examples, found by walking {@code examples/} at the root of the repository. */
    static final class Examples {
        private Examples() {
        }

        static List<Path> all() throws IOException {
            Path dir = Path.of("..", "examples");
            if (!Files.isDirectory(dir)) {
                dir = Path.of("examples"); // when run from the repository root
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(p -> p.getFileName().toString().equals("app.yaml")).sorted().toList();
            }
        }
    }
}
