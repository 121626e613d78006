package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Some of the API server's defaulting of built-in kinds, the part clients read back: a Deployment's
 * strategy ({@code RollingUpdate} with 25 % surge and unavailability), revision history limit and
 * progress deadline, and in every pod template the containers' port protocol ({@code TCP}),
 * pull policy and termination message settings, and the pod's DNS policy, scheduler and grace period; a Secret's
 * {@code stringData} is merged into its {@code data} (base64), as the API server does on every write. Runs after
 * validation on create and on update, filling only what is absent.
 */
final class BuiltinDefaults implements Admission {
    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        apply(type, object);
    }

    @Override
    public void admitUpdate(Store store, ResourceType type, ObjectNode next, ObjectNode current) {
        apply(type, next);
    }

    static void apply(ResourceType type, ObjectNode o) {
        if (!type.group().equals("apps") && !type.group().isEmpty() && !type.group().equals("batch")) {
            return;
        }
        switch (type.kind()) {
            case "Deployment" -> {
                ObjectNode spec = o.with("spec");
                ObjectNode strategy = spec.with("strategy");
                if (!strategy.has("type")) {
                    strategy.put("type", "RollingUpdate");
                }
                if (strategy.path("type").asText().equals("RollingUpdate")) {
                    ObjectNode rolling = strategy.with("rollingUpdate");
                    if (!rolling.has("maxSurge")) {
                        rolling.put("maxSurge", "25%");
                    }
                    if (!rolling.has("maxUnavailable")) {
                        rolling.put("maxUnavailable", "25%");
                    }
                }
                defaultInt(spec, "revisionHistoryLimit", 10);
                defaultInt(spec, "progressDeadlineSeconds", 600);
                if (!spec.has("replicas")) {
                    spec.put("replicas", 1);
                }
                podSpec(spec.path("template").path("spec"));
            }
            case "ReplicaSet", "StatefulSet", "DaemonSet", "Job" -> podSpec(o.path("spec").path("template").path("spec"));
            case "CronJob" -> podSpec(o.path("spec").path("jobTemplate").path("spec").path("template").path("spec"));
            case "Pod" -> podSpec(o.path("spec"));
            case "Secret" -> {
                if (o.remove("stringData") instanceof ObjectNode strings && !strings.isEmpty()) {
                    ObjectNode data = o.with("data");
                    strings.properties().forEach(e -> data.put(e.getKey(), java.util.Base64.getEncoder().encodeToString(
                            e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                }
            }
            default -> {
            }
        }
    }

    private static void defaultInt(ObjectNode o, String field, int value) {
        if (!o.has(field)) {
            o.put(field, value);
        }
    }

    private static void podSpec(JsonNode node) {
        if (!(node instanceof ObjectNode spec)) {
            return;
        }
        if (!spec.has("dnsPolicy")) {
            spec.put("dnsPolicy", "ClusterFirst");
        }
        if (!spec.has("schedulerName")) {
            spec.put("schedulerName", "default-scheduler");
        }
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (!(c instanceof ObjectNode container)) {
                    continue;
                }
                for (JsonNode p : container.path("ports")) {
                    if (p instanceof ObjectNode port && !port.has("protocol")) {
                        port.put("protocol", "TCP");
                    }
                }
                if (!container.has("imagePullPolicy")) {
                    String image = container.path("image").asText("");
                    boolean latest = !image.contains("@") && (image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":"));
                    container.put("imagePullPolicy", latest ? "Always" : "IfNotPresent");
                }
                if (!container.has("terminationMessagePath")) {
                    container.put("terminationMessagePath", "/dev/termination-log");
                }
                if (!container.has("terminationMessagePolicy")) {
                    container.put("terminationMessagePolicy", "File");
                }
            }
        }
    }
}
