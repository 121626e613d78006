package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.sim.Api;
import io.sampan.sandbox.sim.Controller;
import io.sampan.sandbox.sim.ControllerManager;
import io.sampan.sandbox.sim.Informer;
import io.sampan.sandbox.sim.Meta;
import java.time.temporal.ChronoUnit;

/**
 * The gateway controller's side of an HTTPRoute's status: for each of its {@code parentRefs} an
 * entry of {@code status.parents} with controllerName {@value #CONTROLLER_NAME}, {@code Accepted=True}
 * (the sandbox gateway serves every HTTPRoute) and {@code ResolvedRefs} — {@code True}, or
 * {@code False} with the reason of the first backendRef that cannot be followed
 * ({@code BackendNotFound} for a missing Service or port, {@code InvalidKind}, {@code RefNotPermitted}).
 * Entries of other controllers are kept. Written through the status subresource, again when the
 * HTTPRoute or a Service of its namespace changes. An HTTPRoute without parentRefs gets no entry.
 */
final class HttpRouteStatusController implements Controller {
    static final String CONTROLLER_NAME = "sandbox.sampan.io/gateway-controller";
    private final Api api;
    private final ControllerManager manager;
    private final HttpRouteWatch routes;
    private final Informer services;

    HttpRouteStatusController(Api api, ControllerManager manager, HttpRouteWatch routes, Informer services) {
        this.api = api;
        this.manager = manager;
        this.routes = routes;
        this.services = services;
        routes.addHandler((before, after) -> {
            if (after != null) {
                manager.enqueue(this, Meta.key(after));
            }
        });
        services.addHandler((before, after) -> {
            String ns = Meta.namespace(after != null ? after : before);
            for (ObjectNode hr : routes.all()) {
                if (ns.equals(Meta.namespace(hr))) {
                    manager.enqueue(this, Meta.key(hr));
                }
            }
        });
        for (ObjectNode hr : routes.all()) {
            manager.enqueue(this, Meta.key(hr));
        }
    }

    @Override
    public String name() {
        return "httproute-status";
    }

    @Override
    public void reconcile(String key) {
        ObjectNode hr = routes.get(key);
        ResourceType type = routes.type(key);
        if (hr == null || type == null || !type.hasStatus() || hr.path("metadata").has("deletionTimestamp")) {
            return;
        }
        ArrayNode parents = parents(hr);
        if (parents.equals(hr.path("status").path("parents"))) {
            return;
        }
        ObjectNode next = hr.deepCopy();
        next.with("status").set("parents", parents);
        api.updateStatus(type, next); // a conflict fails the reconcile: it is retried with the newer object
    }

    /** {@code status.parents} as it should be: other controllers' entries, then ours. */
    ArrayNode parents(ObjectNode hr) {
        String ns = Meta.namespace(hr);
        ArrayNode out = Meta.JSON.createArrayNode();
        JsonNode old = hr.path("status").path("parents");
        for (JsonNode p : old) {
            if (!CONTROLLER_NAME.equals(p.path("controllerName").asText())) {
                out.add(p);
            }
        }
        String resolvedReason = "ResolvedRefs";
        String resolvedMessage = "all backendRefs are resolved";
        outer:
        for (JsonNode rule : hr.path("spec").path("rules")) {
            for (JsonNode ref : rule.path("backendRefs")) {
                HttpRouteRouter.RefProblem problem = HttpRouteRouter.refProblem(ns, ref);
                if (problem == null) {
                    problem = serviceProblem(ns, ref);
                }
                if (problem != null) {
                    resolvedReason = problem.reason();
                    resolvedMessage = problem.message();
                    break outer;
                }
            }
        }
        long generation = hr.path("metadata").path("generation").asLong(1);
        String now = manager.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode ref : hr.path("spec").path("parentRefs")) {
            ObjectNode parentRef = Meta.JSON.createObjectNode();
            parentRef.put("group", ref.path("group").asText(HttpRouteRouter.GROUP)).put("kind", ref.path("kind").asText("Gateway"));
            if (ref.has("namespace")) {
                parentRef.put("namespace", ref.path("namespace").asText());
            }
            parentRef.put("name", ref.path("name").asText(""));
            if (ref.has("sectionName")) {
                parentRef.put("sectionName", ref.path("sectionName").asText());
            }
            if (ref.has("port")) {
                parentRef.put("port", ref.path("port").asInt());
            }
            JsonNode previous = previous(old, parentRef);
            ObjectNode entry = out.addObject();
            entry.set("parentRef", parentRef);
            entry.put("controllerName", CONTROLLER_NAME);
            ArrayNode conditions = entry.putArray("conditions");
            condition(conditions, previous, "Accepted", true, "Accepted", "the sandbox gateway serves the route", generation, now);
            condition(conditions, previous, "ResolvedRefs", resolvedReason.equals("ResolvedRefs"), resolvedReason, resolvedMessage, generation, now);
        }
        return out;
    }

    private HttpRouteRouter.RefProblem serviceProblem(String ns, JsonNode ref) {
        String name = ref.path("name").asText("");
        ObjectNode svc = services.get(ns, name);
        if (svc == null) {
            return new HttpRouteRouter.RefProblem("BackendNotFound", "service " + ns + "/" + name + " not found");
        }
        int port = ref.path("port").asInt();
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p.path("port").asInt() == port) {
                return null;
            }
        }
        return new HttpRouteRouter.RefProblem("BackendNotFound", "service " + ns + "/" + name + " has no port " + port);
    }

    private static JsonNode previous(JsonNode old, ObjectNode parentRef) {
        for (JsonNode p : old) {
            if (CONTROLLER_NAME.equals(p.path("controllerName").asText()) && parentRef.equals(p.path("parentRef"))) {
                return p;
            }
        }
        return null;
    }

    private static void condition(ArrayNode conditions, JsonNode previous, String type, boolean ok, String reason, String message, long generation,
            String now) {
        String status = ok ? "True" : "False";
        String transition = now;
        if (previous != null) {
            for (JsonNode c : previous.path("conditions")) {
                if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status)) {
                    transition = c.path("lastTransitionTime").asText(now);
                }
            }
        }
        conditions.addObject().put("type", type).put("status", status).put("observedGeneration", generation).put("lastTransitionTime", transition)
                .put("reason", reason).put("message", message);
    }
}
