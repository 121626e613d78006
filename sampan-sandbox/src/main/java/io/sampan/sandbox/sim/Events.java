package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records core/v1 Events the way Kubernetes components do: about an involved object, Normal or
 * Warning, with a reason and message; a repeat of the same event bumps its {@code count} and
 * {@code lastTimestamp} instead of adding one. Events live one hour, as with the API server's
 * default TTL, so a long simulation does not fill the store.
 */
public final class Events implements Controller {
    static final Duration TTL = Duration.ofHours(1);
    private static final String SWEEP = "sweep";
    private final Api api;
    private final ControllerManager manager;
    private final Map<String, String> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 4096;
        }
    };
    private final Deque<Object[]> created = new ArrayDeque<>();

    public Events(Api api, ControllerManager manager) {
        this.api = api;
        this.manager = manager;
        manager.enqueueAfter(this, SWEEP, Duration.ofMinutes(5));
    }

    @Override
    public String name() {
        return "events";
    }

    public void normal(JsonNode involved, String component, String reason, String message) {
        record(involved, "Normal", component, reason, message);
    }

    public void warning(JsonNode involved, String component, String reason, String message) {
        record(involved, "Warning", component, reason, message);
    }

    public synchronized void record(JsonNode involved, String type, String component, String reason, String message) {
        String ns = Meta.namespace(involved) == null ? "default" : Meta.namespace(involved);
        Instant now = manager.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        String dedup = Meta.uid(involved) + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
        String existing = recent.get(dedup);
        if (existing != null) {
            ObjectNode e = api.get(Kinds.EVENT, ns, existing).orElse(null);
            if (e != null) {
                e.put("count", e.path("count").asInt(1) + 1).put("lastTimestamp", now.toString());
                e.with("metadata").remove("resourceVersion");
                api.update(Kinds.EVENT, e);
                return;
            }
        }
        ObjectNode e = Meta.JSON.createObjectNode();
        String name = Meta.name(involved) + "." + Long.toHexString(System.nanoTime());
        e.putObject("metadata").put("name", name).put("namespace", ns);
        e.putObject("involvedObject").put("apiVersion", involved.path("apiVersion").asText()).put("kind", involved.path("kind").asText())
                .put("namespace", Meta.namespace(involved)).put("name", Meta.name(involved)).put("uid", Meta.uid(involved))
                .put("resourceVersion", involved.path("metadata").path("resourceVersion").asText());
        e.put("reason", reason).put("message", message).put("type", type).put("count", 1)
                .put("firstTimestamp", now.toString()).put("lastTimestamp", now.toString())
                .put("reportingComponent", component).put("reportingInstance", component);
        e.putObject("source").put("component", component);
        api.create(Kinds.EVENT, e);
        recent.put(dedup, name);
        created.addLast(new Object[] {now, ns, name});
    }

    /** Removes events older than the TTL. */
    @Override
    public void reconcile(String key) {
        Instant cutoff = manager.clock().instant().minus(TTL);
        while (true) {
            Object[] oldest;
            synchronized (this) {
                oldest = created.peekFirst();
                if (oldest == null || ((Instant) oldest[0]).isAfter(cutoff)) {
                    break;
                }
                created.removeFirst();
            }
            api.delete(Kinds.EVENT, (String) oldest[1], (String) oldest[2]);
        }
        manager.enqueueAfter(this, SWEEP, Duration.ofMinutes(5));
    }
}
