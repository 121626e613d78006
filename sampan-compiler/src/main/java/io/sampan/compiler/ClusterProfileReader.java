package io.sampan.compiler;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import io.sampan.spec.yaml.YamlNode.Scalar;
import io.sampan.spec.yaml.YamlSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a cluster profile file ({@code sampan render --profile cluster.yaml}):
 * <pre>
 * namespace: shop-prod
 * overcommit: {cpu: 2, memory: 1}
 * ingressClass: nginx
 * domainSuffix: apps.example.com
 * registryMirror: mirror.local:5000
 * nodes: 12
 * capabilities: [kruise]
 * gateway: infra/public          # exposed services get HTTPRoutes attached to this Gateway, not Ingresses
 * </pre>
 */
public final class ClusterProfileReader {
    static final Set<String> FIELDS = Set.of("namespace", "overcommit", "ingressClass", "domainSuffix", "registryMirror", "nodes", "capabilities",
            "gateway");
    static final Set<String> OVERCOMMIT_FIELDS = Set.of("cpu", "memory", "allowMemoryOvercommit");
    static final Set<String> CAPABILITIES = Set.of(ClusterProfile.KRUISE);
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A Gateway: {@code name} or {@code namespace/name}. */
    public static final Pattern GATEWAY = Pattern.compile("([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern REGISTRY = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]{1,5})?(/[a-z0-9._-]+)*");

    private ClusterProfileReader() {
    }

    public static ClusterProfile read(Path file, String defaultNamespace) {
        try {
            return read(Files.readString(file), file.toString(), defaultNamespace);
        } catch (IOException e) {
            throw new SpecException(List.of(Problem.error(file.toString(), "", null, "cannot read the cluster profile: " + e.getMessage(),
                    "check the path given with --profile")));
        }
    }

    public static ClusterProfile read(String text, String file, String defaultNamespace) {
        YamlNode root = YamlSource.parse(text, file);
        List<Problem> problems = new ArrayList<>();
        if (root == null) {
            return ClusterProfile.defaults(defaultNamespace);
        }
        if (!(root instanceof MapNode map)) {
            throw new SpecException(List.of(Problem.error(file, "", root.position(), "expected a mapping of profile fields", null)));
        }
        unknown(map, "", FIELDS, file, problems);
        String namespace = string(map, "namespace", DNS_LABEL, "a namespace name", file, problems);
        double cpu = 1;
        double memory = 1;
        if (map.get("overcommit") instanceof MapNode oc) {
            unknown(oc, "overcommit.", OVERCOMMIT_FIELDS, file, problems);
            cpu = ratio(oc, "cpu", file, problems);
            memory = ratio(oc, "memory", file, problems);
            boolean allowed = oc.get("allowMemoryOvercommit") instanceof Scalar s && "true".equalsIgnoreCase(s.text());
            if (memory > 1 && !allowed) {
                problems.add(Problem.error(file, "overcommit.memory", oc.get("memory").position(),
                        "memory overcommit (" + memory + ") risks OOM kills when nodes fill up",
                        "set `allowMemoryOvercommit: true` next to it if you accept the risk"));
            }
        } else if (map.get("overcommit") != null) {
            problems.add(Problem.error(file, "overcommit", map.get("overcommit").position(), "expected {cpu: RATIO, memory: RATIO}", null));
        }
        Integer nodes = null;
        if (map.get("nodes") instanceof Scalar s && !s.isNull()) {
            try {
                nodes = Integer.parseInt(s.text());
            } catch (NumberFormatException e) {
                nodes = -1;
            }
            if (nodes < 1 || nodes > 100_000) {
                problems.add(Problem.error(file, "nodes", s.position(), "expected a node count from 1 to 100000, got \"" + s.text() + "\"", null));
            }
        }
        Set<String> capabilities = new LinkedHashSet<>();
        if (map.get("capabilities") instanceof YamlNode.ListNode list) {
            for (YamlNode item : list.items()) {
                if (item instanceof Scalar s && CAPABILITIES.contains(s.text())) {
                    capabilities.add(s.text());
                } else {
                    problems.add(Problem.error(file, "capabilities", item.position(), "unknown capability " + item.describe(),
                            "known: " + String.join(", ", CAPABILITIES)));
                }
            }
        } else if (map.get("capabilities") != null) {
            problems.add(Problem.error(file, "capabilities", map.get("capabilities").position(), "expected a list such as [kruise]", null));
        }
        String ingressClass = string(map, "ingressClass", DNS_NAME, "an IngressClass name", file, problems);
        String domainSuffix = string(map, "domainSuffix", DNS_NAME, "a DNS domain such as apps.example.com", file, problems);
        String mirror = string(map, "registryMirror", REGISTRY, "a registry host such as mirror.local:5000", file, problems);
        String gateway = string(map, "gateway", GATEWAY, "a Gateway API Gateway as name or namespace/name, such as infra/public", file,
                problems);
        if (problems.stream().anyMatch(Problem::isError)) {
            throw new SpecException(problems);
        }
        return new ClusterProfile(namespace != null ? namespace : defaultNamespace, new OvercommitPolicy(cpu, memory), ingressClass,
                domainSuffix, mirror, nodes, capabilities, gateway);
    }

    private static void unknown(MapNode map, String prefix, Set<String> known, String file, List<Problem> problems) {
        for (YamlNode.Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(Problem.error(file, prefix + e.key(), e.keyPosition(), "unknown field \"" + e.key() + "\" in a cluster profile",
                        "known fields: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    private static String string(MapNode map, String key, Pattern pattern, String expected, String file, List<Problem> problems) {
        YamlNode n = map.get(key);
        if (n == null || n instanceof Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof Scalar s && pattern.matcher(s.text()).matches()) {
            return s.text();
        }
        problems.add(Problem.error(file, key, n.position(), "expected " + expected + ", got " + n.describe(), null));
        return null;
    }

    private static double ratio(MapNode map, String key, String file, List<Problem> problems) {
        YamlNode n = map.get(key);
        if (n == null) {
            return 1;
        }
        if (n instanceof Scalar s && !s.isNull()) {
            try {
                double r = Double.parseDouble(s.text());
                if (r >= 1 && r <= 20) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(Problem.error(file, "overcommit." + key, n.position(), "expected a ratio from 1 to 20 (request = limit / ratio), got "
                + n.describe(), "e.g. `cpu: 2` requests half of each CPU limit"));
        return 1;
    }
}
