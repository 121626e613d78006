package io.sampan.spec.read;

import io.sampan.spec.AddonSpec;
import io.sampan.spec.Expose;
import io.sampan.spec.JobSpec;
import io.sampan.spec.ObjectNames;
import io.sampan.spec.ServiceSpec;
import io.sampan.spec.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that span parts of the spec: references between services, jobs and addons, dependency
 * cycles, and the lengths of the object names the compiler will derive.
 */
final class ReferenceRules {
    private final Fields spec;
    private final String app;
    private final Map<String, ServiceSpec> services;
    private final Map<String, JobSpec> jobs;
    private final Map<String, AddonSpec> addons;
    private final Map<String, String> appEnv;
    private final Diagnostics d;

    ReferenceRules(Fields spec, String app, Map<String, ServiceSpec> services, Map<String, JobSpec> jobs,
            Map<String, AddonSpec> addons, Map<String, String> appEnv, Diagnostics d) {
        this.spec = spec;
        this.app = app;
        this.services = services;
        this.jobs = jobs;
        this.addons = addons;
        this.appEnv = appEnv;
        this.d = d;
    }

    void check() {
        Map<String, String> hosts = new HashMap<>();
        for (ServiceSpec s : services.values()) {
            String path = "spec.services." + s.name();
            checkReferences(path, s.name(), s.dependsOn(), s.addons());
            checkInjectedEnvOverrides(path, s.dependsOn(), s.addons(), s.env());
            int max = s.stateful() ? ObjectNames.CONTROLLER_NAME_MAX : ObjectNames.DNS_LABEL_MAX;
            String objectName = s.stateful() ? ObjectNames.headlessService(app, s.name()) : ObjectNames.service(app, s.name());
            if (ObjectNames.service(app, s.name()).length() > max || objectName.length() > ObjectNames.DNS_LABEL_MAX) {
                d.error(path, node(path), "the object name \"" + objectName + "\" (app \"" + app + "\" + service \"" + s.name()
                        + "\") is longer than Kubernetes allows (" + max + ")", "shorten the service or app name");
            }
            if (s.stateful() && services.containsKey(s.name() + "-headless")) {
                d.error(path, node(path), "stateful service \"" + s.name() + "\" needs the name \"" + s.name() + "-headless\" for its headless Service, "
                        + "which is taken by another service", "rename one of them");
            }
            for (int i = 0; i < s.expose().size(); i++) {
                Expose e = s.expose().get(i);
                if (e.host() == null) {
                    continue;
                }
                String key = e.host() + e.path();
                String other = hosts.putIfAbsent(key, s.name());
                if (other != null) {
                    d.error(path + ".expose[" + i + "]", node(path + ".expose"), "host " + e.host() + " path " + e.path()
                            + " is already exposed by service \"" + other + "\"", "give each service its own host or path");
                }
            }
        }
        for (JobSpec j : jobs.values()) {
            String path = "spec.jobs." + j.name();
            checkReferences(path, null, j.dependsOn(), j.addons());
            checkInjectedEnvOverrides(path, j.dependsOn(), j.addons(), j.env());
            int length = j.kind() == JobSpec.Kind.SCHEDULED ? ObjectNames.cronJob(app, j.name()).length() : ObjectNames.jobNameLength(app, j.name());
            int max = j.kind() == JobSpec.Kind.SCHEDULED ? ObjectNames.CONTROLLER_NAME_MAX : ObjectNames.DNS_LABEL_MAX;
            if (length > max) {
                d.error(path, node(path), "the job's object name (app \"" + app + "\" + job \"" + j.name() + "\") would be " + length
                        + " characters, more than Kubernetes allows (" + max + ")", "shorten the job or app name");
            }
        }
        checkCycles();
    }

