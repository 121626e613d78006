package io.sampan.server.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sampan.release.Release;
import io.sampan.release.ReleasePlan;
import io.sampan.release.ReleaseProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores releases as JSON: the Kubernetes objects through fabric8's serialisation, progress as plain records. */
final class ReleaseCodec {
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ReleaseCodec() {
    }

    record StoredTarget(String namespace, List<Object> objects) {
    }

    /** @param plan null in releases stored before release plans (a rolling update) */
    record StoredContent(String app, String environment, int number, Map<String, StoredTarget> clusters, Map<String, String> ownerLabels,
            long progressDeadlineSeconds, StoredPlan plan, Map<String, StoredTarget> previous) {
    }

    static String content(Release r) {
        return write(new StoredContent(r.app(), r.environment(), r.number(), targets(r.clusters()), r.ownerLabels(), r.progressDeadline().toSeconds(),
                StoredPlan.of(r.plan()), targets(r.previous())));
    }

    private static Map<String, StoredTarget> targets(Map<String, Release.ClusterTarget> targets) {
        Map<String, StoredTarget> out = new LinkedHashMap<>();
        targets.forEach((name, t) -> out.put(name, new StoredTarget(t.namespace(),
                t.objects().stream().map(o -> (Object) KUBE.convertValue(o, Map.class)).toList())));
        return out;
    }

    private static Map<String, Release.ClusterTarget> stored(Map<String, StoredTarget> stored) {
        Map<String, Release.ClusterTarget> out = new LinkedHashMap<>();
        if (stored != null) {
            stored.forEach((name, t) -> out.put(name, new Release.ClusterTarget(t.namespace(),
                    t.objects().stream().map(o -> (HasMetadata) KUBE.unmarshal(write(o))).toList())));
        }
        return out;
    }

    static Release content(String json) {
        try {
            StoredContent c = JSON.readValue(json, StoredContent.class);
            Map<String, Release.ClusterTarget> clusters = stored(c.clusters());
            Release r = new Release(c.app(), c.environment(), c.number(), clusters, c.ownerLabels(), Duration.ofSeconds(c.progressDeadlineSeconds()));
            return c.plan() == null ? r : r.with(c.plan().plan(), stored(c.previous()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored release content is unreadable", e);
        }
    }

    /** The same objects as a new release with another number, rolled out at once over {@code previous} (a rollback). */
    static Release renumbered(Release r, int number, Map<String, Release.ClusterTarget> previous) {
        return new Release(r.app(), r.environment(), number, r.clusters(), r.ownerLabels(), r.progressDeadline())
                .with(ReleasePlan.rolling(java.util.List.copyOf(r.clusters().keySet())), previous);
    }

    static String inputs(ReleaseRecord.Inputs inputs) {
        return write(inputs);
    }

    static ReleaseRecord.Inputs inputs(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, ReleaseRecord.Inputs.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored release inputs are unreadable", e);
        }
    }

    static String progress(ReleaseProgress p) {
        return write(p);
    }

    static ReleaseProgress progress(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            tree.path("clusters").forEach(ReleaseCodec::upgradeStep);
            return JSON.treeToValue(tree, ReleaseProgress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored release progress is unreadable", e);
        }
    }

    /**
     * Progress stored before release plans named a cluster's step by an enum constant
     * ({@code "WAIT_READY"}); it becomes the step it was, of a rolling update's only batch.
     */
    private static void upgradeStep(com.fasterxml.jackson.databind.JsonNode cluster) {
        if (!(cluster instanceof com.fasterxml.jackson.databind.node.ObjectNode c) || !c.path("step").isTextual()) {
            return;
        }
        String legacy = c.path("step").asText();
        com.fasterxml.jackson.databind.node.ObjectNode step = JSON.createObjectNode();
        switch (legacy) {
            case "PRE_RELEASE_JOBS" -> step.put("name", "pre-release-jobs");
            case "APPLY", "WAIT_READY" -> step.put("name", legacy.equals("APPLY") ? "apply" : "wait-ready").put("stage", 0).put("batch", 0);
            case "POST_RELEASE_JOBS" -> step.put("name", "post-release-jobs");
            case "PRUNE" -> step.put("name", "prune");
            case "DONE" -> step.put("name", "done");
            case "FAILED" -> step.put("name", "failed").set("at", JSON.createObjectNode().put("name", "apply").put("stage", 0).put("batch", 0));
            default -> throw new IllegalStateException("stored release progress has an unknown step \"" + legacy + "\"");
        }
        c.set("step", step);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store release data", e);
        }
    }
}
