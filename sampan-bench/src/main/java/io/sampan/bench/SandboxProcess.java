package io.sampan.bench;

import io.sampan.sandbox.SandboxCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's sandbox cluster in a JVM of its own: started by {@link #start}, it writes its
 * kubeconfig to {@code <data>/sandbox.kubeconfig}, says {@code ready}, and lives until its parent
 * closes its standard input (or dies).
 */
public final class SandboxProcess {
    private SandboxProcess() {
    }

    /** Starts the sandbox process with {@code nodes} compute nodes (and the PCI nodes) and waits until it serves. */
    static Process start(int nodes, Path data) throws IOException, InterruptedException {
        Files.createDirectories(data);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), SandboxProcess.class.getName(),
                Integer.toString(nodes), data.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            System.out.println("sandbox: " + line);
        }
        if (line == null) {
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("the sandbox process ended before it served (exit " + p.exitValue() + ")");
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "sandbox-output");
        drain.setDaemon(true);
        drain.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p;
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        try (SandboxCluster cluster = SandboxCluster.start("local", 0, ControlPlane.sandbox(nodes))) {
            Path tmp = data.resolve("sandbox.kubeconfig.tmp");
            Files.writeString(tmp, cluster.kubeconfig());
            Files.move(tmp, data.resolve("sandbox.kubeconfig"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes our input or goes away
            }
        }
        System.exit(0);
    }
}
