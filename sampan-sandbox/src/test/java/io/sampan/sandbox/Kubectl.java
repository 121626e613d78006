package io.sampan.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kubectl 1.32 run against a sandbox whose kubeconfig is in {@code dir}: the tests' shared way to call it. */
final class Kubectl {
    private final Path dir;

    Kubectl(Path dir) {
        this.dir = dir;
    }

    record Run(int code, String out) {
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    }

    /** Runs kubectl with {@code dir/kubeconfig}; its output and error together, and its exit code. */
    Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", dir.resolve("kubeconfig").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("kubectl %s finished", args[0]).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Writes a manifest into {@code dir} for {@code kubectl apply -f}. */
    Path manifest(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
