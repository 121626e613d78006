package io.sampan.bench;

import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.Simulation;
import io.sampan.server.Up;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 5's control-plane figures, in one process: {@code sampan up} time; N apps (default 1,000)
 * registered and deployed through the HTTP API to the sandbox and all succeeded; then GET of one
 * app's status by 50 concurrent clients (p50/p99); and the heap in use afterwards: all of it, then
 * the sandbox's alone (after the server is stopped), the server's being the difference.
 * Run with {@code bench/control-plane [APPS]}. {@code -Dbench.skipMall} skips the mall;
 * {@code -Dbench.sandboxStart} first starts (and closes) a bare sandbox of the same nodes, timing it
 * cold, so {@code sampan up} after it runs in a warmer JVM; {@code -Dbench.upOnly} stops after
 * {@code sampan up}; {@code -Dbench.histogram} prints the heap's largest classes with the server and
 * without it; {@code -Dbench.sandboxProcess} runs the sandbox in a JVM of its own.
 *
 * <p>The status phase runs {@code -Dbench.statusRounds} (10) rounds of 5,000 GETs: 50 closed-loop
 * clients, each on its own kept-alive connection, all driven by one thread ({@link EventLoopClients},
 * as wrk drives its connections; {@code -Dbench.client=threads} gives each client a thread,
 * {@code -Dbench.client=jdk} has 50 threads share the JDK's HttpClient). It prints each round and
 * the p50/p99 over the rounds after the first, which runs while the path is still being compiled.
 * {@code -Dbench.latencyLog=FILE} appends each request's start, latency and client, to find stalls.
 */
public final class ControlPlane {
    private ControlPlane() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the server's threads would keep a failed benchmark alive
        }
    }

    private static void run(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path data = Files.createTempDirectory("sampan-bench-");
        System.setProperty("sampan.api.rate", "1000000"); // one client stands for many users here
        System.setProperty("sampan.api.burst", "1000000");
        // storefront asks 1.5 CPU (0.75 with dev's overcommit of 2) in 4 pods: a 4-CPU node holds 5 apps;
        // the mall's services select machine=compute nodes, so the nodes carry that label
        int nodes = Math.max(12, apps / 4 + 12);
        Simulation.Options sandbox = sandbox(nodes);
        double sandboxSeconds = Double.NaN;
        if (flag("bench.sandboxStart")) {
            long ts = System.nanoTime();
            SandboxCluster.start("alone", 0, sandbox).close();
            sandboxSeconds = (System.nanoTime() - ts) / 1e9;
        }
        long t0 = System.nanoTime();
        // -Dbench.sandboxProcess: the sandbox cluster runs in a JVM of its own, as a cluster does; this JVM
        // holds the server and the clients only, so its heap and its pauses are the server's
        Process sandboxProcess = flag("bench.sandboxProcess") ? SandboxProcess.start(nodes, data) : null;
        Up up = sandboxProcess == null ? Up.start(0, data, null, sandbox)
                : Up.startWithCluster(0, data, Files.readString(data.resolve("sandbox.kubeconfig")));
        double upSeconds = (System.nanoTime() - t0) / 1e9;
        if (flag("bench.upOnly")) {
            if (!Double.isNaN(sandboxSeconds)) {
                System.out.printf("a bare sandbox of %d nodes started (cold JVM): %.1f s%n", nodes + 3, sandboxSeconds);
            }
            System.out.printf("sampan up to a serving API, %d nodes: %.1f s   [target ≤ 10 s]%n", nodes + 3, upSeconds);
            up.close();
            return;
        }
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String base = up.url() + "/api/v1/orgs/default/projects/demo";
        String template = Files.readString(Path.of("examples/storefront/app.yaml"));

        // the ten-service mall, deployed to dev on an idle cluster: from the deploy call to the release succeeded
        double mallSeconds = Double.NaN;
        if (!flag("bench.skipMall")) {
            send(http, up, "POST", base + "/apps", "application/yaml", Files.readString(Path.of("examples/mall/app.yaml")));
            long tm = System.nanoTime();
            send(http, up, "POST", base + "/apps/mall/environments/dev/releases", "application/json", "{}");
            awaitSucceeded(http, up, base + "/apps/mall/environments/dev/releases/1");
            mallSeconds = (System.nanoTime() - tm) / 1e9;
            System.out.printf("10-service mall ready in dev after deploy: %.1f s%n", mallSeconds);
        }

        long t1 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < apps; i++) {
                String name = "shop" + i;
                work.add(pool.submit(() -> {
                    send(http, up, "POST", base + "/apps", "application/yaml", template.replace("name: storefront", "name: " + name));
                    send(http, up, "POST", base + "/apps/" + name + "/environments/dev/releases", "application/json", "{}");
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        }
        int done = 0;
        while (done < apps) {
            done = 0;
            for (int i = 0; i < apps; i++) {
                String body = send(http, up, "GET", base + "/apps/shop" + i + "/environments/dev/releases/1", null, null);
                if (body.contains("\"phase\":\"succeeded\"")) {
                    done++;
                } else if (body.contains("\"phase\":\"failed\"")) {
                    throw new IllegalStateException("release failed: " + body);
                }
            }
        }
        double deploySeconds = (System.nanoTime() - t1) / 1e9;

        // the status phase: 50 closed-loop clients, rounds of 100 GETs each of random apps (-Dbench.statusRounds=N, 10 by
        // default); the first round runs while the status path is still being compiled, the figure is over the rounds after it
        int rounds = Integer.getInteger("bench.statusRounds", 10);
        List<String> statusLines = new ArrayList<>();
        List<Long> afterFirst = new ArrayList<>();
        Random random = new Random(42);
        for (int round = 1; round <= rounds; round++) {
            List<Long> latencies = new ArrayList<>();
            statusLines.add(statusRound(http, up, base, apps, random, sandboxProcess, latencies) + "   (round " + round + " of " + rounds + ")");
            if (round > 1) {
                afterFirst.addAll(latencies);
            }
        }
        if (!afterFirst.isEmpty()) {
            Collections.sort(afterFirst);
            statusLines.add(String.format("GET status, 50 concurrent clients, rounds 2 to %d (%,d GETs): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms"
                    + "   [target p99 ≤ 50 ms]", rounds, afterFirst.size(), afterFirst.get(afterFirst.size() / 2) / 1e6,
                    afterFirst.get((int) (afterFirst.size() * 0.99)) / 1e6, afterFirst.get((int) (afterFirst.size() * 0.999)) / 1e6));
        }
        long heap = heapAfterGc("with the server");
        up.closeServer();
        long sandboxHeap = heapAfterGc("the sandbox alone");
        if (!Double.isNaN(sandboxSeconds)) {
            System.out.printf("a bare sandbox of %d nodes started (cold JVM): %.1f s%n", nodes + 3, sandboxSeconds);
        }
        System.out.printf("sampan up to a serving API:            %.1f s   [target ≤ 10 s]%n", upSeconds);
        System.out.printf("10-service mall ready in dev after deploy: %.1f s   [target ≤ 10 s, readiness delays zero, %d nodes]%n", mallSeconds, nodes + 3);
        System.out.printf("%d apps registered and deployed:      %.1f s   [target ≤ 120 s for 1,000]%n", apps, deploySeconds);
        statusLines.forEach(System.out::println);
        if (sandboxProcess != null) {
            System.out.printf("heap in use after GC (server and this client; the sandbox in its own JVM): %d MiB   [target ≤ 1 GiB]%n", heap >> 20);
            sandboxProcess.destroy();
        } else {
            System.out.printf("heap in use after GC (server, sandbox and this client in one JVM): %d MiB   [target ≤ 1 GiB]%n", heap >> 20);
            System.out.printf("  of which the sandbox (and this client): %d MiB; the server: %d MiB%n", sandboxHeap >> 20, (heap - sandboxHeap) >> 20);
        }
        System.out.printf("load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        up.close();
    }

    /** The sandbox's nodes: {@code nodes} compute nodes, and (for the mall's payment service) 3 dedicated PCI nodes. */
    static Simulation.Options sandbox(int nodes) {
        // the payment service runs on dedicated PCI nodes (labelled pci=true, tainted dedicated=payment)
        return Simulation.Options.defaults().withProbeDelays(false).withNodes(new NodeProfile(List.of(
                new NodeProfile.Pool("node", nodes, "4", "16Gi", 110, List.of("a", "b", "c"), Map.of("machine", "compute"), List.of()),
                new NodeProfile.Pool("pci", 3, "8", "32Gi", 110, List.of("a", "b", "c"), Map.of("machine", "compute", "pci", "true"),
                        List.of("dedicated=payment:NoSchedule")))));
    }

    /** One round of the status phase; its figures as a line. */
    private static String statusRound(HttpClient http, Up up, String base, int apps, Random random, Process sandboxProcess, List<Long> roundLatencies)
            throws Exception {
        java.time.Duration sandboxCpu0 = sandboxCpu(sandboxProcess);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        // -Dbench.client: "loop" (the default) drives the 50 connections from one thread as wrk does; "threads" gives
        // each client a thread and a connection of its own; "jdk" has 50 threads share the JDK's HttpClient (before session 6)
        String mode = System.getProperty("bench.client", "loop");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long gc0 = gcMillis();
        long wall0 = System.nanoTime();
        if (mode.equals("loop")) {
            Random r = new Random(random.nextLong());
            String path = URI.create(base).getRawPath();
            URI server = URI.create(up.url());
            for (EventLoopClients.Sample sample : EventLoopClients.run(server.getHost(), server.getPort(), up.token(), 50, 100,
                    n -> path + "/apps/shop" + r.nextInt(apps) + "/environments/dev/status")) {
                latencies.add(sample.latencyNanos());
                log.add(String.format("%.3f %.3f client-%d", sample.startNanos() / 1e6, sample.latencyNanos() / 1e6, sample.client()));
            }
        } else {
            try (ExecutorService clients = Executors.newFixedThreadPool(50)) {
                List<Future<?>> work = new ArrayList<>();
                for (int c = 0; c < 50; c++) {
                    long seed = random.nextLong();
                    work.add(clients.submit(() -> {
                        Random r = new Random(seed);
                        KeepAliveClient own = mode.equals("jdk") ? null : new KeepAliveClient(URI.create(up.url()), up.token());
                        for (int k = 0; k < 100; k++) {
                            String url = base + "/apps/shop" + r.nextInt(apps) + "/environments/dev/status";
                            long s = System.nanoTime();
                            if (own == null) {
                                send(http, up, "GET", url, null, null);
                            } else {
                                own.get(URI.create(url).getRawPath());
                            }
                            long e = System.nanoTime();
                            latencies.add(e - s);
                            log.add(String.format("%.3f %.3f %s", (s - wall0) / 1e6, (e - s) / 1e6, Thread.currentThread().getName()));
                        }
                        if (own != null) {
                            own.close();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            }
        }
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / latencies.size();
        roundLatencies.addAll(latencies);
        // -Dbench.latencyLog=FILE: each request's start (ms into the round), its latency and its client, to find stalls
        String logFile = System.getProperty("bench.latencyLog");
        if (logFile != null) {
            Files.write(Path.of(logFile), log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(Path.of(logFile), "end of round\n", java.nio.file.StandardOpenOption.APPEND);
        }
        long gcMs = gcMillis() - gc0;
        java.time.Duration sandboxCpu = sandboxCpu(sandboxProcess).minus(sandboxCpu0);
        double seconds = (System.nanoTime() - wall0) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return String.format("GET status, 50 concurrent clients:     p50 %.1f ms, p99 %.1f ms over %d requests%n"
                + "  CPU per GET (server and client): %.2f ms; %.0f GETs/s; in GC %d ms of %.1f s" + (sandboxProcess == null ? "" : "; the sandbox's CPU meanwhile " + sandboxCpu.toMillis() + " ms"),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6, sorted.size(), cpuMs,
                sorted.size() / seconds, gcMs, seconds);
    }

    /** The CPU time the sandbox's own process has used so far (zero when it runs in this one). */
    private static java.time.Duration sandboxCpu(Process sandboxProcess) {
        return sandboxProcess == null ? java.time.Duration.ZERO
                : sandboxProcess.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** Time spent in garbage collection so far, all collectors. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** A {@code -Dname} option: set, and not to {@code false}. */
    private static boolean flag(String name) {
        String value = System.getProperty(name);
        return value != null && !value.equals("false");
    }

    /** The heap in use after a full GC; with {@code -Dbench.histogram}, its largest classes too. */
    private static long heapAfterGc(String what) throws Exception {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (flag("bench.histogram")) {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            System.out.println("heap, " + what + ": " + (used >> 20) + " MiB; largest classes:");
            histogram.lines().limit(25).forEach(System.out::println);
        }
        return used;
    }

    private static void awaitSucceeded(HttpClient http, Up up, String release) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            String body = send(http, up, "GET", release, null, null);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("release not done after 120 s: " + body);
            }
            if (body.contains("\"phase\":\"succeeded\"")) {
                return;
            }
            if (body.contains("\"phase\":\"failed\"")) {
                throw new IllegalStateException("release failed: " + body);
            }
            Thread.sleep(50);
        }
    }

    static String send(HttpClient http, Up up, String method, String url, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + up.token());
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
