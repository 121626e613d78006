package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/app-spec.md shows real behaviour: its complete examples are valid and its error output is what the reader reports. */
class ReferenceDocTest {
    private static final Pattern BLOCK = Pattern.compile("```(yaml)?\\n(.*?)```", Pattern.DOTALL);

    private record Block(boolean yaml, String text) {
    }

    private static List<Block> blocks() throws IOException {
        Path doc = Path.of("..", "docs", "app-spec.md");
        if (!Files.exists(doc)) {
            doc = Path.of("docs", "app-spec.md");
        }
        Matcher m = BLOCK.matcher(Files.readString(doc));
        List<Block> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Block(m.group(1) != null, m.group(2)));
        }
        return out;
    }

    @Test
    void completeExamplesAreValidInEveryEnvironment() throws IOException {
        List<Block> documents = blocks().stream()
                .filter(b -> b.yaml() && b.text().startsWith("apiVersion:") && !b.text().contains("prot: 8080")).toList();
        assertThat(documents).isNotEmpty();
        for (Block b : documents) {
            assertThat(Docs.formatted(AppReader.read(b.text(), "app.yaml").validateAll())).as("%s", b.text()).isEmpty();
        }
    }

    @Test
    void theErrorsSectionShowsWhatValidatePrints() throws IOException {
        List<Block> all = blocks();
        int example = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).yaml() && all.get(i).text().contains("prot: 8080")) {
                example = i;
            }
        }
        assertThat(example).as("the example of the Errors section").isNotNegative();
        List<Problem> problems = AppReader.read(all.get(example).text(), "app.yaml").validateAll();
        List<String> lines = new ArrayList<>();
        problems.stream().filter(Problem::isError).forEach(p -> lines.add(p.format()));
        lines.add(problems.size() + " errors");
        assertThat(all.get(example + 1).text()).isEqualTo(String.join("\n", lines) + "\n");
    }
}
