package io.sampan.compiler;

import io.sampan.spec.Cpu;
import io.sampan.spec.Memory;
import io.sampan.spec.Resources;

/**
 * How far a cluster overcommits: limits stay as the user wrote them, requests are {@code limit /
 * ratio}. CPU and memory have separate ratios; memory defaults to 1 because memory overcommit leads
 * to OOM kills under pressure.
 */
public record OvercommitPolicy(double cpu, double memory) {
    public static final OvercommitPolicy NONE = new OvercommitPolicy(1, 1);

    public OvercommitPolicy {
        if (!(cpu >= 1 && cpu <= 100) || !(memory >= 1 && memory <= 100)) {
            throw new IllegalArgumentException("overcommit ratios must be between 1 and 100");
        }
    }

    public Cpu cpuRequest(Resources limits) {
        return limits.cpu().dividedBy(cpu);
    }

    public Memory memoryRequest(Resources limits) {
        return limits.memory().dividedBy(memory);
    }

    /** {@code cpu=2,memory=1}: recorded on every workload so the ratio is visible where it acts. */
    public String describe() {
        return "cpu=" + format(cpu) + ",memory=" + format(memory);
    }

    private static String format(double ratio) {
        return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
    }
}
