package io.sampan.compiler;

import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppReader;
import java.util.Set;

/** Small apps for tests, written as the YAML a user would write. */
public final class TestApps {
    public static final ClusterProfile PROFILE = new ClusterProfile("shop-prod", new OvercommitPolicy(2, 1), "nginx",
            "apps.example.com", null, 3, Set.of());

    private TestApps() {
    }

    /** An app named shop whose {@code spec} is the given YAML (indented as under spec:). */
    public static AppSpec app(String specYaml) {
        return app(specYaml, null);
    }

    public static AppSpec app(String specYaml, String environment) {
        String text = "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop, labels: {team: mall}}\nspec:\n"
                + specYaml.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
        return AppReader.read(text, "app.yaml").resolve(environment);
    }

    public static CompiledApp compile(String specYaml) {
        return new AppCompiler().compile(app(specYaml), PROFILE);
    }

    public static CompiledApp compile(String specYaml, ClusterProfile profile) {
        return new AppCompiler().compile(app(specYaml), profile);
    }
}
