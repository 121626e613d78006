package io.sampan.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole-app golden files: every example, for its base and each environment, compiled with a fixed
 * cluster profile, must equal {@code src/test/resources/golden/<example>[-<env>].yaml}. After an
 * intended change, regenerate with {@code ./mvnw -pl sampan-compiler verify -Dgolden.update=true}
 * and review the diff.
 */
class GoldenFilesTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @TestFactory
    List<DynamicTest> examplesCompileToTheirGoldenFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            for (Path dir : dirs.sorted().toList()) {
                Path appYaml = dir.resolve("app.yaml");
                if (!Files.exists(appYaml)) {
                    continue;
                }
                AppDocument doc = AppReader.read(appYaml);
                List<String> envs = new ArrayList<>();
                envs.add(null);
                envs.addAll(doc.environments());
                for (String env : envs) {
                    String name = dir.getFileName() + (env == null ? "" : "-" + env) + ".yaml";
                    tests.add(DynamicTest.dynamicTest(name, () -> check(doc, env, GOLDEN.resolve(name))));
                }
            }
        }
        assertThat(tests).as("examples found").hasSizeGreaterThanOrEqualTo(1);
        return tests;
    }

    private static void check(AppDocument doc, String env, Path golden) throws IOException {
        ClusterProfile profile = TestApps.PROFILE.withNamespace(doc.name() + (env == null ? "" : "-" + env));
        String actual = Manifests.toYaml(new AppCompiler().compile(doc.resolve(env), profile).objects());
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden file " + golden + " (run with -Dgolden.update=true to create it)").exists();
        assertThat(actual).as("compiled " + golden.getFileName() + " differs from the golden file; if intended, regenerate with -Dgolden.update=true")
                .isEqualTo(Files.readString(golden));
    }
}
