package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing, as kubectl asks for it ({@code Accept: ...;as=Table;g=meta.k8s.io;v=v1}):
 * the columns the real API server prints for the common kinds, NAME and AGE for the others.
 */
final class Tables {
    private Tables() {
    }

    record Column(String name, String type, String format) {
    }

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    static ObjectNode of(ResourceType t, List<ObjectNode> items, long revision, Instant now) {
        List<Column> columns = columns(t.kind());
        ObjectNode table = ApiServer.JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", Long.toString(revision));
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns) {
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format()).put("description", "").put("priority", 0);
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode o : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : cells(t.kind(), o, now)) {
                if (cell instanceof Integer i) {
                    cells.add(i);
                } else {
                    cells.add(String.valueOf(cell));
                }
            }
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.get("metadata"));
        }
        return table;
    }

    private static List<Column> columns(String kind) {
        List<Column> c = new ArrayList<>();
        c.add(new Column("Name", "string", "name"));
        switch (kind) {
            case "Deployment" -> {
                c.add(new Column("Ready", "string", ""));
                c.add(new Column("Up-to-date", "integer", ""));
                c.add(new Column("Available", "integer", ""));
            }
            case "StatefulSet" -> c.add(new Column("Ready", "string", ""));
            case "Pod" -> {
                c.add(new Column("Ready", "string", ""));
                c.add(new Column("Status", "string", ""));
                c.add(new Column("Restarts", "string", ""));
            }
            case "Service" -> {
                c.add(new Column("Type", "string", ""));
                c.add(new Column("Cluster-IP", "string", ""));
                c.add(new Column("Port(s)", "string", ""));
            }
            case "Namespace" -> c.add(new Column("Status", "string", ""));
            case "Job" -> c.add(new Column("Status", "string", ""));
            default -> {
            }
        }
        c.add(new Column("Age", "string", ""));
        return c;
    }

    private static List<Object> cells(String kind, JsonNode o, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(o.path("metadata").path("name").asText());
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        switch (kind) {
            case "Deployment" -> {
                cells.add(status.path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(1));
                cells.add(status.path("updatedReplicas").asInt(0));
                cells.add(status.path("availableReplicas").asInt(0));
            }
            case "StatefulSet" -> cells.add(status.path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(1));
            case "Pod" -> {
                int total = spec.path("containers").size();
                int ready = 0;
                int restarts = 0;
                for (JsonNode cs : status.path("containerStatuses")) {
                    ready += cs.path("ready").asBoolean() ? 1 : 0;
                    restarts += cs.path("restartCount").asInt(0);
                }
                cells.add(ready + "/" + total);
                cells.add(status.path("phase").asText("Pending"));
                cells.add(Integer.toString(restarts));
            }
            case "Service" -> {
                cells.add(spec.path("type").asText("ClusterIP"));
                cells.add(spec.path("clusterIP").asText("<none>"));
                List<String> ports = new ArrayList<>();
                spec.path("ports").forEach(p -> ports.add(p.path("port").asInt() + "/" + p.path("protocol").asText("TCP")));
                cells.add(ports.isEmpty() ? "<none>" : String.join(",", ports));
            }
            case "Namespace" -> cells.add(status.path("phase").asText("Active"));
            case "Job" -> cells.add(status.path("succeeded").asInt(0) > 0 ? "Complete" : status.path("failed").asInt(0) > 0 ? "Failed" : "Running");
            default -> {
            }
        }
        cells.add(age(o.path("metadata").path("creationTimestamp").asText(null), now));
        return cells;
    }

    static String age(String created, Instant now) {
        if (created == null) {
            return "<unknown>";
        }
        Duration d = Duration.between(Instant.parse(created), now);
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        return s < 172800 ? (s / 3600) + "h" : (s / 86400) + "d";
    }
}
