package io.sampan.server.deploy;

import io.sampan.release.ReleasePlan;
import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.ReleasePolicy.Batch;
import io.sampan.spec.ReleasePolicy.CanaryStep;
import io.sampan.spec.ReleasePolicy.Gate;
import io.sampan.spec.ReleasePolicy.Pause;
import java.time.Duration;
import java.util.List;

/** A release plan as stored with the release's content: plain values, the sealed parts as their text. */
record StoredPlan(String strategy, List<String> batches, List<String> pauses, List<String> order, List<String> waveNames, List<StoredGate> gates,
        boolean autoRollback, long progressDeadlineSeconds, List<String> steps, List<ReleasePolicy.Match> match, long switchBackSeconds,
        List<List<String>> waves, List<List<String>> stages, String previewHost) {

    record StoredGate(String kind, String name, String query, String url, Double max, Double min, long forSeconds, String noData,
            int minSamples, int failureLimit) {
    }

    static StoredPlan of(ReleasePlan plan) {
        ReleasePolicy p = plan.policy();
        return new StoredPlan(p.strategy().text(), p.batches().stream().map(Batch::text).toList(), p.pauses().stream().map(Pause::text).toList(),
                p.order(), p.waves(), p.gates().stream().map(StoredPlan::gate).toList(), p.autoRollback(), p.progressDeadline().toSeconds(),
                p.steps().stream().map(s -> switch (s) {
                    case CanaryStep.Weight w -> "weight " + w.percent();
                    case CanaryStep.Wait w -> "pause " + w.pause().text();
                }).toList(), p.match(), p.switchBackDelay().toSeconds(), plan.waves(), plan.stages(),
                p.previewHost());
    }

    private static StoredGate gate(Gate g) {
        return switch (g) {
            case Gate.Prometheus q -> new StoredGate("prometheus", q.name(), q.query(), null, q.max(), q.min(), q.holdFor().toSeconds(),
                    q.noData().name(), q.minSamples(), q.failureLimit());
            case Gate.Webhook w -> new StoredGate("webhook", w.name(), null, w.url(), null, null, 0, null, 1, w.failureLimit());
        };
    }

    ReleasePlan plan() {
        ReleasePolicy policy = new ReleasePolicy(ReleasePolicy.Strategy.of(strategy), batches.stream().map(Batch::parse).toList(),
                pauses.stream().map(Pause::parse).toList(), order, waveNames, gates.stream().map(StoredPlan::gate).toList(), autoRollback,
                Duration.ofSeconds(progressDeadlineSeconds), steps.stream().map(StoredPlan::step).toList(), match, Duration.ofSeconds(switchBackSeconds),
                previewHost);
        return new ReleasePlan(policy, waves, stages);
    }

    private static CanaryStep step(String text) {
        String[] parts = text.split(" ", 2);
        return parts[0].equals("weight") ? new CanaryStep.Weight(Integer.parseInt(parts[1])) : new CanaryStep.Wait(Pause.parse(parts[1]));
    }

    private static Gate gate(StoredGate g) {
        if (g.kind().equals("webhook")) {
            return new Gate.Webhook(g.name(), g.url(), g.failureLimit());
        }
        return new Gate.Prometheus(g.name(), g.query(), g.max(), g.min(), Duration.ofSeconds(g.forSeconds()),
                ReleasePolicy.NoData.valueOf(g.noData()), g.minSamples(), g.failureLimit());
    }
}
