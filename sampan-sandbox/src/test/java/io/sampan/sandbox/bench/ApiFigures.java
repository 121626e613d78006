package io.sampan.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.junit.SandboxClients;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The sandbox API's figures (issue "embedded sandbox cluster, part 1"), printed with their targets:
 * over HTTP on loopback from one fabric8 client with several threads, creates/s (≥ 2,000) and gets/s
 * (≥ 5,000); 100,000 stored pods of about 3 KB in at most 2 GiB of heap (after GC); a list of the
 * 10,000 pods of one namespace over HTTP in at most 300 ms (p50); and 100 concurrent HTTP watchers
 * told of a write within 50 ms (p99, from just before the write's request to the event's arrival).
 * Run with {@code bench/sandbox-api} (which caps the heap at 2 GiB).
 */
public final class ApiFigures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GHOST_NODE = "node-that-does-not-exist";

    private ApiFigures() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int watchers = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String parts = args.length > 3 ? args[3] : "requests,watch,storage";
        System.out.printf("JVM: %s, %d cores, max heap %d MiB; %d client threads%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, threads);
        try (SandboxCluster cluster = start("api")) {
            try (KubernetesClient client = SandboxClients.fabric8(cluster)) {
                namespace(client, "bench");
                if (parts.contains("requests")) {
                    createsAndGets(client, threads);
                }
                if (parts.contains("watch")) {
                    watchers(cluster, client, watchers);
                }
            }
        }
        System.gc();
        if (parts.contains("storage")) {
            try (SandboxCluster cluster = start("storage")) {
                storedPods(cluster, pods);
            }
        }
        System.exit(0);
    }

    /** A cluster of no nodes on the wall clock: nothing is scheduled, nothing heartbeats. */
    static SandboxCluster start(String name) {
        return SandboxCluster.start(name, 0, Simulation.Options.defaults().withNodes(new NodeProfile(List.of())).withClock(SimClock.scaled(1)));
    }

    static void namespace(KubernetesClient client, String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("bench").addToLabels("app", "bench").endMetadata()
                .addToData("config.yaml", "server:\n  port: 8080\n  threads: 16\nlog:\n  level: info\n").addToData("feature", "on").build();
    }

    /** CPU time this JVM (client and server) has used, in nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Calls per second of the last {@link #rate}, per second of CPU this JVM used (independent of what else runs on the machine). */
    static double lastPerCpuSecond;

    /** Runs {@code work(thread, i)} on {@code threads} threads for {@code duration}; the calls made per second. */
    static double rate(int threads, Duration duration, Work work) throws InterruptedException {
        long cpu = cpuNanos();
        AtomicLong calls = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    try {
                        work.call(thread, i++);
                        calls.incrementAndGet();
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() == 1) {
                            e.printStackTrace();
                        }
                    }
                }
                done.countDown();
            });
        }
        done.await();
        if (failures.get() > 0) {
            System.out.printf("  (%d calls failed)%n", failures.get());
        }
        lastPerCpuSecond = calls.get() * 1e9 / (cpuNanos() - cpu);
        return calls.get() * 1e9 / (System.nanoTime() - start);
    }

    /** The machine's load, which the figures depend on when other work shares its cores. */
    static String load() {
        return String.format("load average %.1f on %d cores", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    interface Work {
        void call(int thread, int i);
    }

    static void createsAndGets(KubernetesClient client, int threads) throws InterruptedException {
        int[] made = new int[threads];
        // warm up (the JIT compiles client and server paths for seconds of CPU; on a shared machine longer)
        rate(threads, Duration.ofSeconds(10), (t, i) -> client.configMaps().inNamespace("bench").resource(configMap("warm-" + t + "-" + i)).create());
        rate(threads, Duration.ofSeconds(5), (t, i) -> client.configMaps().inNamespace("bench").withName("warm-" + t + "-" + (i % 100)).get());
        double creates = rate(threads, Duration.ofSeconds(10), (t, i) -> {
            client.configMaps().inNamespace("bench").resource(configMap("cm-" + t + "-" + i)).create();
            made[t] = i + 1;
        });
        System.out.printf("creates/s (ConfigMaps, %d threads, one fabric8 client): %.0f, %.0f per CPU-second of client and server  [target >= 2000] %s  (%s)%n",
                threads, creates, lastPerCpuSecond, verdict(creates >= 2000), load());
        double gets = rate(threads, Duration.ofSeconds(10), (t, i) -> {
            ConfigMap cm = client.configMaps().inNamespace("bench").withName("cm-" + t + "-" + ThreadLocalRandom.current().nextInt(Math.max(1, made[t])))
                    .get();
            if (cm == null) {
                throw new IllegalStateException("missing");
            }
        });
        System.out.printf("gets/s (ConfigMaps, %d threads, one fabric8 client): %.0f, %.0f per CPU-second  [target >= 5000] %s  (%s)%n", threads, gets,
                lastPerCpuSecond, verdict(gets >= 5000), load());
        namespace(client, "podcreates");
        // warm up: the first conversion to fabric8's Pod builds Jackson's deserializers for its whole model (seconds on a loaded machine)
        rate(threads, Duration.ofSeconds(3), (t, i) -> client.pods().inNamespace("podcreates")
                .resource(JSON.convertValue(Pods.pod(JSON, "podcreates", "warm-" + t + "-" + i, GHOST_NODE, i), Pod.class)).create());
        double podCreates = rate(threads, Duration.ofSeconds(5), (t, i) -> client.pods().inNamespace("podcreates")
                .resource(JSON.convertValue(Pods.pod(JSON, "podcreates", "p-" + t + "-" + i, GHOST_NODE, i), Pod.class)).create());
        System.out.printf("creates/s (3 KB Pods, %d threads, one fabric8 client): %.0f, %.0f per CPU-second  (%s)%n", threads, podCreates,
                lastPerCpuSecond, load());
    }

    static String verdict(boolean met) {
        return met ? "OK" : "MISSED";
    }

    static void watchers(SandboxCluster cluster, KubernetesClient client, int count) throws Exception {
        namespace(client, "watched");
        for (int i = 0; i < 10; i++) {
            client.configMaps().inNamespace("watched").resource(new ConfigMapBuilder().withNewMetadata().withName("w" + i).endMetadata()
                    .addToData("k", "v").build()).create();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String rv = client.configMaps().inNamespace("watched").list().getMetadata().getResourceVersion();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(http.sendAsync(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion="
                    + rv)).build(), HttpResponse.BodyHandlers.ofLines()));
        }
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        for (CompletableFuture<HttpResponse<Stream<String>>> f : streams) {
            HttpResponse<Stream<String>> response = f.get(30, TimeUnit.SECONDS); // headers come once the watch is registered
            readers.submit(() -> response.body().forEach(line -> {
                long now = System.nanoTime();
                int at = line.indexOf("\"bench/sent-nanos\":\"");
                if (at >= 0) {
                    int from = at + "\"bench/sent-nanos\":\"".length();
                    latencies.add(now - Long.parseLong(line.substring(from, line.indexOf('"', from))));
                }
            }));
        }
        writeAndAwait(client, latencies, 300, count); // warm-up: the JIT compiles the watch paths
        latencies.clear();
        System.gc();
        int writes = 1000;
        writeAndAwait(client, latencies, writes, count);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = percentile(sorted, 0.50);
        double p99 = percentile(sorted, 0.99);
        System.out.printf("watch delivery to %d HTTP watchers (%d writes, %d of %d events received): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + "  [target p99 <= 50 ms] %s  (%s)%n", count, writes, sorted.length, (long) writes * count, p50, p99,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, verdict(p99 <= 50 && sorted.length == (long) writes * count), load());
        readers.shutdownNow();
        http.shutdownNow(); // the server's watches notice within a second or end when the cluster closes
    }

    /** {@code writes} updates, 5 ms apart, each stamped with the time just before its request; waits for the watchers to see them. */
    static void writeAndAwait(KubernetesClient client, ConcurrentLinkedQueue<Long> latencies, int writes, int watchers) {
        for (int i = 0; i < writes; i++) {
            String name = "w" + (i % 10);
            long sent = System.nanoTime();
            client.configMaps().inNamespace("watched").withName(name).edit(c -> new ConfigMapBuilder(c).editMetadata()
                    .addToAnnotations("bench/sent-nanos", Long.toString(sent)).endMetadata().build());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < (long) writes * watchers && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)] / 1e6;
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Whether the heap is more than 80 % full even after a collection. */
    static boolean nearlyFull() {
        long max = Runtime.getRuntime().maxMemory();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() > max * 0.8 && heapAfterGc() > max * 0.8;
    }

    static void storedPods(SandboxCluster cluster, int count) throws Exception {
        int namespaces = Math.max(1, (count + 9_999) / 10_000);
        for (int n = 0; n < namespaces; n++) {
            ObjectNode ns = JSON.createObjectNode();
            ns.putObject("metadata").put("name", "big-" + n);
            cluster.store().create(Kinds.NAMESPACE, null, ns);
        }
        cluster.simulation().awaitIdle();
        long before = heapAfterGc();
        long t = System.nanoTime();
        long bytes = 0;
        int stored = 0;
        for (int i = 0; i < count; i++) {
            if (i % 2000 == 0 && i > 0 && nearlyFull()) {
                System.out.printf("stopped at %d pods: the heap is nearly full (%d MiB after GC of %d MiB)%n", i, heapAfterGc() >> 20,
                        Runtime.getRuntime().maxMemory() >> 20);
                break;
            }
            String ns = "big-" + (i / 10_000);
            byte[] json = JSON.writeValueAsBytes(Pods.pod(JSON, ns, "pod-" + i, GHOST_NODE, i));
            bytes += json.length;
            cluster.store().create(Kinds.POD, ns, (ObjectNode) JSON.readTree(json)); // parsed, as the API server has it from a request
            stored++;
            if (stored == 10_000 && count > 10_000) {
                // the list figure while the heap has room (near a full heap every figure measures the collector)
                long storing = System.nanoTime() - t;
                listOverHttp(cluster, "big-0", 10_000);
                t = System.nanoTime() - storing; // the store's rate leaves the lists out
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        cluster.simulation().awaitIdle();
        long after = heapAfterGc();
        byte[] storedBytes = JSON.writeValueAsBytes(cluster.store().get(Kinds.POD, "big-0", "pod-0"));
        System.out.printf("%d pods stored through Store in %d ms (%.0f/s); %.0f bytes of JSON each as created, %d as stored%n", stored, ms,
                stored * 1000.0 / ms, (double) bytes / stored, storedBytes.length);
        double perPod = (after - before) / 1024.0 / stored;
        System.out.printf("heap after GC with %d pods: %d MiB (%d MiB before them, %.1f KiB per pod: %d pods would take %.0f MiB)  "
                + "[target: %d pods <= 2048 MiB] %s%n", stored, after >> 20, before >> 20, perPod, count, perPod * count / 1024 + (before >> 20), count,
                verdict(stored == count && after <= (2048L << 20)));
        if (Boolean.getBoolean("histogram")) {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(new javax.management.ObjectName(
                    "com.sun.management:type=DiagnosticCommand"), "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
            histogram.lines().limit(25).forEach(System.out::println);
        }
        if (stored <= 10_000 || count <= 10_000) {
            listOverHttp(cluster, "big-0", Math.min(stored, 10_000));
        }
    }

    static void listOverHttp(SandboxCluster cluster, String ns, int expected) throws Exception {
        long[] serialize = new long[5];
        for (int i = -1; i < serialize.length; i++) { // serialising the items, in process (the server does it once per object version)
            var listing = cluster.store().list(Kinds.POD, ns, x -> true, true);
            long t = System.nanoTime();
            try (var g = JSON.createGenerator(java.io.OutputStream.nullOutputStream())) {
                g.writeStartArray();
                for (ObjectNode item : listing.items()) {
                    JSON.writeTree(g, item);
                }
                g.writeEndArray();
            }
            if (i >= 0) {
                serialize[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(serialize);
        System.out.printf("  in process: serialising the %d pods p50 %.0f ms (the server does it once per object version, then sends the bytes)%n",
                expected, percentile(serialize, 0.5));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest raw = HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/" + ns + "/pods")).build();
        long[] rawTimes = new long[9];
        long size = 0;
        for (int i = -2; i < rawTimes.length; i++) {
            long t = System.nanoTime();
            HttpResponse<java.io.InputStream> r = http.send(raw, HttpResponse.BodyHandlers.ofInputStream());
            long read = 0;
            try (java.io.InputStream in = r.body()) { // read and dropped: what the server and loopback take, not the client's copies
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0;) {
                    read += n;
                }
            }
            long d = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("list answered " + r.statusCode());
            }
            size = read;
            if (i >= 0) {
                rawTimes[i] = d;
            }
        }
        Arrays.sort(rawTimes);
        try (KubernetesClient client = SandboxClients.fabric8(cluster)) {
            long[] times = new long[9];
            int items = 0;
            for (int i = -2; i < times.length; i++) {
                long t = System.nanoTime();
                List<Pod> list = client.pods().inNamespace(ns).list().getItems();
                long d = System.nanoTime() - t;
                items = list.size();
                if (i >= 0) {
                    times[i] = d;
                }
            }
            Arrays.sort(times);
            double p50 = percentile(times, 0.5);
            System.out.printf("list of the %d pods of a namespace over HTTP, fabric8 (typed Pods): p50 %.0f ms (min %.0f, max %.0f)  "
                    + "[target <= 300 ms] %s%n", items, p50, times[0] / 1e6, times[times.length - 1] / 1e6, verdict(p50 <= 300 && items == expected));
            System.out.printf("list of the same over HTTP, JDK client (bytes read and dropped, %d MiB): p50 %.0f ms (min %.0f, max %.0f)%n", size >> 20,
                    percentile(rawTimes, 0.5), rawTimes[0] / 1e6, rawTimes[rawTimes.length - 1] / 1e6);
        }
        http.shutdownNow();
    }

    /** Realistic pods of about 3 KB: a Deployment's pod with an app and a sidecar container, running on a node. */
    static final class Pods {
        private Pods() {
        }

        static ObjectNode pod(ObjectMapper json, String ns, String name, String node, int i) {
            ObjectNode p = json.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
            ObjectNode meta = p.putObject("metadata").put("name", name).put("namespace", ns).put("generateName", "shop-7d9c5b6f4-");
            meta.putObject("labels").put("app", "shop").put("app.kubernetes.io/name", "shop").put("app.kubernetes.io/version", "1.4." + (i % 7))
                    .put("pod-template-hash", "7d9c5b6f4").put("team", "payments");
            meta.putObject("annotations").put("kubectl.kubernetes.io/restartedAt", "2026-11-30T10:1" + (i % 10) + ":00Z")
                    .put("prometheus.io/scrape", "true").put("prometheus.io/port", "9090").put("sampan.io/revision", Integer.toString(i % 13));
            meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", "shop-7d9c5b6f4")
                    .put("uid", UUID.nameUUIDFromBytes(("rs" + (i % 50)).getBytes()).toString()).put("controller", true).put("blockOwnerDeletion", true);
            ObjectNode spec = p.putObject("spec").put("nodeName", node).put("restartPolicy", "Always").put("dnsPolicy", "ClusterFirst")
                    .put("schedulerName", "default-scheduler").put("serviceAccountName", "shop").put("terminationGracePeriodSeconds", 30);
            ArrayNode containers = spec.putArray("containers");
            ObjectNode app = containers.addObject().put("name", "shop").put("image", "registry.example.com/payments/shop:1.4." + (i % 7))
                    .put("imagePullPolicy", "IfNotPresent");
            app.putArray("ports").addObject().put("name", "http").put("containerPort", 8080).put("protocol", "TCP");
            ArrayNode env = app.putArray("env");
            env.addObject().put("name", "SPRING_PROFILES_ACTIVE").put("value", "production");
            env.addObject().put("name", "DATABASE_URL").put("value", "jdbc:postgresql://shop-db.payments.svc:5432/shop");
            env.addObject().put("name", "JAVA_TOOL_OPTIONS").put("value", "-XX:MaxRAMPercentage=75 -XX:+UseG1GC");
            env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.name");
            ObjectNode res = app.putObject("resources");
            res.putObject("requests").put("cpu", "250m").put("memory", "512Mi");
            res.putObject("limits").put("cpu", "1").put("memory", "1Gi");
            app.putObject("readinessProbe").put("periodSeconds", 10).put("initialDelaySeconds", 5).putObject("httpGet").put("path", "/actuator/health/readiness")
                    .put("port", 8080);
            app.putObject("livenessProbe").put("periodSeconds", 10).put("failureThreshold", 3).putObject("httpGet").put("path", "/actuator/health/liveness")
                    .put("port", 8080);
            ArrayNode mounts = app.putArray("volumeMounts");
            mounts.addObject().put("name", "config").put("mountPath", "/etc/shop").put("readOnly", true);
            mounts.addObject().put("name", "kube-api-access-" + Integer.toString(i % 100_000, 36)).put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
                    .put("readOnly", true);
            ObjectNode sidecar = containers.addObject().put("name", "log-shipper").put("image", "registry.example.com/platform/fluent-bit:3.1");
            sidecar.putObject("resources").putObject("requests").put("cpu", "20m").put("memory", "32Mi");
            sidecar.putArray("volumeMounts").addObject().put("name", "varlog").put("mountPath", "/var/log");
            ArrayNode volumes = spec.putArray("volumes");
            volumes.addObject().put("name", "config").putObject("configMap").put("name", "shop-config");
            volumes.addObject().put("name", "varlog").putObject("emptyDir");
            ArrayNode tolerations = spec.putArray("tolerations");
            tolerations.addObject().put("key", "node.kubernetes.io/not-ready").put("operator", "Exists").put("effect", "NoExecute").put("tolerationSeconds", 300);
            tolerations.addObject().put("key", "node.kubernetes.io/unreachable").put("operator", "Exists").put("effect", "NoExecute")
                    .put("tolerationSeconds", 300);
            ObjectNode status = p.putObject("status").put("phase", "Running").put("hostIP", "192.168." + (i % 250) + ".1")
                    .put("podIP", "10.244." + (i >> 8 & 255) + "." + (i & 255)).put("startTime", "2026-11-30T10:00:00Z").put("qosClass", "Burstable");
            ArrayNode conditions = status.putArray("conditions");
            for (String c : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
                conditions.addObject().put("type", c).put("status", "True").put("lastTransitionTime", "2026-11-30T10:00:0" + (i % 10) + "Z");
            }
            ArrayNode statuses = status.putArray("containerStatuses");
            for (String c : List.of("shop", "log-shipper")) {
                ObjectNode s = statuses.addObject().put("name", c).put("ready", true).put("started", true).put("restartCount", 0)
                        .put("image", c.equals("shop") ? "registry.example.com/payments/shop:1.4." + (i % 7) : "registry.example.com/platform/fluent-bit:3.1")
                        .put("imageID", "registry.example.com/x@sha256:" + Long.toHexString(c.hashCode() * 31L + i) + "0f3a9c1e7b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d")
                        .put("containerID", "containerd://" + UUID.nameUUIDFromBytes((name + c).getBytes()).toString().replace("-", ""));
                s.putObject("state").putObject("running").put("startedAt", "2026-11-30T10:00:0" + (i % 10) + "Z");
            }
            return p;
        }
    }
}
