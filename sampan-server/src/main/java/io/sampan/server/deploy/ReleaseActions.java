package io.sampan.server.deploy;

import io.sampan.release.ReleaseProgress;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import io.sampan.release.ReleaseProgress.Step;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What each action of a person does to a release's progress, or why it cannot be done now. */
final class ReleaseActions {
    private ReleaseActions() {
    }

    static ReleaseProgress apply(int number, ReleaseProgress p, ReleaseService.Action action, String by) {
        if (p.phase() != ReleaseProgress.Phase.RUNNING) {
            throw new RegistryException.Conflict("release " + number + " has finished (" + p.phase().text() + "); nothing to " + action.text());
        }
        ReleaseProgress.Control c = p.control();
        if (c.abortedBy() != null) {
            throw new RegistryException.Conflict("release " + number + " was aborted by " + c.abortedBy() + " and is returning to the previous release");
        }
        return switch (action) {
            case PROMOTE -> {
                Set<String> keys = new LinkedHashSet<>();
                p.clusters().forEach((cluster, cp) -> {
                    if (cp.step() instanceof Step.Paused paused) {
                        keys.add(ReleaseProgress.pauseKey(cluster, paused));
                    } else if (cp.step() instanceof Step.Gating gating) {
                        keys.add(ReleaseProgress.pauseKey(cluster, gating.stage(), gating.batch())); // skips its gates
                    }
                });
                if (keys.isEmpty()) {
                    throw new RegistryException.Conflict("release " + number + " is neither paused at a step nor checking gates (it is " + p.shownPhase()
                            + "); promote --full skips every pause still to come");
                }
                yield p.withControl(c.promote(keys, false));
            }
            case PROMOTE_FULL -> p.withControl(c.promote(Set.of(), true));
            case PAUSE -> {
                if (c.paused()) {
                    throw new RegistryException.Conflict("release " + number + " is already paused");
                }
                yield p.withControl(c.pause(true));
            }
            case RESUME -> {
                if (!c.paused()) {
                    throw new RegistryException.Conflict("release " + number + " is not paused by anyone; a step waiting for approval goes on "
                            + "with promote");
                }
                yield p.withControl(c.pause(false));
            }
            case ABORT -> p.withControl(c.abort(by));
            case RETRY -> throw new IllegalArgumentException("retry restarts the release");
        };
    }

    /** A failed release with every failed or stopped cluster back at the step it stopped at. */
    static ReleaseProgress retry(ReleaseRecord r, Instant now) {
        ReleaseProgress p = r.progress();
        if (p.phase() != ReleaseProgress.Phase.FAILED) {
            throw new RegistryException.Conflict("only a failed release can be retried; release " + r.number() + " is " + p.shownPhase());
        }
        Map<String, ClusterProgress> clusters = new LinkedHashMap<>();
        p.clusters().forEach((cluster, cp) -> {
            Step at = switch (cp.step()) {
                case Step.Failed f -> f.at();
                case Step.Stopped s when !"SUPERSEDED".equals(cp.reasonKind()) && !"REJECTED".equals(cp.reasonKind()) -> s.at();
                case Step.Stopped s -> throw new RegistryException.Conflict("release " + r.number() + " was " + cp.message()
                        + "; deploy again instead");
                default -> null;
            };
            clusters.put(cluster, at == null ? cp : new ClusterProgress(at, now, "retrying", 0, null, null));
        });
        ReleaseProgress.Control c = p.control();
        return new ReleaseProgress(p.startedAt(), clusters, null, new ReleaseProgress.Control(false, c.promoted(), c.full(), null));
    }
}
