package io.sampan.spec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An application as resolved for one environment: the base of {@code app.yaml} with that
 * environment's overrides merged in. Maps keep the order of the file.
 *
 * @param environment the environment these values are for, or {@code null} for the base alone
 * @param environments every environment the file declares overrides for
 */
public record AppSpec(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, String> env,
        Map<String, ServiceSpec> services,
        Map<String, JobSpec> jobs,
        Map<String, AddonSpec> addons,
        String environment,
        Set<String> environments) {

    public static final String API_VERSION = "sampan.io/v1";
    public static final String KIND = "App";

    public AppSpec {
        // sorted, never Map.copyOf: its iteration order changes from one JVM run to the next, and
        // everything compiled from the spec must be byte-identical for the same input
        labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        annotations = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
        jobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobs));
        addons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(addons));
        environments = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(environments));
    }

    public List<ServiceSpec> serviceList() {
        return List.copyOf(services.values());
    }
}
