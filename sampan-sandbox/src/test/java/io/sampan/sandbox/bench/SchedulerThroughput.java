package io.sampan.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.Store;
import io.sampan.sandbox.sim.Kinds;
import io.sampan.sandbox.sim.KubeScheduler;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SchedulerController;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler's throughput on a 1,000-node cluster (target: at least 1,000 pods placed per
 * second end to end). Pure placement: {@link KubeScheduler} alone deciding and binding pods of
 * Deployments (plain, and with a zone spread constraint). End to end: a Deployment's pods created
 * by the simulation's controllers until every one has {@code spec.nodeName}. Run with
 * {@code bench/scheduler [PODS [NODES [pure|e2e]]]}.
 */
public final class SchedulerThroughput {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SchedulerThroughput() {
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String only = args.length > 2 ? args[2] : "all";
        if (!only.equals("e2e")) {
            for (int round = 0; round < 3; round++) {
                pure(nodes, pods, false, round == 0 ? " (cold JVM)" : "");
            }
            for (int round = 0; round < 2; round++) {
                pure(nodes, pods, true, round == 0 ? " (cold)" : "");
            }
        }
        if (!only.equals("pure")) {
            for (int round = 0; round < 3; round++) {
                endToEnd(nodes, pods, round == 0 ? " (cold)" : "");
            }
        }
        System.exit(0);
    }

    static ObjectNode node(int i) {
        ObjectNode n = JSON.createObjectNode();
        String name = "node-" + i;
        ObjectNode meta = n.putObject("metadata").put("name", name);
        meta.putObject("labels").put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux").put("topology.kubernetes.io/zone",
                String.valueOf((char) ('a' + i % 3))).put("topology.sampan.io/rack", "rack-" + i / 10);
        n.putObject("spec");
        ObjectNode status = n.putObject("status");
        status.putObject("allocatable").put("cpu", "32").put("memory", "128Gi").put("pods", "110").put("ephemeral-storage", "100Gi");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return n;
    }

    static ObjectNode pod(int i, int perDeployment, boolean spread) {
        String app = "app-" + i / perDeployment;
        ObjectNode p = JSON.createObjectNode();
        ObjectNode meta = p.putObject("metadata").put("name", app + "-" + i).put("namespace", "default");
        meta.putObject("labels").put("app", app).put("pod-template-hash", "h" + i / perDeployment);
        meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", app).put("uid", "uid-" + app)
                .put("controller", true);
        ObjectNode spec = p.putObject("spec");
        ObjectNode c = spec.putArray("containers").addObject().put("name", "main").put("image", "shop/" + app + ":1.0");
        c.putObject("resources").putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        if (spread) {
            ObjectNode tsc = spec.putArray("topologySpreadConstraints").addObject().put("maxSkew", 1).put("topologyKey", "topology.kubernetes.io/zone")
                    .put("whenUnsatisfiable", "DoNotSchedule");
            tsc.putObject("labelSelector").putObject("matchLabels").put("app", app);
        }
        return p;
    }

    static void pure(int nodes, int pods, boolean spread, String note) {
        KubeScheduler s = new KubeScheduler();
        for (int i = 0; i < nodes; i++) {
            s.upsertNode(node(i));
        }
        List<ObjectNode> batch = new ArrayList<>(pods);
        for (int i = 0; i < pods; i++) {
            batch.add(pod(i, 100, spread));
        }
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        int placed = 0;
        for (ObjectNode p : batch) {
            SchedulerController.Placement.Decision d = s.place(p);
            if (d.node() != null) {
                p.with("spec").put("nodeName", d.node());
                s.assign(p);
                placed++;
            }
        }
        long ns = System.nanoTime() - start;
        cpu = THREADS.getCurrentThreadCpuTime() - cpu;
        System.out.printf("pure placement%s: %d pods of 100-replica Deployments on %d nodes in %d ms: %.0f pods/s (%.0f per CPU second)%s%n",
                spread ? " with a zone spread constraint" : "", placed, nodes, TimeUnit.NANOSECONDS.toMillis(ns), placed * 1e9 / ns, placed * 1e9 / cpu, note);
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

    static void endToEnd(int nodes, int pods, String note) {
        Store store = new Store(SimClock.scaled(1));
        ObjectNode ns = JSON.createObjectNode();
        ns.putObject("metadata").put("name", "default");
        store.create(Kinds.NAMESPACE, null, ns);
        try (Simulation sim = new Simulation(store, Simulation.Options.defaults().withNodes(new NodeProfile(List.of(new NodeProfile.Pool("node", nodes, "32",
                "128Gi", 110, List.of("a", "b", "c"), Map.of(), List.of())))))) {
            sim.awaitIdle();
            Thread controllers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sandbox-controllers") && t.isAlive())
                    .reduce((a, b) -> b).orElseThrow();
            long cpu = THREADS.getThreadCpuTime(controllers.threadId());
            long start = System.nanoTime();
            sim.api().create(Kinds.DEPLOYMENT, deployment("big", pods));
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            int bound = 0;
            int created = 0;
            while (true) {
                int[] counts = new int[2];
                store.list(Kinds.POD, "default", p -> {
                    counts[0]++;
                    counts[1] += p.path("spec").path("nodeName").asText("").isEmpty() ? 0 : 1;
                    return false; // count without copying
                });
                created = counts[0];
                bound = counts[1];
                if (System.getenv("SCHED_PROGRESS") != null && (System.nanoTime() - start) / 50_000_000 % 20 == 0) {
                    System.out.printf("  %d ms: %d created, %d bound%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), created, bound);
                }
                if (bound >= pods || System.nanoTime() > deadline) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            long ns2 = System.nanoTime() - start;
            cpu = THREADS.getThreadCpuTime(controllers.threadId()) - cpu;
            System.out.printf("end to end: a %d-replica Deployment on %d nodes, %d of %d pods created bound in %d ms: %.0f pods/s "
                    + "(the simulation's one thread busy %d ms: %.0f pods per CPU second)%s%n", pods, nodes, bound, created, TimeUnit.NANOSECONDS.toMillis(ns2),
                    bound * 1e9 / ns2, TimeUnit.NANOSECONDS.toMillis(cpu), bound * 1e9 / cpu, note);
        }
    }
}
