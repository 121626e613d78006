package io.sampan.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.release.ClusterDriver;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import io.sampan.release.Release;
import io.sampan.release.ReleaseEngine;
import io.sampan.release.ReleasePlan;
import io.sampan.release.ReleaseProgress;
import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Issue 6's engine figures: N releases (default 200) progressing at once, each a batch release
 * ({@code [1, 50%, 100%]}, no pauses) of a 4-instance service in its own namespace, ticked the way
 * the server's runner ticks them (every TICK ms, 16 at a time on virtual threads) against an
 * in-memory cluster whose workloads become ready 0.5–3 s after each write. Printed: the time from a
 * batch becoming ready (the observed change) to the engine's next write (next batch, or the release
 * done), p50/p99, and the engine's CPU in cores. The engine only: no database, no HTTP.
 * Run with {@code bench/releases [RELEASES [TICK_MS]]}.
 */
public final class Releases {
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: app%d}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080, replicas: 4}
              release: {strategy: batch, batches: [1, 50%%, 100%%], pause: none}
            """;

    private Releases() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long tickMillis = args.length > 1 ? Long.parseLong(args[1]) : 250;
        round(count, tickMillis, false); // warm-up: class loading and JIT, figures not printed
        System.exit(round(count, tickMillis, true) ? 0 : 1);
    }

    /** One round of {@code count} releases from start to end; prints the figures when asked; true when all succeeded. */
    static boolean round(int count, long tickMillis, boolean print) throws Exception {
        InMemoryCluster cluster = new InMemoryCluster(new Random(6));
        ReleaseEngine engine = new ReleaseEngine(name -> cluster);
        List<Release> releases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Release before = release(i, "1", null);
            String namespace = "ns" + i;
            before.clusters().get("dc1").objects().forEach(o -> cluster.seed(namespace, o));
            releases.add(release(i, "2", before));
        }
        Map<Integer, ReleaseProgress> progress = new ConcurrentHashMap<>();
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            progress.put(i, ReleaseProgress.start(releases.get(i), start));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        int passes = 0;
        while (progress.values().stream().anyMatch(p -> p.phase() == ReleaseProgress.Phase.RUNNING)) {
            long passStart = System.nanoTime();
            Semaphore slots = new Semaphore(16);
            try (ExecutorService ticks = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int n = i;
                    if (progress.get(n).phase() != ReleaseProgress.Phase.RUNNING) {
                        continue;
                    }
                    slots.acquireUninterruptibly();
                    all.add(ticks.submit(() -> {
                        try {
                            ReleaseProgress next = engine.tick(releases.get(n), progress.get(n), Instant.now());
                            if (next.phase() != ReleaseProgress.Phase.RUNNING) {
                                cluster.finished("ns" + n);
                            }
                            progress.put(n, next);
                        } finally {
                            slots.release();
                        }
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            passes++;
            long left = tickMillis - (System.nanoTime() - passStart) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
        long failed = progress.values().stream().filter(p -> p.phase() != ReleaseProgress.Phase.SUCCEEDED).count();
        List<Long> lags = new ArrayList<>(cluster.lags);
        Collections.sort(lags);
        if (!print) {
            return failed == 0;
        }
        System.out.printf("%d batch releases at once (3 batches each), ticked every %d ms, %d passes, %.1f s; %d did not succeed%n",
                count, tickMillis, passes, wall, failed);
        System.out.printf("next action after an observed change: p50 %d ms, p99 %d ms over %d changes   [target p99 ≤ 500 ms]%n",
                percentile(lags, 0.50), percentile(lags, 0.99), lags.size());
        System.out.printf("engine CPU: %.2f cores (process CPU time / wall time, %d cores available)   [target ≤ 1 core]%n", cores,
                Runtime.getRuntime().availableProcessors());
        return failed == 0;
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static Release release(int i, String version, Release previous) {
        AppDocument doc = AppReader.read(APP.formatted(i, version), "app.yaml");
        AppSpec spec = doc.resolve("prod");
        List<HasMetadata> objects = new AppCompiler().compile(spec, ClusterProfile.defaults("ns" + i)).objects();
        ReleasePlan plan = ReleasePlan.of(doc.releasePolicy("prod"), spec, Map.of("dc1", "a"));
        return new Release("app" + i, "prod", previous == null ? 1 : 2, Map.of("dc1", new Release.ClusterTarget("ns" + i, objects)),
                Map.of("sampan.io/app", "app" + i), Duration.ofMinutes(10)).with(plan, previous == null ? Map.of() : previous.clusters());
    }

    /**
     * Namespaces of Deployments that become ready 0.5–3 s after each write; records, per namespace,
     * the lag from the moment everything written became ready to the next write (or the end).
     */
    static final class InMemoryCluster implements ClusterDriver {
        final Map<String, Map<String, HasMetadata>> namespaces = new ConcurrentHashMap<>();
        final Map<String, Long> readyAt = new ConcurrentHashMap<>();
        final Map<String, Long> namespaceReadyAt = new ConcurrentHashMap<>();
        final List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        private final Random random;

        InMemoryCluster(Random random) {
            this.random = random;
        }

        void seed(String ns, HasMetadata o) {
            namespaces.computeIfAbsent(ns, n -> new ConcurrentHashMap<>()).put(key(o), o);
            readyAt.put(ns + "/" + key(o), 0L);
        }

        static String key(HasMetadata o) {
            return o.getKind() + "/" + o.getMetadata().getName();
        }

        private void changeObserved(String ns) {
            Long ready = namespaceReadyAt.remove(ns);
            long now = System.currentTimeMillis();
            if (ready != null && ready <= now) {
                lags.add(now - ready);
            }
        }

        void finished(String ns) {
            changeObserved(ns);
        }

        @Override
        public void apply(List<HasMetadata> objects) {
            if (objects.isEmpty()) {
                return;
            }
            String ns = objects.get(0).getMetadata().getNamespace();
            boolean workloads = false;
            long now = System.currentTimeMillis();
            long latest = 0;
            Map<String, HasMetadata> live = namespaces.computeIfAbsent(ns, n -> new ConcurrentHashMap<>());
            for (HasMetadata o : objects) {
                HasMetadata before = live.put(key(o), o);
                if (o instanceof Deployment && !o.equals(before)) {
                    workloads = true;
                    long ready;
                    synchronized (random) {
                        ready = now + 500 + random.nextInt(2500);
                    }
                    readyAt.put(ns + "/" + key(o), ready);
                    latest = Math.max(latest, ready);
                }
            }
            if (workloads) {
                changeObserved(ns);
                namespaceReadyAt.put(ns, latest);
            }
        }

        @Override
        public List<ObjectRef> list(String namespace, Map<String, String> labels) {
            return namespaces.getOrDefault(namespace, Map.of()).values().stream().map(ObjectRef::of).toList();
        }

        @Override
        public Optional<HasMetadata> get(ObjectRef ref) {
            return Optional.ofNullable(namespaces.getOrDefault(ref.namespace(), Map.of()).get(ref.kind() + "/" + ref.name()));
        }

        @Override
        public void delete(ObjectRef ref) {
            namespaces.getOrDefault(ref.namespace(), new ConcurrentHashMap<>()).remove(ref.kind() + "/" + ref.name());
        }

        @Override
        public ObservedState observe(String namespace, Map<String, String> labels) {
            long now = System.currentTimeMillis();
            List<Deployment> deployments = new ArrayList<>();
            for (HasMetadata o : namespaces.getOrDefault(namespace, Map.of()).values()) {
                if (o instanceof Deployment d) {
                    int n = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                    int ready = readyAt.getOrDefault(namespace + "/" + key(o), 0L) <= now ? n : 0;
                    deployments.add(new DeploymentBuilder(d).editMetadata().withGeneration(1L).endMetadata().withNewStatus().withObservedGeneration(1L)
                            .withReplicas(n).withUpdatedReplicas(n).withAvailableReplicas(ready).withReadyReplicas(ready).endStatus().build());
                }
            }
            return new ObservedState(deployments, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        }
    }
}
