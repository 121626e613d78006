package io.sampan.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A Sampan server in a process of its own, for tests that kill it with {@code kill -9}. */
final class ServerProcess {
    private ServerProcess() {
    }

    /**
     * Starts the server on {@code port} with its data in {@code data} (its log appended to
     * {@code data/server.log}) and waits until it answers its health check.
     */
    static Process start(int port, Path data, Duration timeout, String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sampan.server.SampanServer", "--server.port=" + port,
                "--sampan.data=" + data, "--sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "--sampan.bootstrap-token=" + ApiClient.ADMIN_TOKEN, "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile())).start();
        ApiClient probe = new ApiClient(port);
        poll("the server to start", timeout, () -> {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited: " + log(data));
            }
            try {
                return probe.get("/actuator/health").status() == 200 ? Boolean.TRUE : null;
            } catch (RuntimeException notListeningYet) {
                return null;
            }
        });
        return server;
    }

    /**
     * Asks {@code probe} until it answers non-null. The other side is a separate server process,
     * whose progress no clock of the test can drive: polling is the only way to observe it.
     */
    static <T> T poll(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (T answer = probe.get(); ; answer = probe.get()) {
            if (answer != null) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    /** The server's log so far. */
    static String log(Path data) {
        try {
            return Files.readString(data.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.body()).isLessThan(300);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
