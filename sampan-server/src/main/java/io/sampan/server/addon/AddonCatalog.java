package io.sampan.server.addon;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sampan.server.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The addons the platform offers, as data: one YAML file per type (versions and their images, plans,
 * how each provider deploys it). Sampan ships {@code classpath:addons/*.yaml}; a file of the same
 * type in the directory {@code sampan.addons.catalog} replaces the shipped one, a new type adds one.
 */
@Component
public class AddonCatalog {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final Map<String, Entry> entries;

    /** One addon type. Placeholders {@code ${host}}, {@code ${port}}, {@code ${database}}... are filled in per instance. */
    @JsonIgnoreProperties("$schema")
    public record Entry(String type, int port, String username, String database, String url, String defaultVersion,
            Map<String, Version> versions, Map<String, Plan> plans, Template template, Operator operator) {
    }

    public record Version(String image) {
    }

    /** Size and availability of an instance. */
    public record Plan(int replicas, String cpu, String memory, String storage) {
    }

    /**
     * The StatefulSet Sampan ships: {@code env} maps a container variable to a key of the connection
     * ({@code username}, {@code password}, {@code admin-password}, {@code database}) or, after {@code =}, a literal.
     */
    public record Template(String dataPath, Map<String, String> env, List<String> args, Readiness readiness) {
    }

    /** A readiness probe: a command, or a TCP connect to the port. */
    public record Readiness(List<String> exec, boolean tcp, int initialDelaySeconds) {
    }

    /** A well-known operator's custom resource, used when its CRD is installed; {@code keys} are type-specific connection keys. */
    public record Operator(String crd, String host, Map<String, String> keys, String resource) {
    }

    public AddonCatalog(@Value("${sampan.addons.catalog:}") String overrides) {
        Map<String, Entry> all = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:addons/*.yaml")) {
                try (InputStream in = r.getInputStream()) {
                    put(all, read(in, r.getFilename()));
                }
            }
            if (!overrides.isBlank()) {
                try (Stream<Path> files = Files.list(Path.of(overrides))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            put(all, read(in, f.toString()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the addon catalog: " + e.getMessage(), e);
        }
        this.entries = java.util.Collections.unmodifiableMap(all);
    }

    private static void put(Map<String, Entry> all, Entry e) {
        all.put(e.type(), e);
    }

    static Entry read(InputStream in, String source) throws IOException {
        Entry e;
        try {
            e = YAML.readValue(in, Entry.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
            throw new IllegalStateException("addon catalog " + source + ": " + bad.getOriginalMessage(), bad);
        }
        if (e.type() == null || e.versions() == null || e.versions().isEmpty() || e.plans() == null || e.plans().isEmpty()
                || e.port() <= 0 || e.url() == null || !e.versions().containsKey(e.defaultVersion())) {
            throw new IllegalStateException("addon catalog " + source + ": type, port, url, versions, plans and a defaultVersion "
                    + "that is one of the versions are required");
        }
        return e;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** The entry of {@code type}; refused naming the field when the platform offers no such addon. */
    public Entry get(String field, String type) {
        Entry e = entries.get(type);
        if (e == null) {
            throw new RegistryException.Invalid(field, "the platform offers no addon of type \"" + type + "\"; it offers "
                    + String.join(", ", entries.keySet()));
        }
        return e;
    }

    /** The version asked for (the type's default when null), refused naming the versions offered. */
    public static String version(Entry e, String field, String version) {
        String v = version == null ? e.defaultVersion() : version;
        if (!e.versions().containsKey(v)) {
            throw new RegistryException.Invalid(field, e.type() + " " + v + " is not offered; versions: " + String.join(", ", new TreeMap<>(e.versions()).keySet()));
        }
        return v;
    }

    public static Plan plan(Entry e, String field, String plan) {
        Plan p = e.plans().get(plan);
        if (p == null) {
            throw new RegistryException.Invalid(field, e.type() + " has no plan \"" + plan + "\"; plans: " + String.join(", ", new TreeMap<>(e.plans()).keySet()));
        }
        return p;
    }
}
