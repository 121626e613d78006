package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.Problem;
import org.junit.jupiter.api.Test;

class EmptyAppTest {
    @Test
    void anAppWithEmptyServicesAndNoJobsIsRefused() {
        var problems = AppReader.read("apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n  services: {}\n  jobs: {}\n", "app.yaml")
                .validateAll();
        assertThat(problems).extracting(Problem::format).containsExactly(
                "app.yaml:5:3: error: spec.services: the app has no services and no jobs\n"
                        + "    hint: add at least one service, e.g. `services: {web: {image: registry.local/shop/web:1.0.0, port: 8080}}`");
    }
}
