package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.ResourceTypes;
import io.sampan.sandbox.Store;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A simulation on a manual clock for tests: create objects from YAML, advance time, read back. */
final class SimCluster implements AutoCloseable {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ResourceTypes TYPES = new ResourceTypes();
    final SimClock clock = SimClock.manual(Instant.parse("2026-11-24T10:00:00Z"));
    final Store store = new Store(clock);
    final Simulation sim;
    final Api api;

    SimCluster(NodeProfile nodes) {
        ObjectNode ns = YAML.createObjectNode();
        ns.putObject("metadata").put("name", "default");
        store.create(Kinds.NAMESPACE, null, ns);
        sim = new Simulation(store, Simulation.Options.defaults().withNodes(nodes).withClock(clock));
        api = sim.api();
        sim.awaitIdle();
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ResourceType type(JsonNode o) {
        return TYPES.byKind(o.path("apiVersion").asText(), o.path("kind").asText()).orElseThrow();
    }

    ObjectNode apply(String text) {
        ObjectNode o = yaml(text);
        if (!o.path("metadata").has("namespace") && type(o).namespaced()) {
            o.with("metadata").put("namespace", "default");
        }
        ObjectNode current = api.get(type(o), Meta.namespace(o), Meta.name(o)).orElse(null);
        ObjectNode out;
        if (current == null) {
            out = api.create(type(o), o);
        } else {
            o.with("metadata").setAll((ObjectNode) current.path("metadata"));
            o.with("metadata").remove("resourceVersion");
            out = api.update(type(o), o);
        }
        sim.awaitIdle();
        return out;
    }

    ObjectNode get(ResourceType t, String name) {
        return api.get(t, t.namespaced() ? "default" : null, name).orElseThrow();
    }

    List<ObjectNode> pods(String labelKey, String value) {
        return api.list(Kinds.POD, "default", p -> value.equals(p.path("metadata").path("labels").path(labelKey).asText()));
    }

    List<ObjectNode> events(String reason) {
        return api.list(Kinds.EVENT, null, e -> reason.equals(e.path("reason").asText()));
    }

    void advance(Duration d) {
        // in steps, as time passes in a real cluster: each step lets what became due happen
        Duration step = Duration.ofSeconds(1);
        for (Duration left = d; !left.isZero() && !left.isNegative(); left = left.minus(step)) {
            sim.advance(left.compareTo(step) < 0 ? left : step);
        }
    }

    @Override
    public void close() {
        sim.close();
    }
}
