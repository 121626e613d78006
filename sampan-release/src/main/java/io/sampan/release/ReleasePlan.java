package io.sampan.release;

import io.sampan.spec.AppSpec;
import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A release policy resolved against one environment and one app: the clusters of each wave (one
 * wave after another) and the services of each stage (a stage's dependencies are in earlier stages).
 *
 * @param waves cluster names per wave, in order; every cluster of the release is in exactly one
 * @param stages service names per stage, in order; empty means one stage with every workload
 */
public record ReleasePlan(ReleasePolicy policy, List<List<String>> waves, List<List<String>> stages) {

    public ReleasePlan {
        waves = waves.stream().map(List::copyOf).toList();
        stages = stages.stream().map(List::copyOf).toList();
    }

    /** A plain rolling update on every cluster at once. */
    public static ReleasePlan rolling(List<String> clusters) {
        return new ReleasePlan(ReleasePolicy.ROLLING, List.of(List.copyOf(clusters)), List.of());
    }

    /** A wave or stage the policy names that the environment or app does not have. */
    public static final class Unresolvable extends RuntimeException {
        private final String field;

        public Unresolvable(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Resolves {@code policy}: waves name clusters or zones of {@code clusterZones} (cluster → zone, in
     * the environment's order); stages follow {@code policy.order()} or else the services' dependsOn.
     */
    public static ReleasePlan of(ReleasePolicy policy, AppSpec app, Map<String, String> clusterZones) {
        return new ReleasePlan(policy, waves(policy.waves(), clusterZones), stages(policy, app));
    }

    static List<List<String>> waves(List<String> names, Map<String, String> clusterZones) {
        if (names.isEmpty()) {
            return List.of(List.copyOf(clusterZones.keySet()));
        }
        List<List<String>> waves = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (String name : names) {
            List<String> wave = clusterZones.entrySet().stream().filter(e -> e.getKey().equals(name) || name.equals(e.getValue()))
                    .map(Map.Entry::getKey).filter(c -> !placed.contains(c)).toList();
            if (wave.isEmpty()) {
                throw new Unresolvable("release.waves", "wave \"" + name + "\" is neither a cluster nor a zone of the environment (clusters: "
                        + describe(clusterZones) + ")");
            }
            placed.addAll(wave);
            waves.add(wave);
        }
        List<String> left = clusterZones.keySet().stream().filter(c -> !placed.contains(c)).toList();
        if (!left.isEmpty()) {
            throw new Unresolvable("release.waves", "cluster " + String.join(", ", left) + " of the environment is in no wave; "
                    + "name it or its zone in release.waves");
        }
        return waves;
    }

    private static String describe(Map<String, String> clusterZones) {
        return String.join(", ", clusterZones.entrySet().stream().map(e -> e.getKey() + (e.getValue() == null ? "" : " in " + e.getValue())).toList());
    }

    /** Services by stage: the explicit order one by one, else dependsOn levels (dependencies first). */
    static List<List<String>> stages(ReleasePolicy policy, AppSpec app) {
        if (!policy.order().isEmpty()) {
            List<List<String>> stages = new ArrayList<>();
            policy.order().forEach(s -> stages.add(List.of(s)));
            List<String> rest = app.services().keySet().stream().filter(s -> !policy.order().contains(s)).toList();
            if (!rest.isEmpty()) {
                stages.add(rest);
            }
            return stages;
        }
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceSpec> e : app.services().entrySet()) {
            deps.put(e.getKey(), e.getValue().dependsOn().stream().filter(app.services()::containsKey).toList());
        }
        if (deps.values().stream().allMatch(List::isEmpty)) {
            return List.of();
        }
        List<List<String>> stages = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (done.size() < deps.size()) {
            List<String> level = deps.entrySet().stream().filter(e -> !done.contains(e.getKey()) && done.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).toList();
            if (level.isEmpty()) {
                // a cycle is refused by the spec's rules; release what is left together
                level = deps.keySet().stream().filter(s -> !done.contains(s)).toList();
            }
            stages.add(level);
            done.addAll(level);
        }
        return stages;
    }

    /** Stages as the engine walks them: at least one. */
    public int stageCount() {
        return Math.max(1, stages.size());
    }

    /**
     * Batches per stage: one for a rolling update; the policy's batches, or a canary's weights (as
     * percentages of traffic and instances), with a final 100 % added when missing; a blue-green
     * release's four (preview, switch, replace, released).
     */
    public List<ReleasePolicy.Batch> batches() {
        List<ReleasePolicy.Batch> b = new ArrayList<>();
        if (policy.strategy() == ReleasePolicy.Strategy.BLUE_GREEN) {
            // preview, switch, replace, released: every instance at the new version in each (BlueGreenWrites)
            return java.util.Collections.nCopies(BlueGreenWrites.RELEASED + 1, new ReleasePolicy.Batch.Percent(100));
        }
        if (policy.strategy() == ReleasePolicy.Strategy.BATCH) {
            b.addAll(policy.batches());
        } else if (policy.strategy() == ReleasePolicy.Strategy.CANARY) {
            policy.steps().forEach(s -> {
                if (s instanceof ReleasePolicy.CanaryStep.Weight w) {
                    b.add(new ReleasePolicy.Batch.Percent(w.percent()));
                }
            });
        }
        if (b.isEmpty()) {
            return List.of(new ReleasePolicy.Batch.Percent(100));
        }
        if (!(b.get(b.size() - 1) instanceof ReleasePolicy.Batch.Percent p && p.percent() == 100)) {
            b.add(new ReleasePolicy.Batch.Percent(100));
        }
        return b;
    }

    /** The steps of a blue-green stage, by batch. */
    public static final List<String> BLUE_GREEN_STEPS = List.of("preview", "switch", "replace", "released");

    /** What batch {@code batch} is called: {@code 2/3}, or a blue-green step ({@code switch}). */
    public String batchName(int batch) {
        if (policy.strategy() == ReleasePolicy.Strategy.BLUE_GREEN && batch < BLUE_GREEN_STEPS.size()) {
            return BLUE_GREEN_STEPS.get(batch);
        }
        return "batch " + (batch + 1) + "/" + batches().size();
    }

    /** What happens after batch (or canary weight) {@code batch}: a canary pauses where its steps say. */
    public ReleasePolicy.Pause pauseAfter(int batch) {
        if (policy.strategy() == ReleasePolicy.Strategy.BLUE_GREEN) {
            return blueGreenPauseAfter(batch);
        }
        if (policy.strategy() != ReleasePolicy.Strategy.CANARY) {
            return policy.pauseAfter(batch);
        }
        int weights = -1;
        List<ReleasePolicy.CanaryStep> steps = policy.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof ReleasePolicy.CanaryStep.Weight && ++weights == batch) {
                return i + 1 < steps.size() && steps.get(i + 1) instanceof ReleasePolicy.CanaryStep.Wait w ? w.pause() : new ReleasePolicy.Pause.None();
            }
        }
        return new ReleasePolicy.Pause.None();
    }

    /**
     * Blue-green: after the preview, the policy's pause (by default a person's approval); after the
     * switch, the switch-back delay (the old version is kept that long); then none.
     */
    private ReleasePolicy.Pause blueGreenPauseAfter(int batch) {
        if (batch == BlueGreenWrites.PREVIEW_BATCH) {
            return policy.pauses().isEmpty() ? new ReleasePolicy.Pause.Manual() : policy.pauseAfter(0);
        }
        if (batch == BlueGreenWrites.SWITCH && !policy.switchBackDelay().isZero()) {
            return new ReleasePolicy.Pause.Timed(policy.switchBackDelay());
        }
        return new ReleasePolicy.Pause.None();
    }

    /** The wave a cluster is in. */
    public int waveOf(String cluster) {
        for (int i = 0; i < waves.size(); i++) {
            if (waves.get(i).contains(cluster)) {
                return i;
            }
        }
        return 0;
    }
}
