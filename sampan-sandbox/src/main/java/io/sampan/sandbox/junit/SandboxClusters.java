package io.sampan.sandbox.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sampan.sandbox.SandboxCluster;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set of sandbox clusters for a test, each on its own ephemeral port of 127.0.0.1, with one fabric8
 * client per cluster made on first use: the plain Java API under {@link SandboxExtension}.
 *
 * <pre>{@code
 * try (SandboxClusters sandbox = SandboxClusters.builder().clusters(2).nodes(3).manualClock().start()) {
 *     KubernetesClient east = sandbox.client(0);
 *     east.resource(deployment).create();
 *     sandbox.get(0).simulation().advance(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * Closing closes the clients, then the clusters.
 */
public final class SandboxClusters implements AutoCloseable {
    private final List<SandboxCluster> clusters;
    private final Map<Integer, AutoCloseable> clients = new ConcurrentHashMap<>();

    private SandboxClusters(List<SandboxCluster> clusters) {
        this.clusters = List.copyOf(clusters);
    }

    /** How the clusters are made: how many, their nodes, their clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code clusters} clusters of {@code nodes} nodes each on the wall clock. */
    public static SandboxClusters start(int clusters, int nodes) {
        return builder().clusters(clusters).nodes(nodes).start();
    }

    /** The {@code i}th cluster (from 0). */
    public SandboxCluster get(int i) {
        if (i < 0 || i >= clusters.size()) {
            throw new IndexOutOfBoundsException("cluster " + i + " of " + clusters.size() + " started");
        }
        return clusters.get(i);
    }

    public List<SandboxCluster> all() {
        return clusters;
    }

    public int size() {
        return clusters.size();
    }

    /** The fabric8 client of the {@code i}th cluster (made on first use, see {@link SandboxClients}; closed with the set). */
    public KubernetesClient client(int i) {
        SandboxCluster cluster = get(i);
        return (KubernetesClient) clients.computeIfAbsent(i, x -> SandboxClients.fabric8(cluster));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : clients.values()) {
            try {
                c.close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("closing a sandbox client failed", e) : failure;
            }
        }
        clients.clear();
        for (SandboxCluster c : clusters) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What {@link #start()} makes. Defaults: one cluster {@code sandbox} of three nodes in zones a, b and c, on the wall clock. */
    public static final class Builder {
        private int clusters = 1;
        private int nodes = 3;
        private List<String> zones = List.of("a", "b", "c");
        private double timeFactor = 1;
        private boolean probeDelays = true;
        private String name = "sandbox";

        private Builder() {
        }

        public Builder clusters(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("at least one cluster");
            }
            this.clusters = n;
            return this;
        }

        /** Nodes per cluster (0 for none: pods stay Pending). */
        public Builder nodes(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("nodes must not be negative");
            }
            this.nodes = n;
            return this;
        }

        public Builder zones(String... zones) {
            this.zones = Arrays.asList(zones.clone());
            return this;
        }

        /** A clock {@code factor} times as fast as the wall clock (1 is real time). */
        public Builder timeFactor(double factor) {
            if (factor <= 0) {
                throw new IllegalArgumentException("the time factor must be positive; use manualClock() for a clock that stands still");
            }
            this.timeFactor = factor;
            return this;
        }

        /** A clock that moves only when the test calls {@code cluster.simulation().advance(duration)}. */
        public Builder manualClock() {
            this.timeFactor = 0;
            return this;
        }

        /** Whether readiness probes' initial delays are waited for (default) or pods are ready once running. */
        public Builder probeDelays(boolean honoured) {
            this.probeDelays = honoured;
            return this;
        }

        /** The clusters' names: {@code name}, or {@code name-0}, {@code name-1}... for several (their kubeconfig contexts). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The options each cluster is started with. */
        Simulation.Options options() {
            SimClock clock = timeFactor == 0 ? SimClock.manual(Instant.now().truncatedTo(ChronoUnit.SECONDS)) : SimClock.scaled(timeFactor);
            NodeProfile profile = nodes == 0 ? new NodeProfile(List.of()) : NodeProfile.uniform(nodes, zones);
            return Simulation.Options.defaults().withNodes(profile).withClock(clock).withProbeDelays(probeDelays);
        }

        /** Starts the clusters (each with its own clock); if one fails, those started are closed. */
        public SandboxClusters start() {
            List<SandboxCluster> started = new ArrayList<>();
            try {
                for (int i = 0; i < clusters; i++) {
                    started.add(SandboxCluster.start(clusters == 1 ? name : name + "-" + i, 0, options()));
                }
            } catch (RuntimeException e) {
                started.forEach(SandboxCluster::close);
                throw e;
            }
            return new SandboxClusters(started);
        }
    }
}