    private void checkReferences(String path, String self, List<String> dependsOn, List<String> addonRefs) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < dependsOn.size(); i++) {
            String target = dependsOn.get(i);
            String p = path + ".dependsOn[" + i + "]";
            YamlNode at = item(path + ".dependsOn", i);
            if (!seen.add(target)) {
                d.error(p, at, "\"" + target + "\" is listed twice", null);
            } else if (target.equals(self)) {
                d.error(p, at, "service \"" + self + "\" depends on itself", "remove it from dependsOn");
            } else if (!services.containsKey(target)) {
                if (declared("services", target)) {
                    continue; // declared but invalid: already reported where it is declared
                }
                String close = Diagnostics.closest(target, services.keySet());
                d.error(p, at, "\"" + (self != null ? self : lastSegment(path)) + "\" depends on \"" + target + "\", which is not a service of this app",
                        close != null ? "did you mean \"" + close + "\"?" : "services: " + String.join(", ", services.keySet()));
            } else if (services.get(target).isWorker() && !(node("spec.services." + target) instanceof YamlNode.MapNode m && m.has("port"))) {
                d.error(p, at, "\"" + target + "\" has no port, so nothing can connect to it",
                        "give \"" + target + "\" a `port`, or remove it from dependsOn");
            }
        }
        Set<String> seenAddons = new HashSet<>();
        for (int i = 0; i < addonRefs.size(); i++) {
            String alias = addonRefs.get(i);
            String p = path + ".addons[" + i + "]";
            YamlNode at = item(path + ".addons", i);
            if (!seenAddons.add(alias)) {
                d.error(p, at, "addon \"" + alias + "\" is listed twice", null);
            } else if (!addons.containsKey(alias)) {
                if (declared("addons", alias)) {
                    continue; // declared but invalid: already reported where it is declared
                }
                String close = Diagnostics.closest(alias, addons.keySet());
                d.error(p, at, "addon \"" + alias + "\" is not declared in spec.addons",
                        close != null ? "did you mean \"" + close + "\"?" : "declare it, e.g. `addons: {" + alias + ": {type: mysql, version: \"8.0\"}}`");
            }
        }
    }

    private void checkInjectedEnvOverrides(String path, List<String> dependsOn, List<String> addonRefs, Map<String, String> env) {
        List<String> prefixes = new ArrayList<>();
        dependsOn.forEach(t -> prefixes.add(ObjectNames.envPrefix(t)));
        addonRefs.forEach(a -> prefixes.add(ObjectNames.envPrefix(a)));
        Map<String, String> all = new HashMap<>(appEnv);
        all.putAll(env);
        for (String name : all.keySet()) {
            for (String prefix : prefixes) {
                if (name.startsWith(prefix + "_") && List.of("HOST", "PORT", "URL", "USERNAME", "PASSWORD", "DATABASE")
                        .contains(name.substring(prefix.length() + 1))) {
                    d.warning(path + ".env." + name, node(path), name + " replaces the value Sampan injects for \"" + prefix.toLowerCase() + "\"",
                            "remove it to use the injected value");
                }
            }
        }
    }

    private void checkCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (String start : services.keySet()) {
            List<String> stack = new ArrayList<>();
            if (visit(start, state, stack)) {
                return; // one cycle report is enough to act on
            }
        }
    }

    private boolean visit(String name, Map<String, Integer> state, List<String> stack) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return false;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
            cycle.add(name);
            String path = "spec.services." + cycle.get(0) + ".dependsOn";
            d.error(path, node(path), "dependency cycle: " + String.join(" → ", cycle),
                    "services must start in some order: remove one of these dependencies (between \"" + cycle.get(cycle.size() - 2)
                            + "\" and \"" + name + "\")");
            return true;
        }
        ServiceSpec svc = services.get(name);
        if (svc == null) {
            return false;
        }
        state.put(name, 1);
        stack.add(name);
        for (String dep : svc.dependsOn()) {
            if (services.containsKey(dep) && !dep.equals(name) && visit(dep, state, stack)) {
                return true;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(name, 2);
        return false;
    }

    /** Whether {@code spec.<section>} has an entry {@code name}, valid or not. */
    private boolean declared(String section, String name) {
        return spec.node().get(section) instanceof YamlNode.MapNode m && m.has(name);
    }

    /** The tree node at a dotted path under spec (for positions); the spec node when not found. */
    private YamlNode node(String path) {
        YamlNode current = spec.node();
        for (String segment : path.substring("spec.".length()).split("\\.")) {
            if (current instanceof YamlNode.MapNode m && m.get(segment) != null) {
                current = m.get(segment);
            } else {
                break;
            }
        }
        return current;
    }

    private YamlNode item(String listPath, int index) {
        YamlNode list = node(listPath);
        return list instanceof YamlNode.ListNode l && index < l.items().size() ? l.items().get(index) : list;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
