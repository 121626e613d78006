package io.sampan.spec;

import java.time.Duration;

/**
 * Horizontal autoscaling.
 *
 * @param cpu target average CPU use, in percent of the CPU limit
 * @param memory target average memory use, in percent of the memory limit, or {@code null}
 * @param cooldown how long load must stay low before scaling down
 */
public record Autoscale(int min, int max, Integer cpu, Integer memory, Duration cooldown) {
    public static final int DEFAULT_CPU = 70;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
}
