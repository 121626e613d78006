package io.sampan.server.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sampan.release.ObservedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * What Sampan manages on one cluster, kept in memory by watches, so that observing one app is a
 * lookup rather than a round of list calls. Per namespace, started on its first read and stopped
 * after {@link #IDLE} without one: informers (list, then watch from the list's resourceVersion; a
 * 410 Gone lists again) of Sampan's Deployments, StatefulSets and Jobs, of the ReplicaSets and Pods
 * carrying an app label, and of Warning events; per cluster, the nodes' zones. Objects are kept
 * trimmed ({@link TrimmedStore}) and indexed by app, events by the object they are about.
 *
 * <p>The mirror declines to answer ({@link Optional#empty()}, and the driver reads the cluster
 * instead) while a namespace's informers are not watching (starting, reconnecting after the cluster
 * went away, listing again after 410), and while it has not yet seen a workload this server wrote:
 * {@link #wrote} records each written workload's uid and generation, and an app's view waits until
 * its workloads show at least those (or {@link #WRITE_PATIENCE} has passed, e.g. someone deleted
 * the object). So a release never judges its rollout from a view older than its own write.
 */
final class ClusterMirror implements AutoCloseable {
    static final String APP_LABEL = Fabric8ClusterDriver.APP_LABEL;
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String BY_APP = "app";
    static final String BY_SUBJECT = "involvedObject";
    /** How long a first read waits for a namespace's informers to list. */
    static final Duration START_WAIT = Duration.ofSeconds(10);
    /** After informers failed to start (cluster down, forbidden), reads go to the cluster this long before the mirror tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration IDLE = Duration.ofMinutes(10);
    static final Duration WRITE_PATIENCE = Duration.ofSeconds(30);
    static final Duration NODES_RETRY = Duration.ofMinutes(5);
    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Job");

    private final KubernetesClient client;
    private final Clock clock;
    private final ConcurrentMap<String, NamespaceWatch> namespaces = new ConcurrentHashMap<>();
    /** Workloads written and not yet seen: by namespace, then app, then kind/name. */
    private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, Written>>> unseen = new ConcurrentHashMap<>();
    private final Zones zones = new Zones();
    private volatile Instant nextSweep;

    private record Written(String uid, long generation, Instant at) {
    }

    ClusterMirror(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.nextSweep = clock.instant().plus(IDLE);
    }

    /**
     * The app's workloads (all carrying {@code labels}), its ReplicaSets and Pods (by its
     * {@code sampan.io/app} label; every one Sampan manages when {@code labels} name no app), the
     * warning events about any of them, and the zones of their nodes; without crash logs. Empty
     * when the mirror cannot vouch for being current (see the class comment).
     */
    Optional<ObservedState> observe(String namespace, Map<String, String> labels) {
        sweepIfDue();
        NamespaceWatch w = watching(namespace);
        String app = labels.get(APP_LABEL);
        if (w == null || !sawOwnWrites(w, namespace, app)) {
            return Optional.empty();
        }
        List<Deployment> deployments = w.owned(w.deployments, app, labels);
        List<StatefulSet> sets = w.owned(w.statefulSets, app, labels);
        List<Job> jobs = w.owned(w.jobs, app, labels);
        List<ReplicaSet> replicaSets = w.ofApp(w.replicaSets, app);
        List<Pod> pods = w.ofApp(w.pods, app);
        Set<String> names = new HashSet<>();
        Stream.of(deployments, sets, jobs, replicaSets, pods).flatMap(List::stream).forEach(o -> names.add(o.getMetadata().getName()));
        List<Event> events = names.stream().flatMap(n -> w.events.getIndexer().byIndex(BY_SUBJECT, n).stream())
                .sorted(Comparator.comparing(ClusterMirror::when)).toList();
        return Optional.of(new ObservedState(deployments, sets, replicaSets, jobs, pods, events, Map.of(), zones.of(pods)));
    }

    /**
     * What {@link #observe} would answer for the app now, as a value that changes whenever that
     * answer could: the namespace's watches (a new set after a restart), how often the app's objects
     * and the warning events about them (and those about objects the mirror does not hold) and the
     * nodes' zones have changed. Empty when {@code observe}
     * would decline, or for no app. A change is counted after the mirror holds it, so an answer
     * observed after reading a version is never older than that version.
     */
    Optional<Object> version(String namespace, String app) {
        sweepIfDue();
        NamespaceWatch w = app == null ? null : watching(namespace);
        if (w == null || !sawOwnWrites(w, namespace, app)) {
            return Optional.empty();
        }
        AtomicLong appChanges = w.appChanges.get(app);
        return Optional.of(new Version(w, appChanges == null ? 0 : appChanges.get(), w.sharedChanges.get(), zones.changes.get()));
    }

    /** See {@link #version}; the watches compared by identity. */
    private record Version(NamespaceWatch watch, long app, long shared, long zones) {
    }

    /** Records a workload this server wrote (as the API answered the write), for read-your-writes. */
    void wrote(HasMetadata written) {
        if (written == null || !WORKLOADS.contains(written.getKind()) || written.getMetadata().getUid() == null) {
            return;
        }
        var m = written.getMetadata();
        String app = label(written, APP_LABEL);
        Written w = new Written(m.getUid(), m.getGeneration() == null ? 0 : m.getGeneration(), clock.instant());
        // within compute, so that a reader dropping the app's emptied map cannot drop this write with it
        unseen.computeIfAbsent(m.getNamespace(), k -> new ConcurrentHashMap<>()).compute(app == null ? "" : app, (k, writes) -> {
            ConcurrentMap<String, Written> all = writes == null ? new ConcurrentHashMap<>() : writes;
            all.put(written.getKind() + "/" + m.getName(), w);
            return all;
        });
    }

    /** Namespaces watched now (for tests and the benchmark's account of memory). */
    Set<String> watchedNamespaces() {
        return Set.copyOf(namespaces.keySet());
    }

    @Override
    public void close() {
        namespaces.values().forEach(NamespaceWatch::stop);
        namespaces.clear();
        zones.stop();
    }

    private boolean sawOwnWrites(NamespaceWatch w, String namespace, String app) {
        var apps = unseen.get(namespace);
        if (apps == null) {
            return true;
        }
        Instant now = clock.instant();
        for (var written : app == null ? apps.values() : Stream.ofNullable(apps.get(app)).toList()) {
            for (var entry : written.entrySet()) {
                HasMetadata seen = w.workload(entry.getKey());
                Written expected = entry.getValue();
                boolean caughtUp = seen != null && expected.uid().equals(seen.getMetadata().getUid())
                        && (seen.getMetadata().getGeneration() == null ? 0 : seen.getMetadata().getGeneration()) >= expected.generation();
                if (!caughtUp && now.isBefore(expected.at().plus(WRITE_PATIENCE))) {
                    return false;
                }
                written.remove(entry.getKey(), expected);
            }
        }
        for (String a : app == null ? List.copyOf(apps.keySet()) : List.of(app)) {
            apps.computeIfPresent(a, (k, writes) -> writes.isEmpty() ? null : writes);
        }
        return true;
    }

    /** The namespace's informers if they are watching; starts them on first use, waiting up to {@link #START_WAIT}. */
    private NamespaceWatch watching(String namespace) {
        Instant now = clock.instant();
        NamespaceWatch w = namespaces.get(namespace);
        if (w == null || w.failed()) {
            w = namespaces.compute(namespace, (n, old) -> {
                if (old != null && old.failed() && now.isAfter(old.startedAt.plus(RETRY_AFTER))) {
                    old.stop();
                    old = null;
                }
                return old != null ? old : new NamespaceWatch(n, now);
            });
        }
        w.lastRead = now;
        return w.ready() ? w : null;
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(IDLE);
        namespaces.forEach((namespace, w) -> {
            if (now.isAfter(w.lastRead.plus(IDLE)) && namespaces.remove(namespace, w)) {
                w.stop();
            }
        });
        if (namespaces.isEmpty()) {
            zones.stop();
        }
    }

    private static String label(HasMetadata o, String name) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(name);
    }

    /** When an event last happened: its last timestamp, its event time, or when it was created. */
    private static Instant when(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null && e.getEventTime().getTime() != null ? e.getEventTime().getTime()
                : e.getMetadata().getCreationTimestamp();
        try {
            return t == null ? Instant.EPOCH : OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException unparsable) {
            return Instant.EPOCH;
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(Informable<T> source, UnaryOperator<T> trim,
            Map<String, Function<T, List<String>>> indexers, BiConsumer<T, T> changed) {
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        informer.removeNamespaceIndex();
        informer.itemStore(new TrimmedStore<>(trim, changed));
        informer.addIndexers(indexers);
        // before the first list succeeds, fail the start (reads go to the cluster, and the mirror retries later); after it, keep retrying
        informer.exceptionHandler((started, error) -> started);
        return informer;
    }

    private static <T extends HasMetadata> Map<String, Function<T, List<String>>> byApp() {
        return Map.of(BY_APP, o -> {
            String app = label(o, APP_LABEL);
            return app == null ? List.of() : List.of(app);
        });
    }

    /** The informers of one namespace. */
    private final class NamespaceWatch {
        final String namespace;
        final Instant startedAt;
        volatile Instant lastRead;
        final SharedIndexInformer<Deployment> deployments;
        final SharedIndexInformer<StatefulSet> statefulSets;
        final SharedIndexInformer<Job> jobs;
        final SharedIndexInformer<ReplicaSet> replicaSets;
        final SharedIndexInformer<Pod> pods;
        final SharedIndexInformer<Event> events;
        final CompletableFuture<Void> started;
        /** Changes to each app's objects, by app; changes to anything else watched here (warning events, objects of no app). */
        final ConcurrentMap<String, AtomicLong> appChanges = new ConcurrentHashMap<>();
        final AtomicLong sharedChanges = new AtomicLong();

        NamespaceWatch(String namespace, Instant now) {
            this.namespace = namespace;
            this.startedAt = now;
            this.lastRead = now;
            deployments = inform(client.apps().deployments().inNamespace(namespace).withLabel(MANAGED_BY, "sampan"),
                    TrimmedStore::deployment, byApp(), this::changed);
            statefulSets = inform(client.apps().statefulSets().inNamespace(namespace).withLabel(MANAGED_BY, "sampan"),
                    TrimmedStore::statefulSet, byApp(), this::changed);
            jobs = inform(client.batch().v1().jobs().inNamespace(namespace).withLabel(MANAGED_BY, "sampan"), TrimmedStore::job, byApp(), this::changed);
            replicaSets = inform(client.apps().replicaSets().inNamespace(namespace).withLabel(APP_LABEL), TrimmedStore::replicaSet, byApp(), this::changed);
            pods = inform(client.pods().inNamespace(namespace).withLabel(APP_LABEL), TrimmedStore::pod, byApp(), this::changed);
            // warnings only: they carry what a diagnosis reads, and a namespace of a thousand apps holds tens of thousands of normal events
            events = inform(client.v1().events().inNamespace(namespace).withField("type", "Warning"), TrimmedStore::event,
                    Map.of(BY_SUBJECT, e -> e.getInvolvedObject() == null || e.getInvolvedObject().getName() == null ? List.of()
                            : List.of(e.getInvolvedObject().getName())), this::eventChanged);
            started = CompletableFuture.allOf(Stream.of(deployments, statefulSets, jobs, replicaSets, pods, events)
                    .map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new));
            zones.start();
        }

        /**
         * Counts a warning event under the app whose object (by name, as {@link #observe} finds an app's
         * events) the mirror holds; an event about an object it does not hold (not yet, or no app's)
         * under the shared count, which every app's version includes.
         */
        private void eventChanged(Event before, Event after) {
            Event e = after != null ? after : before;
            String subject = e.getInvolvedObject() == null ? null : e.getInvolvedObject().getName();
            Set<String> apps = new HashSet<>();
            if (subject != null) {
                String key = namespace + "/" + subject;
                Stream.of(deployments, statefulSets, jobs, replicaSets, pods).map(i -> (HasMetadata) i.getStore().getByKey(key))
                        .filter(java.util.Objects::nonNull).map(o -> label(o, APP_LABEL)).filter(java.util.Objects::nonNull).forEach(apps::add);
            }
            if (apps.isEmpty()) {
                sharedChanges.incrementAndGet();
            } else {
                apps.forEach(app -> appChanges.computeIfAbsent(app, a -> new AtomicLong()).incrementAndGet());
            }
        }

        /** Counts a change of an object of an app under that app, of any other under the shared count. */
        private <T extends HasMetadata> void changed(T before, T after) {
            String app = label(after != null ? after : before, APP_LABEL);
            (app == null ? sharedChanges : appChanges.computeIfAbsent(app, a -> new AtomicLong())).incrementAndGet();
        }

        private Stream<SharedIndexInformer<?>> all() {
            return Stream.of(deployments, statefulSets, jobs, replicaSets, pods, events);
        }

        boolean failed() {
            return started.isDone() && (started.isCompletedExceptionally() || all().anyMatch(i -> !i.isRunning()));
        }

        /** Listed and watching now; waits for the first list up to {@link #START_WAIT}. */
        boolean ready() {
            try {
                started.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception notYet) {
                return false;
            }
            return all().allMatch(SharedIndexInformer::isWatching);
        }

        HasMetadata workload(String kindAndName) {
            String kind = kindAndName.substring(0, kindAndName.indexOf('/'));
            String key = namespace + "/" + kindAndName.substring(kind.length() + 1);
            return switch (kind) {
                case "Deployment" -> deployments.getStore().getByKey(key);
                case "StatefulSet" -> statefulSets.getStore().getByKey(key);
                default -> jobs.getStore().getByKey(key);
            };
        }

        /** The app's objects that carry every one of {@code labels}, by name. */
        <T extends HasMetadata> List<T> owned(SharedIndexInformer<T> informer, String app, Map<String, String> labels) {
            return ofApp(informer, app).stream().filter(o -> o.getMetadata().getLabels() != null
                    && o.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())).toList();
        }

        /** The app's objects (every one when {@code app} is null), by name. */
        <T extends HasMetadata> List<T> ofApp(SharedIndexInformer<T> informer, String app) {
            List<T> found = new ArrayList<>(app == null ? informer.getStore().list() : informer.getIndexer().byIndex(BY_APP, app));
            found.sort(Comparator.comparing(o -> o.getMetadata().getName()));
            return found;
        }

        void stop() {
            all().forEach(SharedIndexInformer::stop);
        }
    }

    /** The zone of every node, from a watch of the nodes; none when the credentials may not read nodes. */
    private final class Zones {
        /** Changes of a node's zone (a node added or removed, or its zone label changed). */
        final AtomicLong changes = new AtomicLong();
        private SharedIndexInformer<Node> nodes;
        private CompletableFuture<Void> started;
        private Instant retryAt;

        /** Starts watching nodes, unless it is running or failed less than {@link #NODES_RETRY} ago (e.g. forbidden). */
        synchronized void start() {
            Instant now = clock.instant();
            if (nodes != null && !(started.isCompletedExceptionally() && now.isAfter(retryAt))) {
                return;
            }
            stop();
            retryAt = now.plus(NODES_RETRY);
            nodes = inform(client.nodes(), TrimmedStore::node, Map.of(), (before, after) -> {
                if (before == null || after == null || !java.util.Objects.equals(label(before, Fabric8ClusterDriver.ZONE_LABEL),
                        label(after, Fabric8ClusterDriver.ZONE_LABEL))) {
                    changes.incrementAndGet();
                }
            });
            started = nodes.start().toCompletableFuture();
        }

        Map<String, String> of(List<Pod> pods) {
            SharedIndexInformer<Node> informer;
            CompletableFuture<Void> ready;
            synchronized (this) {
                informer = nodes;
                ready = started;
            }
            if (informer == null) {
                return Map.of();
            }
            if (ready.isCompletedExceptionally()) {
                start();
                return Map.of();
            }
            try {
                ready.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            } catch (Exception unavailable) {
                return Map.of();
            }
            Map<String, String> zones = new HashMap<>();
            for (Pod p : pods) {
                String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
                Node n = node == null ? null : informer.getStore().getByKey(node);
                String zone = n == null ? null : label(n, Fabric8ClusterDriver.ZONE_LABEL);
                if (zone != null) {
                    zones.put(node, zone);
                }
            }
            return zones;
        }

        synchronized void stop() {
            if (nodes != null) {
                nodes.stop();
                nodes = null;
                changes.incrementAndGet(); // no zones now
            }
        }
    }
}
