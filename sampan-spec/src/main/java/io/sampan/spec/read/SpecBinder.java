package io.sampan.spec.read;

import io.sampan.spec.AddonSpec;
import io.sampan.spec.AppSpec;
import io.sampan.spec.JobSpec;
import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.yaml.YamlNode.MapNode;
import java.util.Map;
import java.util.Set;

/** Binds a (merged) spec tree to an {@link AppSpec}, then applies the rules that span several parts. */
final class SpecBinder {
    private SpecBinder() {
    }

    static AppSpec bind(MapNode specNode, String name, Map<String, String> labels, Map<String, String> annotations,
            String environment, Set<String> environments, Diagnostics d) {
        Fields spec = Fields.of(specNode, "spec", d, "an app spec", AppReader.SPEC_FIELDS);
        if (spec == null) {
            return null;
        }
        Map<String, String> env = spec.stringMap("env", Fields.ENV_NAME, "a valid environment variable name");
        Map<String, AddonSpec> addons = spec.namedObjects("addons", "addon", n -> AddonReader.read(n, d));
        Map<String, ServiceSpec> services = spec.namedObjects("services", "service", n -> ServiceReader.read(n, d));
        Map<String, JobSpec> jobs = spec.namedObjects("jobs", "job", n -> JobReader.read(n, d));
        if (services.isEmpty() && jobs.isEmpty() && !d.hasErrors()) {
            d.error("spec.services", specNode, "the app has no services and no jobs",
                    "add at least one service, e.g. `services: {web: {image: registry.local/shop/web:1.0.0, port: 8080}}`");
        }
        if (spec.has("release")) {
            ReleasePolicy policy = ReleasePolicyReader.read(spec.raw("release"), spec.path("release"), d);
            for (String service : policy == null ? java.util.List.<String>of() : policy.order()) {
                if (!services.containsKey(service)) {
                    d.error(spec.path("release") + ".order", spec.raw("release"), "release order names \"" + service + "\", which is not a service",
                            "services: " + String.join(", ", services.keySet()));
                }
            }
        }
        if (name != null) {
            new ReferenceRules(spec, name, services, jobs, addons, env, d).check();
        }
        if (d.hasErrors() || name == null) {
            return null;
        }
        return new AppSpec(name, labels, annotations, env, services, jobs, addons, environment, environments);
    }
}
