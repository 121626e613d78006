package io.sampan.release;

import io.sampan.spec.ReleasePolicy;

/**
 * The engine's port to a gate: the server queries the environment's Prometheus or calls a webhook.
 * The engine never opens a socket itself.
 */
@FunctionalInterface
public interface GateProbe {
    GateReading read(Release release, ReleasePolicy.Gate gate);

    /** This probe reading Prometheus gates from {@code url} (an environment's own Prometheus); a probe without Prometheus ignores it. */
    default GateProbe withPrometheus(String url) {
        return this;
    }

    /** For engines without gates: every read is an error naming the missing probe. */
    GateProbe NONE = (release, gate) -> new GateReading.Error("no gate probe is configured");
}
