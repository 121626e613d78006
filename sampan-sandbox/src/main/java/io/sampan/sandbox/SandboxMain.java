package io.sampan.sandbox;

import io.sampan.sandbox.sim.NodeProfile;
import io.sampan.sandbox.sim.SimClock;
import io.sampan.sandbox.sim.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sampan sandbox start [--port P] [--gateway-port G] [--kubeconfig FILE] [--name NAME] [--nodes N] [--zones a,b,c]
 * [--data DIR] [--time-factor F] [--image-pull SECONDS]}: a standalone sandbox cluster with simulated nodes until killed.
 */
public final class SandboxMain {
    static final String USAGE = "usage: sampan sandbox start [--port P] [--gateway-port G] [--kubeconfig FILE] [--name NAME] [--nodes N] [--zones a,b,c]"
            + " [--data DIR] [--cpu 4] [--memory 16Gi] [--time-factor F] [--image-pull SECONDS]";

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        int gatewayPort = 0;
        Path kubeconfig = null;
        Path data = null;
        String name = "sandbox";
        int nodes = 3;
        List<String> zones = List.of("a", "b", "c");
        String cpu = "4";
        String memory = "16Gi";
        double factor = 1;
        double pull = 0;
        int i = args.length > 0 && args[0].equals("start") ? 1 : 0;
        try {
            for (; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--gateway-port" -> gatewayPort = Integer.parseInt(args[++i]);
                    case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                    case "--name" -> name = args[++i];
                    case "--data" -> data = Path.of(args[++i]);
                    case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                    case "--zones" -> zones = Arrays.stream(args[++i].split(",")).map(String::trim).filter(z -> !z.isEmpty()).toList();
                    case "--cpu" -> cpu = args[++i];
                    case "--memory" -> memory = args[++i];
                    case "--time-factor" -> factor = Double.parseDouble(args[++i]);
                    case "--image-pull" -> pull = Double.parseDouble(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("sampan sandbox: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option is missing its value" : e.getMessage()));
            System.err.println(USAGE);
            System.exit(2);
        }
        NodeProfile profile = new NodeProfile(List.of(new NodeProfile.Pool("node", nodes, cpu, memory, 110, zones,
                java.util.Map.of("node.kubernetes.io/instance-type", "sandbox.large"), List.of())));
        Simulation.Options options = Simulation.Options.defaults().withNodes(profile).withClock(SimClock.scaled(factor))
                .withImagePull(Duration.ofMillis((long) (pull * 1000)));
        SandboxCluster cluster = SandboxCluster.start(name, port, options, gatewayPort, data);
        if (kubeconfig != null) {
            cluster.writeKubeconfig(kubeconfig);
        }
        System.out.println("sandbox cluster " + name + " serving at " + cluster.url() + " with " + nodes + " nodes in zones "
                + String.join(",", zones) + (kubeconfig == null ? "" : "; kubeconfig " + kubeconfig)
                + (data == null ? "" : "; data in " + data + " (revision " + cluster.store().revision() + ")"));
        System.out.println("traffic gateway (Ingress routing to the simulated pods) at " + cluster.gatewayUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        Thread.currentThread().join();
    }
}
