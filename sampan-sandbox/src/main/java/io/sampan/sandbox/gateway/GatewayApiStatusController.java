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
 * The status the sandbox's Gateway API controller ({@value GatewayParents#CONTROLLER_NAME}) writes,
 * through the status subresource:
 * <ul>
 * <li>an HTTPRoute gets, for each of its {@code parentRefs}, an entry of {@code status.parents} with
 * {@code Accepted} (see {@link GatewayParents}: {@code True}, or {@code False}/{@code NoMatchingParent})
 * and {@code ResolvedRefs} — {@code True}, or {@code False} with the reason of the first backendRef
 * that cannot be followed ({@code BackendNotFound} for a missing Service or port,
 * {@code InvalidKind}, {@code RefNotPermitted}). Entries of other controllers are kept; a route
 * without parentRefs gets none. Again when the route, a Service of its namespace, a Gateway or a
 * GatewayClass changes;</li>
 * <li>a GatewayClass of the controller gets {@code Accepted=True};</li>
 * <li>a Gateway of such a class gets {@code Accepted=True}, {@code Programmed=True} and the
 * gateway's address ({@code 127.0.0.1}).</li>
 * </ul>
 * Keys are {@code plural|namespace/name}.
 */
final class GatewayApiStatusController implements Controller {
    private final Api api;
    private final ControllerManager manager;
    private final GatewayApiWatch watch;
    private final Informer services;

    GatewayApiStatusController(Api api, ControllerManager manager, GatewayApiWatch watch, Informer services) {
        this.api = api;
        this.manager = manager;
        this.watch = watch;
        this.services = services;
        watch.addHandler((plural, before, after) -> {
            if (plural.equals(GatewayApiWatch.HTTP_ROUTES)) {
                if (after != null) {
                    enqueue(plural, after);
                }
                return;
            }
            if (after != null && !plural.equals("customresourcedefinitions")) {
                enqueue(plural, after);
            }
            if (plural.equals(GatewayApiWatch.GATEWAY_CLASSES)) {
                watch.all(GatewayApiWatch.GATEWAYS).forEach(g -> enqueue(GatewayApiWatch.GATEWAYS, g));
            }
            watch.all(GatewayApiWatch.HTTP_ROUTES).forEach(r -> enqueue(GatewayApiWatch.HTTP_ROUTES, r));
        });
        services.addHandler((before, after) -> {
            String ns = Meta.namespace(after != null ? after : before);
            for (ObjectNode hr : watch.all(GatewayApiWatch.HTTP_ROUTES)) {
                if (ns.equals(Meta.namespace(hr))) {
                    enqueue(GatewayApiWatch.HTTP_ROUTES, hr);
                }
            }
        });
        for (String plural : new String[] {GatewayApiWatch.HTTP_ROUTES, GatewayApiWatch.GATEWAYS, GatewayApiWatch.GATEWAY_CLASSES}) {
            watch.all(plural).forEach(o -> enqueue(plural, o));
        }
    }

    private void enqueue(String plural, JsonNode o) {
        manager.enqueue(this, plural + "|" + Meta.key(o));
    }

    @Override
    public String name() {
        return "gateway-api-status";
    }

    @Override
    public void reconcile(String pluralAndKey) {
        int bar = pluralAndKey.indexOf('|');
        String plural = pluralAndKey.substring(0, bar);
        String key = pluralAndKey.substring(bar + 1);
        ObjectNode o = watch.get(plural, key);
        ResourceType type = watch.type(plural, key);
        if (o == null || type == null || !type.hasStatus() || o.path("metadata").has("deletionTimestamp")) {
            return;
        }
        String now = manager.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = o.path("status").isObject() ? ((ObjectNode) o.get("status")).deepCopy() : Meta.JSON.createObjectNode();
        switch (plural) {
            case GatewayApiWatch.HTTP_ROUTES -> status.set("parents", parents(o, now));
            case GatewayApiWatch.GATEWAY_CLASSES -> {
                if (!GatewayParents.ours(o)) {
                    return;
                }
                ArrayNode conditions = Meta.JSON.createArrayNode();
                condition(conditions, o.path("status"), "Accepted", true, "Accepted", "handled by the sandbox gateway", generation(o), now);
                status.set("conditions", conditions);
            }
            case GatewayApiWatch.GATEWAYS -> {
                if (!GatewayParents.ours(watch, o)) {
                    return;
                }
                ArrayNode conditions = Meta.JSON.createArrayNode();
                condition(conditions, o.path("status"), "Accepted", true, "Accepted", "handled by the sandbox gateway", generation(o), now);
                condition(conditions, o.path("status"), "Programmed", true, "Programmed", "served by the sandbox gateway", generation(o), now);
                status.set("conditions", conditions);
                status.putArray("addresses").addObject().put("type", "IPAddress").put("value", "127.0.0.1");
            }
            default -> {
                return;
            }
        }
        if (status.equals(o.path("status"))) {
            return;
        }
        ObjectNode next = o.deepCopy();
        next.set("status", status);
        api.updateStatus(type, next); // a conflict fails the reconcile: it is retried at once with the newer object
    }

    private static long generation(JsonNode o) {
        return o.path("metadata").path("generation").asLong(1);
    }

    /** {@code status.parents} as it should be: other controllers' entries, then ours. */
    ArrayNode parents(ObjectNode hr, String now) {
        String ns = Meta.namespace(hr);
        ArrayNode out = Meta.JSON.createArrayNode();
        JsonNode old = hr.path("status").path("parents");
        for (JsonNode p : old) {
            if (!GatewayParents.CONTROLLER_NAME.equals(p.path("controllerName").asText())) {
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
        long generation = generation(hr);
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
            GatewayParents.Acceptance acceptance = GatewayParents.accept(watch, ns, ref);
            ObjectNode entry = out.addObject();
            entry.set("parentRef", parentRef);
            entry.put("controllerName", GatewayParents.CONTROLLER_NAME);
            ArrayNode conditions = entry.putArray("conditions");
            condition(conditions, previous, "Accepted", acceptance.accepted(), acceptance.reason(), acceptance.message(), generation, now);
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
            if (GatewayParents.CONTROLLER_NAME.equals(p.path("controllerName").asText()) && parentRef.equals(p.path("parentRef"))) {
                return p;
            }
        }
        return null;
    }

    /** Adds a condition, keeping the previous {@code lastTransitionTime} when the status is unchanged. */
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
