package io.sampan.release;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sampan.release.ReleaseProgress.ClusterProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a release needs before anything of the app runs: its addons' objects, annotated
 * {@code sampan.io/trigger: prerequisite} (a database's StatefulSet and Services, an operator's custom
 * resource, connection Secrets). They carry the addon's labels, not the app's, so pruning an app
 * never removes them. Applied first, then waited for: StatefulSets until ready, custom resources
 * until their operator reports them ready; one that fails fails the release naming the addon.
 */
final class Prerequisites {
    static final String TRIGGER_VALUE = "prerequisite";
    static final String ADDON_LABEL = "sampan.io/addon";

    private Prerequisites() {
    }

    static List<HasMetadata> of(Release.ClusterTarget target) {
        return target.objects().stream().filter(Prerequisites::is).toList();
    }

    static boolean is(HasMetadata o) {
        return o.getMetadata().getAnnotations() != null && TRIGGER_VALUE.equals(o.getMetadata().getAnnotations().get(ReleaseEngine.TRIGGER));
    }

    /** Applies the prerequisites and looks at them: {@code null} when all are ready, else the progress to record. */
    static ClusterProgress await(List<HasMetadata> prerequisites, ClusterDriver driver, ClusterProgress cp, Instant now, Instant deadline) {
        if (prerequisites.isEmpty()) {
            return null;
        }
        driver.apply(prerequisites);
        List<String> waiting = new ArrayList<>();
        for (HasMetadata o : prerequisites) {
            if (!(o instanceof GenericKubernetesResource) && !"StatefulSet".equals(o.getKind()) && !"Deployment".equals(o.getKind())) {
                continue; // Services and Secrets need no rollout
            }
            HasMetadata seen = driver.get(ObjectRef.of(o)).orElse(null);
            RolloutStatus status = seen == null ? new RolloutStatus.InProgress("not created yet") : RolloutStatus.of(seen);
            String what = "addon " + addon(o) + " (" + o.getKind() + " " + o.getMetadata().getName() + ")";
            if (status instanceof RolloutStatus.Failed f) {
                return cp.fail(now, what + " failed: " + f.message(), "ADDON_FAILED");
            }
            if (!(status instanceof RolloutStatus.Done)) {
                waiting.add(what + ": " + status.message());
            }
        }
        if (waiting.isEmpty()) {
            return null;
        }
        if (!now.isBefore(deadline)) {
            return cp.fail(now, "addons not ready in time: " + String.join("; ", waiting), "ADDON_NOT_READY");
        }
        return cp.note("waiting for addons: " + String.join("; ", waiting));
    }

    private static String addon(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels != null && labels.containsKey(ADDON_LABEL) ? labels.get(ADDON_LABEL) : o.getMetadata().getName();
    }
}
