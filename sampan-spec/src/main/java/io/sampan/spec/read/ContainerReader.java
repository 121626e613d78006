package io.sampan.spec.read;

import io.sampan.spec.Cpu;
import io.sampan.spec.Memory;
import io.sampan.spec.Placement;
import io.sampan.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts services and jobs share: image, resources, environment, placement. */
final class ContainerReader {
    static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memory");
    static final Set<String> PLACEMENT_FIELDS = Set.of("nodeSelector", "spread", "tolerate");
    private static final Pattern TOLERATION = Pattern.compile("([^=:\\s]+)(?:=([^=:\\s]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?");
    private static final Cpu MAX_CPU = Cpu.ofMillis(256_000);
    private static final Memory MAX_MEMORY = new Memory(4 * Memory.TI);

    private ContainerReader() {
    }

    static String image(Fields f) {
        String image = f.requiredString("image", "registry.local/shop/web:1.4.2");
        if (image != null) {
            String problem = ImageReference.problem(image);
            if (problem != null) {
                f.diagnostics().error(f.path("image"), f.at("image"), problem,
                        "pin a version tag or a digest, e.g. `registry.local/shop/web:1.4.2`, so that every release can be rolled back to exactly");
                return null;
            }
        }
        return image;
    }

    static Resources resources(Fields f, Resources defaults) {
        if (!f.has("resources")) {
            return defaults;
        }
        Fields r = Fields.of(f.raw("resources"), f.path("resources"), f.diagnostics(), "resources", RESOURCE_FIELDS);
        if (r == null) {
            return defaults;
        }
        Cpu cpu = defaults.cpu();
        String cpuText = r.string("cpu");
        if (cpuText != null) {
            cpu = Cpu.parse(cpuText).filter(c -> c.millis() > 0 && c.compareTo(MAX_CPU) <= 0).orElse(null);
            if (cpu == null) {
                r.diagnostics().error(r.path("cpu"), r.at("cpu"), "expected a CPU amount such as \"2\", \"0.5\" or \"500m\" (at most 256), got \""
                        + cpuText + "\"", "write whole or fractional cores, or millicores with an m suffix");
                cpu = defaults.cpu();
            }
        }
        Memory memory = defaults.memory();
        String memoryText = r.string("memory");
        if (memoryText != null) {
            memory = Memory.parse(memoryText).filter(m -> m.bytes() >= Memory.MI && m.compareTo(MAX_MEMORY) <= 0).orElse(null);
            if (memory == null) {
                r.diagnostics().error(r.path("memory"), r.at("memory"), "expected a memory amount such as \"512Mi\" or \"2Gi\" (1Mi to 4Ti), got \""
                        + memoryText + "\"", "use binary units Mi and Gi; note that \"2G\" is 10^9 bytes, \"2Gi\" is 2^30");
                memory = defaults.memory();
            }
        }
        return new Resources(cpu, memory);
    }

    static Map<String, String> env(Fields f) {
        return f.stringMap("env", Fields.ENV_NAME, "a valid environment variable name (letters, digits, '_', '.', '-', not starting with a digit)");
    }

    static Placement placement(Fields f) {
        if (!f.has("placement")) {
            return Placement.NONE;
        }
        Fields p = Fields.of(f.raw("placement"), f.path("placement"), f.diagnostics(), "a placement", PLACEMENT_FIELDS);
        if (p == null) {
            return Placement.NONE;
        }
        Map<String, String> selector = p.stringMap("nodeSelector", AppReader.LABEL_KEY, "a valid node label key");
        String spread = p.matching("spread", AppReader.LABEL_KEY, "a node label key such as \"topology.kubernetes.io/zone\" or \"rack\"", "rack");
        List<Placement.Toleration> tolerations = new ArrayList<>();
        List<String> tolerate = p.strings("tolerate");
        for (int i = 0; i < tolerate.size(); i++) {
            Matcher m = TOLERATION.matcher(tolerate.get(i));
            if (!m.matches() || !Fields.matches(AppReader.LABEL_KEY, m.group(1))) {
                p.diagnostics().error(p.path("tolerate") + "[" + i + "]", p.at("tolerate"),
                        "expected a taint as key, key=value or key=value:Effect, got \"" + tolerate.get(i) + "\"",
                        "for example `dedicated=mall` or `gpu=true:NoSchedule`");
                continue;
            }
            tolerations.add(new Placement.Toleration(m.group(1), m.group(2), m.group(3)));
        }
        return new Placement(selector, spread, tolerations);
    }
}
