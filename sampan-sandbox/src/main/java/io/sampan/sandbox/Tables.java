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
                c.add(new Column("Node Selector", "string", ""));
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
                c.add(new Column("Access Modes", "string", ""));
                c.add(new Column("StorageClass", "string", ""));
                c.add(new Column("VolumeAttributesClass", "string", ""));
            }
            case "PersistentVolume" -> {
                c.add(new Column("Capacity", "string", ""));
                c.add(new Column("Access Modes", "string", ""));
                c.add(new Column("Reclaim Policy", "string", ""));
                c.add(new Column("Status", "string", ""));
                c.add(new Column("Claim", "string", ""));
                c.add(new Column("StorageClass", "string", ""));
                c.add(new Column("VolumeAttributesClass", "string", ""));
                c.add(new Column("Reason", "string", ""));
            }
            case "ControllerRevision" -> {
                c.add(new Column("Controller", "string", ""));
                c.add(new Column("Revision", "integer", ""));
            }
            case "StorageClass" -> {
                c.add(new Column("Provisioner", "string", ""));
                c.add(new Column("ReclaimPolicy", "string", ""));
                c.add(new Column("VolumeBindingMode", "string", ""));
                c.add(new Column("AllowVolumeExpansion", "string", ""));
            }
            case "Service" -> {
                c.add(new Column("Type", "string", ""));
                c.add(new Column("Cluster-IP", "string", ""));
                c.add(new Column("Port(s)", "string", ""));
            }
            case "Namespace" -> c.add(new Column("Status", "string", ""));
            case "ConfigMap" -> c.add(new Column("Data", "integer", ""));
            case "Secret" -> {
                c.add(new Column("Type", "string", ""));
                c.add(new Column("Data", "integer", ""));
            }
            case "Ingress" -> {
                c.add(new Column("Class", "string", ""));
                c.add(new Column("Hosts", "string", ""));
                c.add(new Column("Address", "string", ""));
                c.add(new Column("Ports", "string", ""));
            }
            case "Job" -> {
                c.add(new Column("Status", "string", ""));
                c.add(new Column("Completions", "string", ""));
                c.add(new Column("Duration", "string", ""));
            }
            case "CronJob" -> {
                c.add(new Column("Schedule", "string", ""));
                c.add(new Column("Timezone", "string", ""));
                c.add(new Column("Suspend", "boolean", ""));
                c.add(new Column("Active", "integer", ""));
                c.add(new Column("Last Schedule", "string", ""));
            }
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
            case "StatefulSet", "DaemonSet" -> {
                c.add(new Column("Containers", "string", "", 1));
                c.add(new Column("Images", "string", "", 1));
                if (kind.equals("DaemonSet")) {
                    c.add(new Column("Selector", "string", "", 1));
                }
            }
            case "PersistentVolumeClaim", "PersistentVolume" -> c.add(new Column("VolumeMode", "string", "", 1));
            case "Node" -> {
                c.add(new Column("Version", "string", ""));
                c.add(new Column("Internal-IP", "string", "", 1));
                c.add(new Column("Zone", "string", "", 1));
            }
            case "Job", "CronJob" -> {
                c.add(new Column("Containers", "string", "", 1));
                c.add(new Column("Images", "string", "", 1));
                c.add(new Column("Selector", "string", "", 1));
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
                List<String> selector = new ArrayList<>();
                spec.path("template").path("spec").path("nodeSelector").fields().forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
                cells.add(selector.isEmpty() ? "<none>" : String.join(",", selector));
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
                    } else if (m.path("resource").path("target").has("averageValue")) {
                        String value = "<unknown>";
                        for (JsonNode cm : status.path("currentMetrics")) {
                            if (cm.path("resource").path("name").asText().equals(m.path("resource").path("name").asText())) {
                                value = cm.path("resource").path("current").path("averageValue").asText(value);
                            }
                        }
                        target = m.path("resource").path("name").asText() + ": " + value + "/" + m.path("resource").path("target")
                                .path("averageValue").asText();
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
                cells.add(accessModes(status.path("accessModes")));
                cells.add(spec.path("storageClassName").asText("<unset>"));
                cells.add(spec.path("volumeAttributesClassName").asText("<unset>"));
            }
            case "PersistentVolume" -> {
                cells.add(spec.path("capacity").path("storage").asText(""));
                cells.add(accessModes(spec.path("accessModes")));
                cells.add(spec.path("persistentVolumeReclaimPolicy").asText("Retain"));
                cells.add(status.path("phase").asText("Available"));
                JsonNode claim = spec.path("claimRef");
                cells.add(claim.has("name") ? claim.path("namespace").asText("") + "/" + claim.path("name").asText() : "");
                cells.add(spec.path("storageClassName").asText(""));
                cells.add(spec.path("volumeAttributesClassName").asText("<unset>"));
                cells.add(status.path("reason").asText(""));
            }
            case "ControllerRevision" -> {
                String controller = "<none>";
                for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean()) {
                        String group = ref.path("apiVersion").asText().contains("/") ? "." + ref.path("apiVersion").asText().split("/")[0] : "";
                        controller = ref.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + group + "/" + ref.path("name").asText();
                    }
                }
                cells.add(controller);
                cells.add((int) o.path("revision").asLong());
            }
            case "StorageClass" -> {
                if ("true".equals(o.path("metadata").path("annotations").path("storageclass.kubernetes.io/is-default-class").asText())) {
                    cells.set(0, cells.get(0) + " (default)");
                }
                cells.add(o.path("provisioner").asText());
                cells.add(o.path("reclaimPolicy").asText("Delete"));
                cells.add(o.path("volumeBindingMode").asText("Immediate"));
                cells.add(Boolean.toString(o.path("allowVolumeExpansion").asBoolean(false)));
            }
            case "Service" -> {
                cells.add(spec.path("type").asText("ClusterIP"));
                cells.add(spec.path("clusterIP").asText("<none>"));
                List<String> ports = new ArrayList<>();
                spec.path("ports").forEach(p -> ports.add(p.path("port").asInt() + "/" + p.path("protocol").asText("TCP")));
                cells.add(ports.isEmpty() ? "<none>" : String.join(",", ports));
            }
            case "Namespace" -> cells.add(status.path("phase").asText("Active"));
            case "ConfigMap" -> cells.add(o.path("data").size() + o.path("binaryData").size());
            case "Secret" -> {
                cells.add(o.path("type").asText("Opaque"));
                cells.add(o.path("data").size());
            }
            case "Ingress" -> {
                cells.add(spec.path("ingressClassName").asText("<none>"));
                List<String> hosts = new ArrayList<>();
                spec.path("rules").forEach(r -> hosts.add(r.path("host").asText("*")));
                cells.add(hosts.isEmpty() ? "*" : String.join(",", hosts));
                List<String> addresses = new ArrayList<>();
                status.path("loadBalancer").path("ingress").forEach(a -> addresses.add(a.path("ip").asText(a.path("hostname").asText())));
                cells.add(String.join(",", addresses));
                cells.add(spec.path("tls").isEmpty() ? "80" : "80, 443");
            }
            case "Job" -> {
                cells.add(jobStatus(o));
                int succeeded = status.path("succeeded").asInt(0);
                int parallelism = spec.path("parallelism").asInt(0);
                cells.add(spec.hasNonNull("completions") ? succeeded + "/" + spec.path("completions").asInt()
                        : parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1");
                String start = status.path("startTime").asText("");
                String end = status.path("completionTime").asText("");
                cells.add(start.isEmpty() ? "" : humanDuration(Duration.between(Instant.parse(start), end.isEmpty() ? now : Instant.parse(end))));
            }
            case "CronJob" -> {
                cells.add(spec.path("schedule").asText());
                cells.add(spec.path("timeZone").asText("<none>"));
                cells.add(spec.path("suspend").asBoolean(false) ? "True" : "False");
                cells.add(status.path("active").size());
                String last = status.path("lastScheduleTime").asText("");
                cells.add(last.isEmpty() ? "<none>" : age(last, now));
            }
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
            case "StatefulSet", "DaemonSet" -> {
                List<String> names = new ArrayList<>();
                List<String> images = new ArrayList<>();
                spec.path("template").path("spec").path("containers").forEach(x -> {
                    names.add(x.path("name").asText());
                    images.add(x.path("image").asText());
                });
                cells.add(String.join(",", names));
                cells.add(String.join(",", images));
                if (kind.equals("DaemonSet")) {
                    List<String> labels = new ArrayList<>();
                    spec.path("selector").path("matchLabels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
                    cells.add(labels.isEmpty() ? "<none>" : String.join(",", labels));
                }
            }
            case "PersistentVolumeClaim", "PersistentVolume" -> cells.add(spec.path("volumeMode").asText("Filesystem"));
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
            case "Job", "CronJob" -> {
                JsonNode jobSpec = kind.equals("Job") ? spec : spec.path("jobTemplate").path("spec");
                List<String> names = new ArrayList<>();
                List<String> images = new ArrayList<>();
                jobSpec.path("template").path("spec").path("containers").forEach(x -> {
                    names.add(x.path("name").asText());
                    images.add(x.path("image").asText());
                });
                cells.add(String.join(",", names));
                cells.add(String.join(",", images));
                List<String> selector = new ArrayList<>();
                jobSpec.path("selector").path("matchLabels").fields().forEachRemaining(e -> selector.add(e.getKey() + "=" + e.getValue().asText()));
                cells.add(selector.isEmpty() ? "<none>" : String.join(",", selector));
            }
            default -> {
            }
        }
        return cells;
    }

    /** Access modes as kubectl abbreviates them: RWO, ROX, RWX, RWOP. */
    static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : modes) {
            out.add(switch (m.asText()) {
                case "ReadWriteOnce" -> "RWO";
                case "ReadOnlyMany" -> "ROX";
                case "ReadWriteMany" -> "RWX";
                case "ReadWriteOncePod" -> "RWOP";
                default -> m.asText();
            });
        }
        return String.join(",", out);
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

    /** The STATUS kubectl shows for a Job (1.31): Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet or Running. */
    static String jobStatus(JsonNode job) {
        for (String type : new String[] {"Complete", "Failed"}) {
            if (hasCondition(job, type)) {
                return type;
            }
        }
        if (job.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        for (String type : new String[] {"Suspended", "FailureTarget", "SuccessCriteriaMet"}) {
            if (hasCondition(job, type)) {
                return type;
            }
        }
        return "Running";
    }

    private static boolean hasCondition(JsonNode o, String type) {
        for (JsonNode c : o.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    /** A duration as kubectl prints one ({@code 45s}, {@code 3m20s}, {@code 15m}, {@code 2h5m}, {@code 3d4h}). */
    static String humanDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 0) {
            return "0s";
        }
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + s % 60 + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + m % 60 + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        if (h < 24 * 8) {
            return h % 24 == 0 ? h / 24 + "d" : h / 24 + "d" + h % 24 + "h";
        }
        return h / 24 + "d";
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
