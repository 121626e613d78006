package io.sampan.spec.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.Manifests;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The spec fuzz (sampan-spec's test-jar, same package) carried on through the compiler: every
 * document the reader accepts, in every environment, compiles and renders to YAML, or is refused
 * with a SpecException whose problems have messages; nothing else escapes.
 */
class CompileFuzzTest {
    @Test
    void everyAcceptedMutationCompiles() throws IOException {
        List<String> examples = new ArrayList<>();
        for (Path p : SpecFuzzTest.exampleFiles()) {
            examples.add(Files.readString(p));
        }
        AppCompiler compiler = new AppCompiler();
        ClusterProfile profile = ClusterProfile.defaults("fuzz");
        List<String> findings = new ArrayList<>();
        int[] compiled = {0};
        for (String kind : List.of("tree", "text")) {
            Random random = new Random(SpecFuzzTest.SEED ^ kind.hashCode());
            Mutator mutator = new Mutator(random);
            for (int i = 0; i < 5_000 * SpecFuzzTest.SCALE; i++) {
                String example = examples.get(random.nextInt(examples.size()));
                String text = kind.equals("tree") ? mutator.mutateTree(example, examples, 1 + random.nextInt(4))
                        : mutator.mutateText(example, 1 + random.nextInt(3));
                String failure = SpecFuzzTest.check(text, spec -> {
                    try {
                        Manifests.toYaml(compiler.compile(spec, profile).objects());
                        compiled[0]++;
                    } catch (SpecException e) {
                        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
                    }
                });
                if (failure != null && !failure.equals(SpecFuzzTest.REJECTED) && findings.size() < 5) {
                    findings.add(kind + " case " + i + ": " + failure + "\n--- input ---\n" + text);
                }
            }
        }
        assertThat(findings).isEmpty();
        assertThat(compiled[0]).isGreaterThan(1_000);
    }
}
