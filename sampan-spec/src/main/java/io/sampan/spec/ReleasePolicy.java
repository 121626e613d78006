package io.sampan.spec;

import java.time.Duration;
import java.util.List;

/**
 * How an app is released into an environment: the {@code release} block of {@code app.yaml}
 * ({@code spec.release} as the default, {@code spec.environments.<env>.release} over it), as written.
 * The release engine resolves it against the environment's clusters into a plan.
 *
 * @param batches instances per batch, cumulative targets resolved against each workload's count; the first is the bastion
 * @param pauses the pause after each batch (one entry applies to every batch)
 * @param order services in release order; empty means "from dependsOn, dependencies first"
 * @param waves clusters or zones of the environment, released one after another; empty means "all at once"
 * @param steps canary steps (weight or pause), in order
 * @param match canary routing rules that send matching requests to the canary before the weights
 * @param switchBackDelay blue-green: how long the old version is kept after the switch (zero: removed at once)
 * @param previewHost blue-green: the preview host of each exposed host, {@code {host}} standing for it; null means
 *     {@link #DEFAULT_PREVIEW_HOST}
 */
public record ReleasePolicy(Strategy strategy, List<Batch> batches, List<Pause> pauses, List<String> order, List<String> waves,
        List<Gate> gates, boolean autoRollback, Duration progressDeadline, List<CanaryStep> steps, List<Match> match,
        Duration switchBackDelay, String previewHost) {

    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_SWITCH_BACK = Duration.ofMinutes(10);
    public static final String DEFAULT_PREVIEW_HOST = "preview-{host}";

    /** A plain rolling update of everything at once: what a release without a policy does. */
    public static final ReleasePolicy ROLLING = new ReleasePolicy(Strategy.ROLLING, List.of(), List.of(), List.of(), List.of(), List.of(),
            false, DEFAULT_DEADLINE, List.of(), List.of(), DEFAULT_SWITCH_BACK, null);

    /** Without a preview host pattern (the default one). */
    public ReleasePolicy(Strategy strategy, List<Batch> batches, List<Pause> pauses, List<String> order, List<String> waves,
            List<Gate> gates, boolean autoRollback, Duration progressDeadline, List<CanaryStep> steps, List<Match> match,
            Duration switchBackDelay) {
        this(strategy, batches, pauses, order, waves, gates, autoRollback, progressDeadline, steps, match, switchBackDelay, null);
    }

    public ReleasePolicy {
        batches = List.copyOf(batches);
        pauses = List.copyOf(pauses);
        order = List.copyOf(order);
        waves = List.copyOf(waves);
        gates = List.copyOf(gates);
        steps = List.copyOf(steps);
        match = List.copyOf(match);
        switchBackDelay = switchBackDelay == null ? DEFAULT_SWITCH_BACK : switchBackDelay;
    }

    /** Blue-green: the preview host of {@code host}. */
    public String previewHostOf(String host) {
        return (previewHost == null ? DEFAULT_PREVIEW_HOST : previewHost).replace("{host}", host);
    }

    public enum Strategy {
        ROLLING("rolling"), BATCH("batch"), CANARY("canary"), BLUE_GREEN("blue-green");

        private final String text;

        Strategy(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Strategy of(String text) {
            for (Strategy s : values()) {
                if (s.text.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The pause after batch {@code index}: the last entry repeats. */
    public Pause pauseAfter(int index) {
        if (pauses.isEmpty()) {
            return new Pause.None();
        }
        return pauses.get(Math.min(index, pauses.size() - 1));
    }

    /** A batch size: a number of instances or a percentage of the workload's instances. */
    public sealed interface Batch {
        /** How many instances are at the new version once this batch is done, of {@code total}. */
        int instances(int total);

        String text();

        static Batch parse(String text) {
            String t = text.trim();
            try {
                if (t.endsWith("%")) {
                    int p = Integer.parseInt(t.substring(0, t.length() - 1).trim());
                    return p >= 1 && p <= 100 ? new Percent(p) : null;
                }
                int n = Integer.parseInt(t);
                return n >= 1 ? new Count(n) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        record Count(int count) implements Batch {
            @Override
            public int instances(int total) {
                return Math.min(count, total);
            }

            @Override
            public String text() {
                return Integer.toString(count);
            }
        }

        record Percent(int percent) implements Batch {
            @Override
            public int instances(int total) {
                return Math.min(total, Math.max(1, (int) Math.ceil(total * percent / 100.0)));
            }

            @Override
            public String text() {
                return percent + "%";
            }
        }
    }

    /** What happens after a batch or canary step: wait for a person, wait a while, or go on. */
    public sealed interface Pause {
        String text();

        static Pause parse(String text) {
            String t = text.trim();
            if (t.equals("manual")) {
                return new Manual();
            }
            if (t.equals("none")) {
                return new None();
            }
            return DurationText.parse(t).<Pause>map(Timed::new).orElse(null);
        }

        record Manual() implements Pause {
            @Override
            public String text() {
                return "manual";
            }
        }

        record Timed(Duration duration) implements Pause {
            @Override
            public String text() {
                long s = duration.toSeconds();
                return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
            }
        }

        record None() implements Pause {
            @Override
            public String text() {
                return "none";
            }
        }
    }

    /** One canary step: shift traffic to a weight, or pause. */
    public sealed interface CanaryStep {
        record Weight(int percent) implements CanaryStep {
        }

        record Wait(Pause pause) implements CanaryStep {
        }
    }

    /**
     * A canary routing rule: requests whose header (or cookie) has one of {@code values} go to the
     * canary; a header with no values means "present"; a cookie with no values means "always".
     */
    public record Match(String header, String cookie, List<String> values) {
        public Match {
            values = List.copyOf(values);
        }
    }

    /** What a gate does when there is no data: fail the release, pause it, or let it pass. */
    public enum NoData { FAIL, PAUSE, PASS }

    /** A check that must hold after each step before the next. */
    public sealed interface Gate {
        String name();

        /**
         * A Prometheus query whose value must stay at or below {@code max} (and at or above {@code min})
         * for {@code holdFor}, over at least {@code minSamples} samples; {@code failureLimit}
         * consecutive failed checks fail it.
         */
        record Prometheus(String name, String query, Double max, Double min, Duration holdFor, NoData noData, int minSamples,
                int failureLimit) implements Gate {
        }

        /** A POST to {@code url}; a 2xx answer passes. */
        record Webhook(String name, String url, int failureLimit) implements Gate {
        }
    }
}
