package io.sampan.release;

import io.sampan.spec.ReleasePolicy;
import io.sampan.spec.ReleasePolicy.Gate;
import java.time.Duration;

/** Judges one gate reading: passes, fails (a failed check), or asks for a person (no data, policy pause). */
final class Gates {
    private Gates() {
    }

    enum Outcome { PASS, FAIL, PAUSE }

    record Verdict(Outcome outcome, String message) {
    }

    static Verdict judge(Gate gate, GateReading reading) {
        return switch (gate) {
            case Gate.Prometheus q -> prometheus(q, reading);
            case Gate.Webhook w -> switch (reading) {
                case GateReading.Passed p -> new Verdict(Outcome.PASS, "gate " + w.name() + ": passed (" + p.detail() + ")");
                case GateReading.Refused r -> new Verdict(Outcome.FAIL, "gate " + w.name() + ": refused (" + r.detail() + ")");
                case GateReading.Error e -> new Verdict(Outcome.FAIL, "gate " + w.name() + " could not be called: " + e.why());
                default -> new Verdict(Outcome.FAIL, "gate " + w.name() + ": unexpected answer");
            };
        };
    }

    private static Verdict prometheus(Gate.Prometheus q, GateReading reading) {
        return switch (reading) {
            case GateReading.Value v when v.samples() < q.minSamples() -> noData(q, "only " + v.samples() + " of " + q.minSamples() + " samples");
            case GateReading.Value v -> {
                boolean ok = (q.max() == null || v.value() <= q.max()) && (q.min() == null || v.value() >= q.min());
                String bound = q.max() != null && (ok || v.value() > q.max()) ? (ok ? " ≤ " : " > ") + number(q.max())
                        : (ok ? " ≥ " : " < ") + number(q.min());
                yield new Verdict(ok ? Outcome.PASS : Outcome.FAIL, "gate " + q.name() + ": " + number(v.value()) + bound);
            }
            case GateReading.NoData n -> noData(q, n.why());
            case GateReading.Error e -> new Verdict(Outcome.FAIL, "gate " + q.name() + " could not be read: " + e.why());
            default -> new Verdict(Outcome.FAIL, "gate " + q.name() + ": unexpected answer");
        };
    }

    private static Verdict noData(Gate.Prometheus q, String why) {
        return switch (q.noData()) {
            case FAIL -> new Verdict(Outcome.FAIL, "gate " + q.name() + ": no data (" + why + ")");
            case PAUSE -> new Verdict(Outcome.PAUSE, "gate " + q.name() + ": no data (" + why + ")");
            case PASS -> new Verdict(Outcome.PASS, "gate " + q.name() + ": no data (" + why + "), passes by its policy");
        };
    }

    /** How long every gate must hold: the longest {@code for}. */
    static Duration hold(ReleasePolicy policy) {
        return policy.gates().stream().filter(g -> g instanceof Gate.Prometheus).map(g -> ((Gate.Prometheus) g).holdFor())
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    static String number(double d) {
        return java.math.BigDecimal.valueOf(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
