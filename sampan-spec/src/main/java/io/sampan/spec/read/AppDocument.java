package io.sampan.spec.read;

import io.sampan.spec.AppSpec;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read {@code app.yaml}: the base spec and the overrides of each environment, kept as trees with
 * positions. {@link #resolve(String)} merges one environment over the base, then binds and validates.
 */
public final class AppDocument {
    private final String file;
    private final String name;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final MapNode spec;
    private final Map<String, MapNode> overrides;
    private final List<String> environments;
    private final List<Problem> envelopeProblems;

    AppDocument(String file, String name, Map<String, String> labels, Map<String, String> annotations,
            MapNode spec, Map<String, MapNode> overrides, List<String> environments, List<Problem> envelopeProblems) {
        this.envelopeProblems = List.copyOf(envelopeProblems);
        this.file = file;
        this.name = name;
        this.labels = labels;
        this.annotations = annotations;
        this.spec = spec;
        this.overrides = overrides;
        this.environments = List.copyOf(environments);
    }

    public String file() {
        return file;
    }

    public String name() {
        return name;
    }

    /** Environments the file has overrides for, in file order. */
    public List<String> environments() {
        return environments;
    }

    /**
     * The spec for {@code environment} (its overrides merged over the base), or the base alone when
     * {@code environment} is {@code null}. An environment without overrides resolves to the base.
     *
     * @throws SpecException with every error found
     */
    public AppSpec resolve(String environment) {
        Resolution r = resolveWithProblems(environment);
        if (r.spec() == null) {
            throw new SpecException(r.problems());
        }
        return r.spec();
    }

    /** Like {@link #resolve} but also returns warnings; {@code spec} is null when there are errors. */
    public Resolution resolveWithProblems(String environment) {
        if (environment != null && (!Fields.DNS_LABEL.matcher(environment).matches() || environment.length() > 30)) {
            return new Resolution(null, List.of(Problem.error(file, "", null,
                    "\"" + environment + "\" is not a valid environment name", "use lower-case letters, digits and '-' (e.g. `prod`)")));
        }
        MapNode effective = spec;
        Set<YamlNode> overrideNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        MapNode override = environment == null ? null : overrides.get(environment);
        if (override != null) {
            effective = EnvironmentOverlay.apply(spec, override, overrideNodes);
        }
        Diagnostics d = new Diagnostics(file, environment, overrideNodes);
        AppSpec result = SpecBinder.bind(effective, name, labels, annotations, environment, new LinkedHashSet<>(environments), d);
        List<Problem> problems = new ArrayList<>(envelopeProblems);
        problems.addAll(d.problems());
        boolean failed = problems.stream().anyMatch(Problem::isError);
        return new Resolution(failed ? null : result, List.copyOf(problems));
    }

    /**
     * How the app is released into {@code environment}: its {@code release} block over
     * {@code spec.release}, or a plain rolling update when neither is written.
     *
     * @throws SpecException naming the field when the block is wrong
     */
    public io.sampan.spec.ReleasePolicy releasePolicy(String environment) {
        return releasePolicy(environment, null);
    }

    /**
     * As {@link #releasePolicy(String)}, with {@code deployOverride} (a YAML or JSON mapping of release
     * fields, e.g. {@code {strategy: rolling}}) merged over it for one deploy.
     */
    public io.sampan.spec.ReleasePolicy releasePolicy(String environment, String deployOverride) {
        MapNode override = environment == null ? null : overrides.get(environment);
        MapNode effective = override == null ? spec : EnvironmentOverlay.apply(spec, override, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (deployOverride != null && !deployOverride.isBlank()) {
            YamlNode node = io.sampan.spec.yaml.YamlSource.parse(deployOverride, "release");
            if (!(node instanceof MapNode m)) {
                throw new SpecException(List.of(Problem.error("release", "release", null, "expected a mapping of release fields",
                        "for example {\"strategy\": \"batch\", \"batches\": [1, \"100%\"]}")));
            }
            Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
            entries.put("release", new YamlNode.Entry("release", m.position(), m));
            effective = EnvironmentOverlay.apply(effective, new MapNode(entries, m.position()), Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        YamlNode block = effective.get("release");
        if (block == null || block instanceof YamlNode.Scalar s && s.isNull()) {
            return io.sampan.spec.ReleasePolicy.ROLLING;
        }
        Diagnostics d = new Diagnostics(file, environment, Collections.newSetFromMap(new IdentityHashMap<>()));
        io.sampan.spec.ReleasePolicy policy = ReleasePolicyReader.read(block, "spec.release", d);
        if (policy == null || d.hasErrors()) {
            throw new SpecException(d.problems());
        }
        return policy;
    }

    /**
     * Checks the base and every declared environment; returns every distinct problem (errors and
     * warnings), each once.
     */
    public List<Problem> validateAll() {
        Map<String, Problem> distinct = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        all.add(null);
        all.addAll(environments);
        for (String env : all) {
            for (Problem p : resolveWithProblems(env).problems()) {
                distinct.putIfAbsent(p.path() + "@" + p.position() + ":" + p.message(), p);
            }
        }
        return List.copyOf(distinct.values());
    }

    /** The result of resolving one environment: the spec (null on error) and the problems found. */
    public record Resolution(AppSpec spec, List<Problem> problems) {
        public List<Problem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }
    }
}
