package io.sampan.spec.read;

import io.sampan.spec.AppSpec;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import io.sampan.spec.yaml.YamlSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Entry point of the app model: reads {@code app.yaml} text into an {@link AppDocument}, from which
 * the spec of each environment is resolved and validated.
 */
public final class AppReader {
    static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
    static final Set<String> METADATA_FIELDS = Set.of("name", "labels", "annotations");
    static final Set<String> SPEC_FIELDS = Set.of("services", "jobs", "addons", "env", "environments", "release");
    static final Set<String> ENVIRONMENT_FIELDS = Set.of("services", "jobs", "addons", "env", "release");
    static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    static final Pattern ANNOTATION_KEY = LABEL_KEY;

    private AppReader() {
    }

    public static AppDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SpecException(List.of(Problem.error(file.toString(), "", null, "the file is not UTF-8 text", null)));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SpecException(List.of(Problem.error(file.toString(), "", null, "no such file", "check the path given with -f")));
        } catch (IOException e) {
            throw new SpecException(List.of(Problem.error(file.toString(), "", null,
                    "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "check the path given with -f")));
        }
        return read(text, file.toString());
    }

    /** Parses and checks the document's envelope; the spec itself is checked by {@link AppDocument#resolve}. */
    public static AppDocument read(String text, String file) {
        YamlNode root = YamlSource.parse(text, file);
        Diagnostics d = new Diagnostics(file);
        if (root == null) {
            d.error("", (YamlNode) null, "the file is empty", "start from an example: examples/shop/app.yaml");
            throw new SpecException(d.problems());
        }
        Fields top = Fields.of(root, "", d, "an App document", TOP_FIELDS);
        if (top == null) {
            throw new SpecException(d.problems());
        }
        String apiVersion = top.requiredString("apiVersion", AppSpec.API_VERSION);
        if (apiVersion != null && !apiVersion.equals(AppSpec.API_VERSION)) {
            d.error("apiVersion", top.at("apiVersion"), "unsupported apiVersion \"" + apiVersion + "\"",
                    "this version of Sampan reads `apiVersion: " + AppSpec.API_VERSION + "`");
        }
        String kind = top.requiredString("kind", AppSpec.KIND);
        if (kind != null && !kind.equals(AppSpec.KIND)) {
            d.error("kind", top.at("kind"), "unsupported kind \"" + kind + "\"", "an app.yaml has `kind: App`");
        }
        Fields metadata = top.has("metadata") ? Fields.of(top.raw("metadata"), "metadata", d, "metadata", METADATA_FIELDS) : null;
        if (!top.has("metadata")) {
            d.error("metadata", top.at("metadata"), "\"metadata\" is required", "for example `metadata: {name: shop}`");
        }
        String name = null;
        Map<String, String> labels = Map.of();
        Map<String, String> annotations = Map.of();
        if (metadata != null) {
            name = metadata.requiredString("name", "shop");
            if (name != null && (!Fields.DNS_LABEL.matcher(name).matches() || name.length() > 40)) {
                d.error("metadata.name", metadata.at("name"), "\"" + name + "\" is not a valid app name",
                        "use at most 40 lower-case letters, digits and '-', starting with a letter (e.g. `shop`)");
                name = null;
            }
            labels = metadata.stringMap("labels", LABEL_KEY, "a valid label key");
            labels.forEach((k, v) -> {
                if (!LABEL_VALUE.matcher(v).matches()) {
                    d.error("metadata.labels." + k, metadata.at("labels"), "\"" + v + "\" is not a valid label value",
                            "at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
                }
            });
            annotations = metadata.stringMap("annotations", ANNOTATION_KEY, "a valid annotation key");
        }
        MapNode spec = null;
        if (!top.has("spec")) {
            d.error("spec", top.at("spec"), "\"spec\" is required", "add `spec: {services: {...}}`");
        } else if (top.raw("spec") instanceof MapNode m) {
            spec = m;
        } else {
            d.error("spec", top.raw("spec"), "expected a mapping, got " + Fields.describe(top.raw("spec")), null);
        }
        Set<String> environments = new LinkedHashSet<>();
        Map<String, MapNode> overrides = new java.util.LinkedHashMap<>();
        if (spec != null && spec.get("environments") != null) {
            YamlNode envs = spec.get("environments");
            if (envs instanceof MapNode envMap) {
                for (YamlNode.Entry e : envMap.entries().values()) {
                    String p = "spec.environments." + e.key();
                    if (!Fields.DNS_LABEL.matcher(e.key()).matches() || e.key().length() > 30) {
                        d.error(p, e.value(), "\"" + e.key() + "\" is not a valid environment name",
                                "use lower-case letters, digits and '-' (e.g. `prod`)");
                        continue;
                    }
                    Fields override = Fields.of(e.value(), p, d, "an environment override", ENVIRONMENT_FIELDS);
                    if (override != null) {
                        environments.add(e.key());
                        overrides.put(e.key(), override.node());
                    }
                }
            } else if (!(envs instanceof YamlNode.Scalar s && s.isNull())) {
                d.error("spec.environments", envs, "expected a mapping of environment names to overrides, got "
                        + Fields.describe(envs), "for example `environments: {prod: {services: {web: {replicas: 6}}}}`");
            }
        }
        if (spec == null) {
            throw new SpecException(d.problems());
        }
        return new AppDocument(file, name, labels, annotations, spec, overrides, new ArrayList<>(environments), d.problems());
    }
}
