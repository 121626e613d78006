package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.sim.Meta;

/**
 * Which parents an HTTPRoute attaches to. Without the Gateway CRD installed, every parentRef is
 * accepted (and a route without parentRefs is served too): the sandbox gateway is the parent of
 * everything. With it, a parentRef is accepted when it names a {@code Gateway} (namespace: the
 * route's unless given) whose {@code gatewayClassName} is a GatewayClass of controller
 * {@value #CONTROLLER_NAME}, and a route is served when one of its parentRefs is accepted.
 * Listeners (hostnames, ports, {@code allowedRoutes}) are not checked.
 */
final class GatewayParents {
    static final String CONTROLLER_NAME = "sandbox.sampan.io/gateway-controller";

    /** The {@code Accepted} condition of a parentRef. */
    record Acceptance(boolean accepted, String reason, String message) {
    }

    private GatewayParents() {
    }

    static Acceptance accept(GatewayApiWatch watch, String routeNamespace, JsonNode parentRef) {
        if (!watch.gatewayCrdInstalled()) {
            return new Acceptance(true, "Accepted", "the sandbox gateway serves every HTTPRoute (no Gateway CRD installed)");
        }
        String group = parentRef.path("group").asText(HttpRouteRouter.GROUP);
        String kind = parentRef.path("kind").asText("Gateway");
        String ns = parentRef.path("namespace").asText(routeNamespace);
        String name = parentRef.path("name").asText("");
        if (!group.equals(HttpRouteRouter.GROUP) || !kind.equals("Gateway")) {
            return new Acceptance(false, "NoMatchingParent", "parent " + kind + " " + name + " is not a Gateway");
        }
        ObjectNode gateway = watch.get(GatewayApiWatch.GATEWAYS, Meta.key(ns, name));
        if (gateway == null) {
            return new Acceptance(false, "NoMatchingParent", "gateway " + ns + "/" + name + " not found");
        }
        if (!ours(watch, gateway)) {
            return new Acceptance(false, "NoMatchingParent", "gateway " + ns + "/" + name + " is not of a GatewayClass of " + CONTROLLER_NAME);
        }
        return new Acceptance(true, "Accepted", "attached to gateway " + ns + "/" + name);
    }

    /** Whether the gateway routes by this HTTPRoute. */
    static boolean served(GatewayApiWatch watch, JsonNode route) {
        if (!watch.gatewayCrdInstalled()) {
            return true;
        }
        for (JsonNode ref : route.path("spec").path("parentRefs")) {
            if (accept(watch, Meta.namespace(route), ref).accepted()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Gateway is of a class of the sandbox's controller. */
    static boolean ours(GatewayApiWatch watch, JsonNode gateway) {
        ObjectNode cls = watch.get(GatewayApiWatch.GATEWAY_CLASSES, gateway.path("spec").path("gatewayClassName").asText(""));
        return cls != null && ours(cls);
    }

    static boolean ours(JsonNode gatewayClass) {
        return CONTROLLER_NAME.equals(gatewayClass.path("spec").path("controllerName").asText());
    }
}
