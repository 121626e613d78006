package io.sampan.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A task that runs to completion: around a release ({@code trigger}), on a schedule, or once on
 * every matching node ({@code broadcast}).
 *
 * @param retries how many times a failed run is retried (the Job's backoffLimit)
 * @param deadline how long one run may take, or {@code null}
 */
public record JobSpec(
        String name,
        String image,
        List<String> command,
        List<String> args,
        Resources resources,
        Map<String, String> env,
        List<String> dependsOn,
        List<String> addons,
        Trigger trigger,
        String schedule,
        String timezone,
        Concurrency concurrency,
        boolean broadcast,
        int retries,
        Duration deadline,
        Placement placement) {

    public JobSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        dependsOn = List.copyOf(dependsOn);
        addons = List.copyOf(addons);
    }

    public enum Trigger {
        PRE_RELEASE("pre-release"), POST_RELEASE("post-release");

        private final String id;

        Trigger(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** What a scheduled job does when the previous run is still going. */
    public enum Concurrency {
        FORBID("Forbid"), ALLOW("Allow"), REPLACE("Replace");

        private final String kubernetes;

        Concurrency(String kubernetes) {
            this.kubernetes = kubernetes;
        }

        public String kubernetes() {
            return kubernetes;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Kind kind() {
        if (schedule != null) {
            return Kind.SCHEDULED;
        }
        return broadcast ? Kind.BROADCAST : Kind.TRIGGERED;
    }

    public enum Kind { TRIGGERED, SCHEDULED, BROADCAST }
}
