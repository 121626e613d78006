package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Until the sandbox simulates nodes and pods (issue 4), workloads complete at once: a Deployment
 * or StatefulSet reports every instance updated, ready and available as soon as its generation
 * changes, and a Job reports success. It writes status through the store like any controller, and
 * only for generations it has not seen, so it never loops.
 */
final class InstantRollouts {
    private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Job");

    private InstantRollouts() {
    }

    static void attach(Store store) {
        store.watch(store.revision(), change -> {
            if (!change.type().equals("DELETED") && KINDS.contains(change.resource().kind())) {
                complete(store, change.resource(), change.object());
            }
        });
    }

    private static void complete(Store store, ResourceType t, ObjectNode o) {
        long generation = o.path("metadata").path("generation").asLong(1);
        if (o.path("status").path("observedGeneration").asLong(-1) == generation
                || t.kind().equals("Job") && o.path("status").has("conditions")) {
            return;
        }
        ObjectNode status = ApiServer.JSON.createObjectNode();
        String name = o.path("metadata").path("name").asText();
        String ns = o.path("metadata").path("namespace").asText();
        switch (t.kind()) {
            case "Deployment" -> {
                int n = o.path("spec").path("replicas").asInt(1);
                status.put("observedGeneration", generation).put("replicas", n).put("updatedReplicas", n).put("readyReplicas", n)
                        .put("availableReplicas", n);
                ArrayNode c = status.putArray("conditions");
                c.addObject().put("type", "Available").put("status", "True").put("reason", "MinimumReplicasAvailable");
                c.addObject().put("type", "Progressing").put("status", "True").put("reason", "NewReplicaSetAvailable");
            }
            case "StatefulSet" -> {
                int n = o.path("spec").path("replicas").asInt(1);
                String revision = name + "-" + generation;
                status.put("observedGeneration", generation).put("replicas", n).put("readyReplicas", n).put("currentReplicas", n)
                        .put("updatedReplicas", n).put("availableReplicas", n).put("currentRevision", revision).put("updateRevision", revision);
            }
            default -> {
                status.put("succeeded", o.path("spec").path("completions").asInt(1));
                status.putArray("conditions").addObject().put("type", "Complete").put("status", "True");
            }
        }
        ObjectNode update = o.deepCopy();
        update.set("status", status);
        update.with("metadata").remove("resourceVersion");
        store.update(t, ns, name, update, true);
    }
}
