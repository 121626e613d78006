package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.spec.ReleasePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What each batch of each stage writes on one cluster, as the engine asks for it: {@link BatchWrites}
 * for rolling, batch and canary releases, {@link BlueGreenWrites} for blue-green ones. The engine
 * walks the same steps (apply → wait-ready → gating → paused) over the batches either gives it.
 */
abstract class StageWrites {

    static StageWrites of(Release release, Release.ClusterTarget target, Release.ClusterTarget previous) {
        if (release.plan().policy().strategy() == ReleasePolicy.Strategy.BLUE_GREEN) {
            return new BlueGreenWrites(release, target, previous);
        }
        return new BatchWrites(release, target, previous);
    }

    /** The index of the last batch of every stage. */
    abstract int lastBatch();

    /** Whether batch {@code batch} of the stage does anything of its own (else the engine goes straight to the last batch). */
    abstract boolean batching(int stage, int batch);

    /** Whether this batch's objects need the pod-template-hash of each stable Deployment (what its Service selects). */
    abstract boolean canarying(int stage, int batch);

    abstract List<HasMetadata> objects(int stage, int batch);

    /** What to apply for this batch, {@code stableHashes} being the pod-template-hash of each Deployment's current pods. */
    abstract List<HasMetadata> objects(int stage, int batch, Map<String, String> stableHashes);

    /** Objects only the batches before the last write, deleted once the last batch is ready and on a rollback (absent ones are fine). */
    abstract List<ObjectRef> canaries(int stage);

    /**
     * Of {@link #canaries}, what routes traffic to the stage's canary (its canary Ingresses): deleted
     * as soon as the last batch is ready, the rest once the canary has drained. Empty when the stage
     * sent no traffic to a canary.
     */
    List<ObjectRef> canaryRoutes(int stage) {
        return List.of();
    }

    /** Whether the stage's batches sent traffic to a canary, so that it drains before it goes. */
    boolean drains(int stage) {
        return false;
    }

    /** What the batch is, as the steps waiting for it say. */
    abstract String describe(int stage, int batch);

    /** The batch a release promoted with {@code --full} writes where it would write {@code batch}: the last one. */
    int underFull(int stage, int batch) {
        return lastBatch();
    }

    /** Whether the plan's gates are checked after this batch once it is ready. */
    boolean gatesAfter(int stage, int batch) {
        return true;
    }

    /** What a paused step says it waits for, or null for the engine's own words. */
    String pausedMessage(ReleaseProgress.Step.Paused p, Instant now) {
        return null;
    }

    /**
     * Written first when the cluster returns to the previous release, before the canary objects are
     * deleted: the live routing back on the previous version in one step. Nothing by default.
     */
    List<HasMetadata> switchBack(ClusterDriver driver, Supplier<Map<String, String>> stableHashes) {
        return List.of();
    }
}
