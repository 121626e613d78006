package io.sampan.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Store;
import io.sampan.sandbox.sim.Api;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's figures (issue 4), printed: a 1,000-replica Deployment with no readiness delay
 * fully available (on 100 nodes), and a cluster of 1,000 nodes running 30,000 pods (300
 * Deployments of 100) with the heap it needs. Run with {@code bench/sandbox} (which caps the heap
 * at 4 GiB, the figure's bound).
 */
public final class SandboxFigures {
    static final ObjectMapper JSON = new ObjectMapper();

    private SandboxFigures() {
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        thousandReplicas();
        bigCluster(nodes, pods);
        System.exit(0);
    }

    static Simulation cluster(int nodes) {
        Store store = new Store(SimClock.scaled(1));
        ObjectNode ns = JSON.createObjectNode();
        ns.putObject("metadata").put("name", "default");
        store.create(Kinds.NAMESPACE, null, ns);
        return new Simulation(store, Simulation.Options.defaults().withNodes(new NodeProfile(List.of(new NodeProfile.Pool("node", nodes, "32",
                "128Gi", 110, List.of("a", "b", "c"), java.util.Map.of(), List.of())))));
    }

    static ObjectNode deployment(String name, int replicas) {
        ObjectNode d = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = d.putObject("spec").put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        ObjectNode c = template.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "shop/" + name + ":1.0");
        c.putObject("resources").putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        return d;
    }

    static int available(Api api, String name) {
        return api.get(Kinds.DEPLOYMENT, "default", name).map(d -> d.path("status").path("availableReplicas").asInt(0)).orElse(0);
    }

    static void await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static void thousandReplicas() {
        for (int round = 0; round < 3; round++) {
            try (Simulation sim = cluster(100)) {
                long start = System.nanoTime();
                sim.api().create(Kinds.DEPLOYMENT, deployment("big", 1000));
                await(() -> available(sim.api(), "big") == 1000, Duration.ofMinutes(5));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("1000-replica Deployment fully available on 100 nodes: %d ms%s%n", ms, round == 0 ? " (cold JVM)" : "");
            }
        }
    }

    static void bigCluster(int nodes, int pods) {
        long start = System.nanoTime();
        try (Simulation sim = cluster(nodes)) {
            System.out.printf("%d nodes created in %d ms%n", nodes, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            int deployments = Math.max(1, pods / 100);
            long t = System.nanoTime();
            for (int i = 0; i < deployments; i++) {
                sim.api().create(Kinds.DEPLOYMENT, deployment("app-" + i, pods / deployments));
            }
            await(() -> {
                for (int i = deployments - 1; i >= 0; i--) {
                    if (available(sim.api(), "app-" + i) < pods / deployments) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofMinutes(30));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            long running = sim.api().store().list(Kinds.POD, null, p -> "Running".equals(p.path("status").path("phase").asText())).items().size();
            System.out.printf("%d pods of %d Deployments running and available on %d nodes in %d ms (%.0f pods/s end to end)%n", running,
                    deployments, nodes, ms, running * 1000.0 / ms);
            sim.awaitIdle();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("heap after GC with %d nodes and %d pods: %d MiB (max heap %d MiB)%n", nodes, running, heap >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
