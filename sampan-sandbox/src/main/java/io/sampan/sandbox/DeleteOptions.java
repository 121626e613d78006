package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * How a delete is carried out, as Kubernetes' {@code DeleteOptions}: the propagation policy
 * ({@code Background}, {@code Foreground} or {@code Orphan}; null keeps the object's finalizers as
 * they are), {@code dryRun}, the grace period, and preconditions on the uid and resourceVersion.
 * Read from the query parameters and from a JSON body (kubectl sends
 * {@code {"kind":"DeleteOptions","propagationPolicy":"Background"}}); the query wins.
 */
public record DeleteOptions(String propagationPolicy, boolean dryRun, Long gracePeriodSeconds, String uid, String resourceVersion) {
    public static final String BACKGROUND = "Background";
    public static final String FOREGROUND = "Foreground";
    public static final String ORPHAN = "Orphan";
    /** No policy given: the object's finalizers decide. */
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, false, null, null, null);

    public static DeleteOptions propagation(String policy) {
        return new DeleteOptions(policy, false, null, null, null);
    }

    /** The options of a DELETE request. */
    static DeleteOptions from(Map<String, String> query, JsonNode body) {
        JsonNode b = body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body;
        String policy = query.containsKey("propagationPolicy") ? query.get("propagationPolicy") : b.path("propagationPolicy").asText(null);
        String orphan = query.containsKey("orphanDependents") ? query.get("orphanDependents")
                : b.has("orphanDependents") ? b.get("orphanDependents").asText() : null;
        if (policy != null && orphan != null) {
            throw ApiError.badRequest("orphanDependents: Invalid value: " + orphan
                    + ": orphanDependents and propagationPolicy cannot both be set");
        }
        if (policy == null && orphan != null) {
            policy = Boolean.parseBoolean(orphan) ? ORPHAN : BACKGROUND;
        }
        if (policy != null && !policy.equals(BACKGROUND) && !policy.equals(FOREGROUND) && !policy.equals(ORPHAN)) {
            throw ApiError.badRequest("propagationPolicy: Unsupported value: \"" + policy
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        boolean dryRun = DryRun.requested(query) || DryRun.requested(b.path("dryRun"));
        Long grace = query.containsKey("gracePeriodSeconds") ? Long.valueOf(query.get("gracePeriodSeconds"))
                : b.has("gracePeriodSeconds") ? b.get("gracePeriodSeconds").asLong() : null;
        JsonNode pre = b.path("preconditions");
        return new DeleteOptions(policy, dryRun, grace, pre.path("uid").asText(null), pre.path("resourceVersion").asText(null));
    }
}
