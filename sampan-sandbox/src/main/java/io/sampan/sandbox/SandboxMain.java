package io.sampan.sandbox;

import java.nio.file.Path;
import java.time.Clock;

/** {@code SandboxMain [--port P] [--kubeconfig FILE] [--name NAME]}: a standalone sandbox cluster until killed. */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Path kubeconfig = null;
        String name = "sandbox";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                case "--name" -> name = args[++i];
                default -> {
                    System.err.println("usage: SandboxMain [--port P] [--kubeconfig FILE] [--name NAME]");
                    System.exit(2);
                }
            }
        }
        SandboxCluster cluster = SandboxCluster.start(name, port, Clock.systemUTC());
        if (kubeconfig != null) {
            cluster.writeKubeconfig(kubeconfig);
        }
        System.out.println("sandbox cluster " + name + " serving at " + cluster.url() + (kubeconfig == null ? "" : "; kubeconfig " + kubeconfig));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        Thread.currentThread().join();
    }
}
