package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Pods made from workload templates, and the readings of pod status the controllers share. */
public final class PodTemplates {
    private PodTemplates() {
    }

    /** A pod of {@code owner} from {@code template}, with the owner as its controller. */
    public static ObjectNode pod(JsonNode owner, JsonNode template, String name) {
        ObjectNode pod = Meta.JSON.createObjectNode();
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name).put("namespace", Meta.namespace(owner));
        if (template.path("metadata").has("labels")) {
            meta.set("labels", template.path("metadata").path("labels").deepCopy());
        }
        if (template.path("metadata").has("annotations")) {
            meta.set("annotations", template.path("metadata").path("annotations").deepCopy());
        }
        Meta.setController(pod, owner);
        ObjectNode spec = template.path("spec").isObject() ? ((ObjectNode) template.path("spec")).deepCopy() : Meta.JSON.createObjectNode();
        if (!spec.has("restartPolicy")) {
            spec.put("restartPolicy", "Always");
        }
        if (!spec.has("schedulerName")) {
            spec.put("schedulerName", "default-scheduler");
        }
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        defaultTolerations(spec);
        pod.set("spec", spec);
        pod.putObject("status").put("phase", "Pending");
        return pod;
    }

    /** The tolerations the DefaultTolerationSeconds admission plugin adds: 300 s for not-ready and unreachable nodes. */
    static void defaultTolerations(ObjectNode spec) {
        for (String taint : new String[] {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
            boolean present = false;
            for (JsonNode t : spec.path("tolerations")) {
                present |= taint.equals(t.path("key").asText()) && "NoExecute".equals(t.path("effect").asText());
            }
            if (!present) {
                spec.withArray("tolerations").addObject().put("key", taint).put("operator", "Exists").put("effect", "NoExecute")
                        .put("tolerationSeconds", 300);
            }
        }
    }

    public static boolean ready(JsonNode pod) {
        return "Running".equals(pod.path("status").path("phase").asText()) && Meta.conditionTrue(pod, "Ready");
    }

    public static Instant readySince(JsonNode pod) {
        return Instant.parse(Meta.condition(pod, "Ready").path("lastTransitionTime").asText("1970-01-01T00:00:00Z"));
    }

    public static int restarts(JsonNode pod) {
        int n = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            n += c.path("restartCount").asInt(0);
        }
        return n;
    }
}
