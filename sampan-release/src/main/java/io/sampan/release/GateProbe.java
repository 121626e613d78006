package io.sampan.release;

import io.sampan.spec.ReleasePolicy;

/**
 * The engine's port to a gate: the server queries the environment's Prometheus or calls a webhook.
 * The engine never opens a socket itself.
 */
@FunctionalInterface
public interface GateProbe {
    GateReading read(Release release, ReleasePolicy.Gate gate);

    /** For engines without gates: every read is an error naming the missing probe. */
    GateProbe NONE = (release, gate) -> new GateReading.Error("no gate probe is configured");
}
