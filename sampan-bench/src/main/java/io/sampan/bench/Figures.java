package io.sampan.bench;

import io.sampan.spec.read.AppReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and prints the figures in the units the issue names, next to their targets.
 * JMH's own command-line options pass through (e.g. {@code -f 2 -i 10}, or a benchmark name regex).
 */
public final class Figures {
    private Figures() {
    }

    public static void main(String[] args) throws Exception {
        Path example = Path.of(System.getProperty("sampan.example", "examples/mall/app.yaml")).toAbsolutePath();
        int services = AppReader.read(Files.readString(example), "app.yaml").resolve("prod").services().size();
        CommandLineOptions given = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(given);
        if (given.getIncludes().isEmpty()) {
            options.include(MallBenchmarks.class.getName());
        }
        Collection<RunResult> results = new Runner(options.jvmArgsAppend("-Dsampan.example=" + example).build()).run();
        System.out.println();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double ops = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            if (name.endsWith("compileOnly")) {
                System.out.printf("compile only:                            %,.0f services/s (± %,.0f) on one core   [target ≥ 20,000]%n",
                        ops * services, error * services);
            } else {
                System.out.printf("parse + validate + compile + YAML out:   %,.0f apps/s (± %,.0f) single-threaded  [target ≥ 500]%n", ops, error);
            }
        }
        System.out.println("(" + services + "-service example: " + example + ")");
    }
}
