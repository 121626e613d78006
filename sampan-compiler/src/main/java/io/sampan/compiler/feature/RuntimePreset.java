package io.sampan.compiler.feature;

import io.sampan.spec.Memory;
import io.sampan.spec.Resources;
import io.sampan.spec.Runtime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Defaults a platform engineer would set for each runtime: environment derived from the limits,
 * how long to keep serving after removal from endpoints (preStop), how long to allow for shutdown,
 * and probe defaults suited to the runtime's start-up.
 *
 * @param preStopSeconds pause before SIGTERM so load balancers stop sending traffic first
 * @param startupSeconds default start-up budget before liveness checks begin; 0 for none
 * @param defaultHealthPath HTTP health path used when the service declares no health check, or {@code null}
 */
public record RuntimePreset(int preStopSeconds, int terminationGraceSeconds, int startupSeconds, String defaultHealthPath) {

    /** Services with a port but no runtime still drain gracefully. */
    public static final RuntimePreset GENERIC = new RuntimePreset(5, 30, 0, null);

    public static RuntimePreset of(Runtime runtime) {
        if (runtime == null) {
            return GENERIC;
        }
        return switch (runtime) {
            case JAVA -> new RuntimePreset(10, 45, 120, null);
            case PYTHON, NODE, GO -> new RuntimePreset(5, 30, 0, null);
            case STATIC -> new RuntimePreset(5, 30, 0, "/");
        };
    }

    /** Environment variables the runtime gets from the container's limits. */
    public static Map<String, String> environment(Runtime runtime, Resources limits) {
        Map<String, String> env = new LinkedHashMap<>();
        if (runtime == null) {
            return env;
        }
        long memoryMi = Math.max(1, limits.memory().mebibytes());
        int cores = limits.cpu().wholeCores();
        switch (runtime) {
            case JAVA -> {
                long heap = limits.memory().compareTo(Memory.ofMebibytes(1024)) >= 0 ? memoryMi * 3 / 4 : memoryMi / 2;
                long metaspace = Math.max(64, Math.min(512, memoryMi / 8));
                env.put("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=" + cores + " -Xms" + heap + "m -Xmx" + heap + "m"
                        + " -XX:MaxMetaspaceSize=" + metaspace + "m -XX:+ExitOnOutOfMemoryError");
            }
            case PYTHON -> {
                env.put("PYTHONUNBUFFERED", "1");
                env.put("PYTHONDONTWRITEBYTECODE", "1");
            }
            case NODE -> env.put("NODE_OPTIONS", "--max-old-space-size=" + memoryMi * 3 / 4);
            case GO -> {
                env.put("GOMAXPROCS", Integer.toString(cores));
                env.put("GOMEMLIMIT", (memoryMi * 9 / 10) + "MiB");
            }
            case STATIC -> {
            }
        }
        return env;
    }
}
