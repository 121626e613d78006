package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The least an operator does that a platform waits on: for the custom resource kinds a test names
 * (their CRD installed by the test), it marks each object it sees ready — a {@code Ready=True}
 * condition and {@code status.phase: Ready}, with {@code observedGeneration} — at once or after a
 * delay, or failed ({@code Ready=False}, {@code phase: Failed} with a message) when told to fail.
 * No real reconciling happens: it stands in for spotahome's, Strimzi's or a MySQL operator's
 * controller so the operator path of addons is testable end to end.
 */
public final class SimulatedOperators implements Controller {
    /** What the simulated operator of one kind does: become ready after {@code delay}, or fail with {@code failure}. */
    public record Behaviour(Duration delay, String failure) {
    }

    private final Api api;
    private final ControllerManager manager;
    private final Map<String, Behaviour> kinds = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> types = new ConcurrentHashMap<>();
    private final Runnable stop;

    SimulatedOperators(Api api, ControllerManager manager, Store store) {
        this.api = api;
        this.manager = manager;
        synchronized (store) {
            this.stop = store.watch(store.revision(), this::seen);
        }
    }

    /** Objects of {@code kind} in API group {@code group} become ready {@code delay} after they are created or changed. */
    public void operate(String group, String kind, Duration delay) {
        kinds.put(group + "/" + kind, new Behaviour(delay, null));
    }

    /** Objects of {@code kind} in API group {@code group} fail with {@code message}, as an operator reports a failed deployment. */
    public void fail(String group, String kind, String message) {
        kinds.put(group + "/" + kind, new Behaviour(Duration.ZERO, message));
    }

    @Override
    public String name() {
        return "simulated-operators";
    }

    private void seen(Store.Change change) {
        ResourceType t = change.resource();
        Behaviour b = kinds.get(t.group() + "/" + t.kind());
        if (b == null || change.type().equals("DELETED") || settled(change.object(), b)) {
            return;
        }
        String key = t.group() + "/" + t.version() + "/" + t.plural() + "|" + Meta.key(change.object());
        types.put(key, t);
        manager.enqueueAfter(this, key, b.delay());
    }

    /** Whether the object already shows what the behaviour gives it, for its current generation. */
    private static boolean settled(ObjectNode o, Behaviour b) {
        long generation = o.path("metadata").path("generation").asLong(0);
        return o.path("status").path("observedGeneration").asLong(-1) == generation
                && o.path("status").path("phase").asText("").equals(b.failure() == null ? "Ready" : "Failed");
    }

    @Override
    public void reconcile(String key) {
        ResourceType t = types.get(key);
        Behaviour b = t == null ? null : kinds.get(t.group() + "/" + t.kind());
        if (b == null) {
            return;
        }
        String objectKey = key.substring(key.indexOf('|') + 1);
        ObjectNode live = api.get(t, t.namespaced() ? Meta.namespaceOfKey(objectKey) : null, Meta.nameOfKey(objectKey)).orElse(null);
        if (live == null || settled(live, b)) {
            return;
        }
        ObjectNode o = live.deepCopy();
        ObjectNode status = o.with("status");
        boolean ready = b.failure() == null;
        status.put("phase", ready ? "Ready" : "Failed");
        status.put("observedGeneration", o.path("metadata").path("generation").asLong(0));
        ArrayNode conditions = status.putArray("conditions");
        ObjectNode c = conditions.addObject();
        c.put("type", "Ready");
        c.put("status", ready ? "True" : "False");
        c.put("reason", ready ? "Ready" : "Failed");
        c.put("message", ready ? t.kind() + " is ready" : b.failure());
        c.put("lastTransitionTime", manager.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (!ready) {
            status.put("message", b.failure());
        }
        if (t.hasStatus()) {
            api.updateStatus(t, o);
        } else {
            api.update(t, o);
        }
    }

    void stop() {
        stop.run();
    }
}
