package io.sampan.bench;

import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.Manifests;
import io.sampan.compiler.OvercommitPolicy;
import io.sampan.spec.AppSpec;
import io.sampan.spec.read.AppReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The figures on the ten-service example (examples/mall, environment prod), single-threaded:
 * compile only (services per second = ops/s × 10), and parse + validate + compile + YAML out (apps
 * per second = ops/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 8, time = 2) // the parse+compile path warms up slowly (many classes: YAML, spec, fabric8 builders)
@Measurement(iterations = 5, time = 2)
public class MallBenchmarks {
    static final ClusterProfile PROFILE = new ClusterProfile("mall-prod", new OvercommitPolicy(2, 1), "nginx", "apps.example.com", null, 12,
            Set.of());

    String text;
    AppSpec resolved;
    AppCompiler compiler;

    @Setup
    public void setUp() throws IOException {
        Path file = Path.of(System.getProperty("sampan.example", "examples/mall/app.yaml"));
        text = Files.readString(file);
        resolved = AppReader.read(text, "app.yaml").resolve("prod");
        compiler = new AppCompiler();
    }

    @Benchmark
    public CompiledApp compileOnly() {
        return compiler.compile(resolved, PROFILE);
    }

    @Benchmark
    public String parseValidateCompileYaml() {
        AppSpec spec = AppReader.read(text, "app.yaml").resolve("prod");
        return Manifests.toYaml(compiler.compile(spec, PROFILE).objects());
    }
}
