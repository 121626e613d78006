package io.sampan.server.api;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The status of each app in each environment as last written (JSON), with what it was made from:
 * a status read whose release (id, version, approval) and whose clusters' mirrored objects are
 * what they were, before any shown pod age reads differently, is answered with the same bytes
 * instead of being built and written again. Status is the read that dashboards, CLIs waiting on a
 * deploy and scripts poll; most polls find nothing changed. Keys come from
 * {@code ObservationCache.version}, which is empty when a cluster is read directly: then nothing
 * is kept.
 */
@Component
class StatusViews {
    /** At most this many kept (a few KB each); beyond it, some are dropped. */
    static final int LIMIT = 20_000;
    private final ConcurrentHashMap<String, View> views = new ConcurrentHashMap<>();
    private final JsonMapper json;

    /** A status as made: from what, until when it holds, and its JSON. */
    private record View(Object from, Instant until, byte[] json) {
    }

    /** A status just built, and when the first of its pod ages changes. */
    record Built(Map<String, Object> status, Instant until) {
    }

    StatusViews(JsonMapper json) {
        this.json = json;
    }

    /**
     * The JSON of the status of {@code place} (an app in an environment): kept bytes when they were
     * made from {@code from} and {@code now} is before their pod ages change, else {@code build}'s,
     * written and kept. {@code from} null: built, and not kept.
     */
    byte[] get(String place, Object from, Instant now, Supplier<Built> build) {
        View kept = from == null ? null : views.get(place);
        if (kept != null && kept.from().equals(from) && now.isBefore(kept.until())) {
            return kept.json();
        }
        Built built = build.get();
        byte[] bytes = json.writeValueAsBytes(built.status());
        if (from != null) {
            if (views.size() >= LIMIT) {
                Iterator<String> some = views.keySet().iterator();
                for (int i = 0; i < LIMIT / 10 && some.hasNext(); i++) {
                    some.next();
                    some.remove();
                }
            }
            views.put(place, new View(from, built.until(), bytes));
        }
        return bytes;
    }

    /** How many are kept (for tests). */
    int size() {
        return views.size();
    }
}
