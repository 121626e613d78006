package io.sampan.server.deploy;

import io.sampan.release.ObservedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What status readers see of a cluster, at most {@value #TTL_MILLIS} ms old: many people (and
 * dashboards) asking for one app's status at once cost the cluster one observation a second, not one
 * each. The release engine does not use it: it always observes afresh.
 */
@Component
public class ObservationCache {
    static final long TTL_MILLIS = 1000;
    static final int MAX_ENTRIES = 5000;
    private final Clock clock;
    private final Map<String, Cached> entries = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    });

    record Cached(Instant at, ObservedState state) {
    }

    public ObservationCache(Clock clock) {
        this.clock = clock;
    }

    public ObservedState get(String cluster, String namespace, Map<String, String> labels, Supplier<ObservedState> observe) {
        String key = cluster + "/" + namespace + "/" + new java.util.TreeMap<>(labels);
        Instant now = clock.instant();
        Cached e = entries.get(key);
        if (e != null && Duration.between(e.at(), now).toMillis() < TTL_MILLIS) {
            return e.state();
        }
        ObservedState fresh = observe.get();
        entries.put(key, new Cached(now, fresh));
        return fresh;
    }
}
