package io.sampan.server.deploy;

import io.sampan.release.ObservedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
    /** While one reader refreshes a snapshot, others are answered from the previous one if it is at most this old. */
    static final long MAX_STALE_MILLIS = 5000;
    static final int MAX_ENTRIES = 5000;
    private final Clock clock;
    private final Map<String, Snapshot> entries = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
            return size() > MAX_ENTRIES;
        }
    });
    private final ConcurrentMap<String, CompletableFuture<Snapshot>> refreshing = new ConcurrentHashMap<>();

    /** One observation of a namespace, and the apps' parts of it as they were asked for. */
    static final class Snapshot {
        final Instant at;
        final ObservedState state;
        private final ConcurrentMap<Map<String, String>, ObservedState> apps = new ConcurrentHashMap<>();

        Snapshot(Instant at, ObservedState state) {
            this.at = at;
            this.state = state;
        }

        ObservedState forApp(Map<String, String> ownerLabels) {
            return apps.computeIfAbsent(Map.copyOf(ownerLabels), labels -> ObservationCache.forApp(state, labels));
        }
    }

    public ObservationCache(Clock clock) {
        this.clock = clock;
    }

    /**
     * What the cluster shows of one app: taken from a snapshot of everything Sampan manages in the
     * namespace ({@code observeNamespace}), refreshed at most once a second by one reader at a time,
     * so a thousand apps in one namespace and fifty readers cost one observation a second, not
     * thousands; readers arriving during a refresh get the previous snapshot.
     */
    public ObservedState get(String cluster, String namespace, Map<String, String> ownerLabels, Supplier<ObservedState> observeNamespace) {
        String key = cluster + "/" + namespace;
        Snapshot e = entries.get(key);
        long age = e == null ? Long.MAX_VALUE : Duration.between(e.at, clock.instant()).toMillis();
        if (age < TTL_MILLIS) {
            return e.forApp(ownerLabels);
        }
        CompletableFuture<Snapshot> mine = new CompletableFuture<>();
        CompletableFuture<Snapshot> running = refreshing.putIfAbsent(key, mine);
        if (running != null) {
            return age < MAX_STALE_MILLIS ? e.forApp(ownerLabels) : await(running).forApp(ownerLabels);
        }
        try {
            Snapshot fresh = new Snapshot(clock.instant(), observeNamespace.get());
            entries.put(key, fresh);
            mine.complete(fresh);
            return fresh.forApp(ownerLabels);
        } catch (RuntimeException | Error failed) {
            mine.completeExceptionally(failed);
            throw failed;
        } finally {
            refreshing.remove(key, mine);
        }
    }

    private static Snapshot await(CompletableFuture<Snapshot> refresh) {
        try {
            return refresh.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The part of a namespace snapshot that belongs to the app with these owner labels. */
    static ObservedState forApp(ObservedState all, Map<String, String> ownerLabels) {
        String app = ownerLabels.get("sampan.io/app");
        java.util.function.Predicate<io.fabric8.kubernetes.api.model.HasMetadata> owned = o -> o.getMetadata().getLabels() != null
                && o.getMetadata().getLabels().entrySet().containsAll(ownerLabels.entrySet());
        java.util.function.Predicate<io.fabric8.kubernetes.api.model.HasMetadata> ofApp = o -> o.getMetadata().getLabels() != null
                && app != null && app.equals(o.getMetadata().getLabels().get("sampan.io/app"));
        var deployments = all.deployments().stream().filter(owned).toList();
        var sets = all.statefulSets().stream().filter(owned).toList();
        var jobs = all.jobs().stream().filter(owned).toList();
        var replicaSets = all.replicaSets().stream().filter(ofApp).toList();
        var pods = all.pods().stream().filter(ofApp).toList();
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.stream.Stream.of(deployments, sets, jobs, replicaSets, pods).flatMap(java.util.List::stream)
                .forEach(o -> names.add(o.getMetadata().getName()));
        var events = all.events().stream().filter(ev -> ev.getInvolvedObject() != null && names.contains(ev.getInvolvedObject().getName()))
                .toList();
        Map<String, java.util.List<String>> logs = new java.util.HashMap<>();
        all.crashLogs().forEach((podAndContainer, lines) -> {
            if (names.contains(podAndContainer.substring(0, Math.max(0, podAndContainer.indexOf('/'))))) {
                logs.put(podAndContainer, lines);
            }
        });
        return new ObservedState(deployments, sets, replicaSets, jobs, pods, events, logs, all.nodeZones());
    }
}
