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

    /** A column; priority 1 columns are shown with {@code -o wide} only. */
    record Column(String name, String type, String format, int priority) {
        Column(String name, String type, String format) {
            this(name, type, format, 0);
        }
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
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format()).put("description", "").put("priority", c.priority());
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

    /** A custom resource's table: NAME, then its CRD's {@code additionalPrinterColumns} (dates shown as ages). */
    static ObjectNode custom(List<CustomResources.PrinterColumn> columns, List<ObjectNode> items, long revision, Instant now) {
        ObjectNode table = ApiServer.JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", Long.toString(revision));
        ArrayNode defs = table.putArray("columnDefinitions");
        defs.addObject().put("name", "Name").put("type", "string").put("format", "name").put("description", "").put("priority", 0);
        for (CustomResources.PrinterColumn c : columns) {
            defs.addObject().put("name", c.name()).put("type", c.type().equals("date") ? "date" : c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode o : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(o.path("metadata").path("name").asText());
            for (CustomResources.PrinterColumn c : columns) {
                JsonNode v = CustomResources.at(o, c.jsonPath());
                if (v == null) {
                    cells.addNull();
                } else if (c.type().equals("date")) {
                    cells.add(age(v.asText(), now));
                } else if (v.isValueNode()) {
                    cells.add(v);
                } else {
                    cells.add(v.toString());
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
            case "ReplicaSet" -> {
                c.add(new Column("Desired", "integer", ""));
                c.add(new Column("Current", "integer", ""));
                c.add(new Column("Ready", "integer", ""));
            }
            case "Node" -> {
                c.add(new Column("Status", "string", ""));
                c.add(new Column("Roles", "string", ""));
            }
            case "DaemonSet" -> {
                c.add(new Column("Desired", "integer", ""));
                c.add(new Column("Current", "integer", ""));
                c.add(new Column("Ready", "integer", ""));
                c.add(new Column("Up-to-date", "integer", ""));
                c.add(new Column("Available", "integer", ""));
            }
            case "HorizontalPodAutoscaler" -> {
                c.add(new Column("Reference", "string", ""));
                c.add(new Column("Targets", "string", ""));
                c.add(new Column("MinPods", "string", ""));
                c.add(new Column("MaxPods", "integer", ""));
                c.add(new Column("Replicas", "integer", ""));
            }
            case "PersistentVolumeClaim" -> {
                c.add(new Column("Status", "string", ""));
                c.add(new Column("Volume", "string", ""));
                c.add(new Column("Capacity", "string", ""));
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
        if (kind.equals("CustomResourceDefinition")) {
            c.add(new Column("Created At", "date", ""));
        } else {
            c.add(new Column("Age", "string", ""));
        }
        switch (kind) {
            case "Pod" -> {
                c.add(new Column("IP", "string", "", 1));
                c.add(new Column("Node", "string", "", 1));
            }
            case "Node" -> {
                c.add(new Column("Version", "string", ""));
                c.add(new Column("Internal-IP", "string", "", 1));
                c.add(new Column("Zone", "string", "", 1));
            }
            default -> {
            }
        }
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
                cells.add(podStatus(o));
                cells.add(Integer.toString(restarts));
            }
            case "ReplicaSet" -> {
                cells.add(spec.path("replicas").asInt(1));
                cells.add(status.path("replicas").asInt(0));
                cells.add(status.path("readyReplicas").asInt(0));
            }
            case "Node" -> {
                boolean ready = false;
                for (JsonNode c : status.path("conditions")) {
                    ready |= c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True");
                }
                cells.add((ready ? "Ready" : "NotReady") + (spec.path("unschedulable").asBoolean() ? ",SchedulingDisabled" : ""));
                cells.add("<none>");
            }
            case "DaemonSet" -> {
                cells.add(status.path("desiredNumberScheduled").asInt(0));
                cells.add(status.path("currentNumberScheduled").asInt(0));
                cells.add(status.path("numberReady").asInt(0));
                cells.add(status.path("updatedNumberScheduled").asInt(0));
                cells.add(status.path("numberAvailable").asInt(0));
            }
            case "HorizontalPodAutoscaler" -> {
                cells.add(spec.path("scaleTargetRef").path("kind").asText() + "/" + spec.path("scaleTargetRef").path("name").asText());
                String current = "<unknown>";
                String target = "";
                for (JsonNode m : status.path("currentMetrics")) {
                    if (m.path("resource").path("current").has("averageUtilization")) {
                        current = m.path("resource").path("current").path("averageUtilization").asInt() + "%";
                    }
                }
                for (JsonNode m : spec.path("metrics")) {
                    if (m.path("resource").path("target").has("averageUtilization")) {
                        target = m.path("resource").path("name").asText() + ": " + current + "/" + m.path("resource").path("target")
                                .path("averageUtilization").asInt() + "%";
                    }
                }
                cells.add(target.isEmpty() ? "<none>" : target);
                cells.add(Integer.toString(spec.path("minReplicas").asInt(1)));
                cells.add(spec.path("maxReplicas").asInt(1));
                cells.add(status.path("currentReplicas").asInt(0));
            }
            case "PersistentVolumeClaim" -> {
                cells.add(status.path("phase").asText("Pending"));
                cells.add(spec.path("volumeName").asText(""));
                cells.add(status.path("capacity").path("storage").asText(""));
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
        if (kind.equals("CustomResourceDefinition")) {
            cells.add(o.path("metadata").path("creationTimestamp").asText(""));
        } else {
            cells.add(age(o.path("metadata").path("creationTimestamp").asText(null), now));
        }
        switch (kind) {
            case "Pod" -> {
                cells.add(status.path("podIP").asText("<none>"));
                cells.add(spec.path("nodeName").asText("<none>"));
            }
            case "Node" -> {
                cells.add(status.path("nodeInfo").path("kubeletVersion").asText(""));
                String ip = "<none>";
                for (JsonNode a : status.path("addresses")) {
                    if (a.path("type").asText().equals("InternalIP")) {
                        ip = a.path("address").asText();
                    }
                }
                cells.add(ip);
                cells.add(o.path("metadata").path("labels").path("topology.kubernetes.io/zone").asText("<none>"));
            }
            default -> {
            }
        }
        return cells;
    }

    /** The STATUS kubectl shows for a pod: a waiting or terminated container's reason, else the phase. */
    static String podStatus(JsonNode pod) {
        JsonNode status = pod.path("status");
        String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("status").asText().equals("False")) {
                reason = "Pending";
            }
        }
        for (JsonNode cs : status.path("containerStatuses")) {
            JsonNode state = cs.path("state");
            if (state.path("waiting").has("reason") && !state.path("waiting").path("reason").asText().isEmpty()) {
                reason = state.path("waiting").path("reason").asText();
            } else if (state.path("terminated").has("reason")) {
                reason = state.path("terminated").path("reason").asText();
            }
        }
        if (pod.path("metadata").has("deletionTimestamp")) {
            reason = "Terminating";
        }
        return reason;
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
