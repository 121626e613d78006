package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.sampan.sandbox.gateway.TrafficGateway;
import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.Simulation;
import java.time.Clock;

/**
 * An embedded Kubernetes-compatible cluster for trying and testing Sampan: {@code start()} it, point
 * a client at {@link #url()} (or write a {@link #kubeconfig()} for kubectl), {@code close()} it.
 * Namespaces {@code default} and {@code kube-system} exist from the start.
 */
public final class SandboxCluster implements AutoCloseable {
    private final String name;
    private final Store store;
    private final ApiServer server;

    private final Simulation sim;
    private final TrafficGateway gateway;

    private SandboxCluster(String name, Store store, Simulation sim, ApiServer server, TrafficGateway gateway) {
        this.name = name;
        this.sim = sim;
        this.store = store;
        this.server = server;
        this.gateway = gateway;
    }

    /** A cluster on an ephemeral port of 127.0.0.1. */
    public static SandboxCluster start(String name) {
        return start(name, 0, Clock.systemUTC());
    }

    /** A cluster on {@code port} (0 for any) whose clock is the wall clock and whose nodes are {@link NodeProfile#defaults()}. */
    public static SandboxCluster start(String name, int port, Clock clock) {
        return start(name, port, Simulation.Options.defaults());
    }

    /** A cluster with the given nodes, clock and delays; its traffic gateway on any port. */
    public static SandboxCluster start(String name, int port, Simulation.Options options) {
        return start(name, port, options, 0);
    }

    /** A cluster with the given nodes, clock and delays, its traffic gateway on {@code gatewayPort} (0 for any). */
    public static SandboxCluster start(String name, int port, Simulation.Options options, int gatewayPort) {
        return start(name, port, options, gatewayPort, null);
    }

    /**
     * A cluster kept in {@code data} (null: in memory only): every object is persisted as it is
     * written, and a cluster started again on the same directory has them all, with their
     * resourceVersions and uids (see {@link StoreLog}); the simulation carries on from them.
     */
    public static SandboxCluster start(String name, int port, Simulation.Options options, int gatewayPort, Path data) {
        Store store = data == null ? new Store(options.clock()) : new Store(options.clock(), data);
        ResourceTypes types = new ResourceTypes();
        ResourceType namespaces = types.find("v1", "namespaces").orElseThrow();
        for (String ns : new String[] {"default", "kube-system"}) {
            if (store.exists(namespaces, null, ns)) {
                continue;
            }
            ObjectNode o = ApiServer.JSON.createObjectNode();
            o.putObject("metadata").put("name", ns);
            store.create(namespaces, null, o);
        }
        Simulation sim = new Simulation(store, options);
        ApiServer server;
        try {
            server = new ApiServer(store, types, port, sim);
        } catch (IOException e) {
            sim.close();
            store.close();
            throw new UncheckedIOException("cannot start the sandbox API server", e);
        }
        try {
            return new SandboxCluster(name, store, sim, server, new TrafficGateway(store, gatewayPort, new java.util.Random(), sim.manager()));
        } catch (IOException e) {
            server.close();
            sim.close();
            store.close();
            throw new UncheckedIOException("cannot start the sandbox traffic gateway on port " + gatewayPort, e);
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * The traffic gateway: HTTP requests routed as ingress-nginx routes them from the cluster's
     * Ingresses, answered by the simulated pods of the chosen Service.
     */
    public String gatewayUrl() {
        return gateway.url();
    }

    public TrafficGateway gateway() {
        return gateway;
    }

    public Store store() {
        return store;
    }

    /** Faults to inject into the API's answers (errors, delays, dropped connections, or the whole API down). */
    public Faults faults() {
        return server.faults();
    }

    /** The simulated nodes, pods and controllers: fail or drain nodes, read the clock, wait for the cluster to settle. */
    public Simulation simulation() {
        return sim;
    }

    /** A kubeconfig that kubectl and fabric8 use unchanged (plain HTTP on loopback, no credentials). */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                users:
                - name: %1$s
                  user: {}
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                current-context: %1$s
                """.formatted(name, url());
    }

    public void writeKubeconfig(Path file) {
        try {
            Files.writeString(file, kubeconfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        server.close();
        try {
            sim.close();
        } finally {
            store.close(); // the data directory's snapshot and lock, whatever happened above
        }
    }
}
