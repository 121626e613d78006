package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Services to endpoints: gives a Service its cluster IP, and keeps an {@code Endpoints} object and
 * one {@code EndpointSlice} listing the pods its selector matches — ready ones as addresses,
 * others as not-ready addresses — with their node, zone and the resolved target ports.
 */
public final class EndpointsController implements Controller {
    static final String SERVICE_NAME = "kubernetes.io/service-name";
    private final Api api;
    private final Informer services;
    private final Informer pods;
    private final Informer nodes;
    private final AtomicInteger clusterIps = new AtomicInteger(10);

    public EndpointsController(Api api, ControllerManager manager, Informer services, LabelIndex selectors, Informer pods, Informer nodes) {
        this.api = api;
        this.services = services;
        this.pods = pods;
        this.nodes = nodes;
        services.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        // only services whose selector shares a label with the pod are candidates: a namespace of
        // thousands of services and pods stays cheap (this runs inside the store's lock)
        pods.addHandler((before, after) -> {
            for (ObjectNode p : new ObjectNode[] {before, after}) {
                if (p != null) {
                    for (ObjectNode svc : selectors.candidates(services, p)) {
                        if (selects(svc, p)) {
                            manager.enqueue(this, Meta.key(svc));
                        }
                    }
                }
            }
        });
    }

    @Override
    public String name() {
        return "endpoints";
    }

    static boolean selects(JsonNode svc, JsonNode pod) {
        if (pod == null) {
            return false;
        }
        JsonNode selector = svc.path("spec").path("selector");
        if (selector.isEmpty()) {
            return false;
        }
        Map<String, String> labels = Meta.labels(pod);
        for (Map.Entry<String, String> e : Meta.strings(selector).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void reconcile(String key) {
        String ns = Meta.namespaceOfKey(key);
        String name = Meta.nameOfKey(key);
        ObjectNode svc = services.get(key);
        String sliceName = name + "-" + Meta.safeEncode(Meta.fnv32a(Meta.JSON.getNodeFactory().textNode(key)));
        if (svc == null) {
            api.delete(Kinds.ENDPOINTS, ns, name);
            api.delete(Kinds.ENDPOINT_SLICE, ns, sliceName);
            return;
        }
        svc = assignClusterIp(svc);
        if (svc.path("spec").path("selector").isEmpty()) {
            return; // endpoints of a selector-less service are the user's
        }
        List<ObjectNode> selected = new ArrayList<>();
        for (ObjectNode p : LabelIndex.pods(pods, ns, Meta.strings(svc.path("spec").path("selector")))) {
            String phase = p.path("status").path("phase").asText("");
            if (selects(svc, p) && !p.path("status").path("podIP").asText("").isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                selected.add(p);
            }
        }
        selected.sort(Comparator.comparing(p -> p.path("status").path("podIP").asText()));
        ObjectNode endpoints = Meta.JSON.createObjectNode();
        endpoints.putObject("metadata").put("name", name).put("namespace", ns).putObject("labels").put(SERVICE_NAME, name);
        ArrayNode subsets = endpoints.putArray("subsets");
        ObjectNode slice = Meta.JSON.createObjectNode();
        ObjectNode sliceMeta = slice.putObject("metadata").put("name", sliceName).put("namespace", ns);
        sliceMeta.putObject("labels").put(SERVICE_NAME, name).put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        Meta.setController(slice, svc);
        slice.put("addressType", "IPv4");
        ArrayNode sliceEndpoints = slice.putArray("endpoints");
        ArrayNode slicePorts = slice.putArray("ports");
        if (!selected.isEmpty()) {
            ObjectNode subset = subsets.addObject();
            ArrayNode ready = Meta.JSON.createArrayNode();
            ArrayNode notReady = Meta.JSON.createArrayNode();
            for (ObjectNode p : selected) {
                boolean isReady = PodTemplates.ready(p);
                String node = p.path("spec").path("nodeName").asText();
                ObjectNode address = (isReady ? ready : notReady).addObject().put("ip", p.path("status").path("podIP").asText()).put("nodeName", node);
                address.putObject("targetRef").put("kind", "Pod").put("namespace", ns).put("name", Meta.name(p)).put("uid", Meta.uid(p));
                ObjectNode e = sliceEndpoints.addObject();
                e.putArray("addresses").add(p.path("status").path("podIP").asText());
                e.putObject("conditions").put("ready", isReady).put("serving", isReady).put("terminating", false);
                e.put("nodeName", node);
                ObjectNode n = nodes.get(node);
                if (n != null && Meta.labels(n).containsKey("topology.kubernetes.io/zone")) {
                    e.put("zone", Meta.labels(n).get("topology.kubernetes.io/zone"));
                }
                e.set("targetRef", address.get("targetRef").deepCopy());
            }
            if (!ready.isEmpty()) {
                subset.set("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.set("notReadyAddresses", notReady);
            }
            ArrayNode ports = subset.putArray("ports");
            for (JsonNode sp : svc.path("spec").path("ports")) {
                ObjectNode port = ports.addObject();
                if (sp.has("name")) {
                    port.put("name", sp.path("name").asText());
                }
                port.put("port", targetPort(sp, selected.get(0))).put("protocol", sp.path("protocol").asText("TCP"));
                slicePorts.add(port.deepCopy());
            }
        }
        if (subsets.isEmpty()) {
            endpoints.remove("subsets");
        }
        save(Kinds.ENDPOINTS, endpoints);
        save(Kinds.ENDPOINT_SLICE, slice);
    }

    private ObjectNode assignClusterIp(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        if (spec.has("clusterIP") || "ExternalName".equals(spec.path("type").asText())) {
            return svc;
        }
        int n = clusterIps.getAndIncrement();
        ObjectNode update = svc.deepCopy();
        String ip = "10.96." + (n >> 8 & 255) + "." + (n & 255);
        update.with("spec").put("clusterIP", ip).putArray("clusterIPs").add(ip);
        return api.update(Kinds.SERVICE, update);
    }

    private void save(io.sampan.sandbox.ResourceType t, ObjectNode desired) {
        ObjectNode current = api.get(t, Meta.namespace(desired), Meta.name(desired)).orElse(null);
        if (current == null) {
            api.create(t, desired);
            return;
        }
        ObjectNode next = current.deepCopy();
        desired.fieldNames().forEachRemaining(f -> {
            if (!f.equals("metadata")) {
                next.set(f, desired.get(f));
            }
        });
        if (!desired.has("subsets")) {
            next.remove("subsets");
        }
        next.with("metadata").set("labels", desired.path("metadata").path("labels"));
        if (!next.equals(current)) {
            api.update(t, next);
        }
    }

    private static int targetPort(JsonNode servicePort, JsonNode pod) {
        JsonNode target = servicePort.path("targetPort");
        if (target.isMissingNode() || target.isNull()) {
            return servicePort.path("port").asInt();
        }
        if (target.isInt() || target.asText().matches("\\d+")) {
            return target.asInt(Integer.parseInt(target.asText()));
        }
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (target.asText().equals(p.path("name").asText())) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return servicePort.path("port").asInt();
    }
}
