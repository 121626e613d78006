package io.sampan.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round robin over a Service's ready endpoints ({@code subsets[].addresses} of its {@code Endpoints},
 * not the {@code notReadyAddresses}), one turn counter per Service. The address list is read again
 * only when the Endpoints object changes.
 */
public final class EndpointPicker {
    private record Ready(JsonNode endpoints, List<JsonNode> addresses) {
    }

    private final Map<String, Ready> ready = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    /** The next ready address of the Service ({@code ip}, {@code nodeName}, {@code targetRef}), or empty when it has none. */
    public Optional<JsonNode> pick(String serviceKey, JsonNode endpoints) {
        if (endpoints == null) {
            return Optional.empty();
        }
        Ready r = ready.get(serviceKey);
        if (r == null || r.endpoints() != endpoints) {
            r = new Ready(endpoints, readyAddresses(endpoints));
            ready.put(serviceKey, r);
        }
        List<JsonNode> addresses = r.addresses();
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        long turn = turns.computeIfAbsent(serviceKey, k -> new AtomicLong()).getAndIncrement();
        return Optional.of(addresses.get((int) Math.floorMod(turn, (long) addresses.size())));
    }

    static List<JsonNode> readyAddresses(JsonNode endpoints) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode a : subset.path("addresses")) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }
}
