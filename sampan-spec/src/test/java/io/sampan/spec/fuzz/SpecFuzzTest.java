package io.sampan.spec.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.AppSpec;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of reading, validation and resolution over the bundled examples, mutated as trees
 * (keys deleted, duplicated, renamed; values replaced by other types, extreme numbers, unicode, long
 * strings, deep nesting, subtrees of other examples) and as text (characters, lines, indentation,
 * truncation, anchors, aliases and merge keys), plus hostile documents (alias bombs, deep nesting).
 *
 * <p>For every case, either the document is accepted, or a {@link SpecException} is thrown whose
 * every problem has a message, the file and a path; no other exception escapes; each case finishes
 * in well under {@link #CASE_BUDGET_NANOS}. Reproduce or explore further with
 * {@code -Dsampan.fuzz.seed=N -Dsampan.fuzz.scale=10}.
 */
class SpecFuzzTest {
    static final long SEED = Long.getLong("sampan.fuzz.seed", 2_026_112_402L);
    static final int SCALE = Integer.getInteger("sampan.fuzz.scale", 1);
    static final String FILE = "app.yaml";
    /** A hang guard, far above the usual sub-millisecond case; not a performance figure. */
    static final long CASE_BUDGET_NANOS = 5_000_000_000L;

    private static List<String> examples;

    @BeforeAll
    static void loadExamples() throws IOException {
        examples = new ArrayList<>();
        for (Path p : exampleFiles()) {
            examples.add(Files.readString(p));
        }
        assertThat(examples).as("the bundled examples").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void everyBundledExampleIsValid() throws IOException {
        for (Path p : exampleFiles()) {
            AppDocument doc = AppReader.read(p);
            assertThat(doc.validateAll().stream().filter(Problem::isError).map(Problem::format)).as(p.toString()).isEmpty();
        }
    }

    @Test
    void mutatedTreesAreAcceptedOrRejectedWithProblems() {
        Tally tally = run("tree", 6_000 * SCALE, (m, r) -> {
            String example = examples.get(r.nextInt(examples.size()));
            return m.mutateTree(example, examples, 1 + r.nextInt(4));
        });
        tally.assertClean();
        tally.assertBothOutcomes();
    }

    @Test
    void mutatedTextIsAcceptedOrRejectedWithProblems() {
        Tally tally = run("text", 5_000 * SCALE, (m, r) -> {
            String example = examples.get(r.nextInt(examples.size()));
            return m.mutateText(example, 1 + r.nextInt(3));
        });
        tally.assertClean();
        tally.assertBothOutcomes();
    }

    @Test
    void hostileDocumentsAreRejectedQuickly() {
        Tally tally = run("hostile", 200 * SCALE, (m, r) -> m.hostile());
        tally.assertClean();
    }

    interface CaseSource {
        String next(Mutator mutator, Random random);
    }

    private static Tally run(String kind, int cases, CaseSource source) {
        long seed = SEED ^ kind.hashCode();
        Random random = new Random(seed);
        Mutator mutator = new Mutator(random);
        Tally tally = new Tally(kind, seed);
        for (int i = 0; i < cases; i++) {
            String text = source.next(mutator, random);
            long start = System.nanoTime();
            String failure = check(text);
            long took = System.nanoTime() - start;
            tally.record(i, text, failure, took);
        }
        System.out.println(tally.summary());
        return tally;
    }

    /** {@code null} when the case behaved (accepted, or rejected properly); else what went wrong. */
    static String check(String text) {
        return check(text, null);
    }

    /**
     * Reads, validates and resolves the base and every environment (and one the file does not
     * declare); hands every accepted spec to {@code accepted} (e.g. a compiler).
     */
    static String check(String text, java.util.function.Consumer<AppSpec> accepted) {
        int lines = (int) text.lines().count() + 1;
        try {
            AppDocument doc = AppReader.read(text, FILE);
            List<Problem> problems = doc.validateAll();
            String bad = badProblem(problems, lines);
            if (bad != null) {
                return bad;
            }
            boolean valid = problems.stream().noneMatch(Problem::isError);
            List<String> envs = new ArrayList<>();
            envs.add(null);
            envs.addAll(doc.environments());
            boolean allResolved = true;
            for (String env : envs) {
                AppDocument.Resolution r = doc.resolveWithProblems(env);
                bad = badProblem(r.problems(), lines);
                if (bad != null) {
                    return bad;
                }
                boolean errors = r.problems().stream().anyMatch(Problem::isError);
                AppSpec spec;
                try {
                    spec = doc.resolve(env);
                } catch (SpecException e) {
                    if (!errors) {
                        return "resolveWithProblems(" + env + ") found no error but resolve(" + env + ") failed: " + e.getMessage();
                    }
                    bad = badRejection(e, lines);
                    if (bad != null) {
                        return bad;
                    }
                    allResolved = false;
                    continue;
                }
                if (errors) {
                    return "resolveWithProblems(" + env + ") found errors but resolve(" + env + ") accepted the document";
                }
                if (accepted != null) {
                    accepted.accept(spec);
                }
            }
            if (valid != allResolved) {
                return "validateAll() " + (valid ? "found no error" : "found errors") + " but resolving every environment "
                        + (allResolved ? "succeeded" : "failed");
            }
            try {
                doc.resolve("staging"); // an environment the file does not declare: the base, or a proper rejection
            } catch (SpecException e) {
                bad = badRejection(e, lines);
                if (bad != null) {
                    return bad;
                }
            }
            return valid ? null : REJECTED;
        } catch (SpecException e) {
            String bad = badRejection(e, lines);
            return bad != null ? bad : REJECTED;
        } catch (Throwable e) { // anything else, including StackOverflowError, is a finding
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return "unexpected " + trace.toString().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse(e.toString());
        }
    }

    /** Marker result of a proper rejection. */
    static final String REJECTED = "\u0000rejected";

    private static String badRejection(SpecException e, int lines) {
        if (e.errors().isEmpty()) {
            return "a SpecException without errors: " + e.problems();
        }
        return badProblem(e.problems(), lines);
    }

    private static String badProblem(List<Problem> problems, int lines) {
        for (Problem p : problems) {
            if (p.message() == null || p.message().isBlank()) {
                return "a problem without a message: " + p;
            }
            if (!FILE.equals(p.file())) {
                return "a problem without the file: " + p;
            }
            if (p.path() == null || p.position() == null) {
                return "a problem without a path or position: " + p;
            }
            if (p.position().known() && (p.position().line() < 1 || p.position().line() > lines || p.position().column() < 1)) {
                return "a problem at a position outside the file (" + lines + " lines): " + p.format();
            }
        }
        return null;
    }

    static List<Path> exampleFiles() throws IOException {
        Path dir = Path.of("..", "examples");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("examples");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals(FILE)).sorted().toList();
        }
    }

    /** Outcomes of one run: counts, the slowest case, and the first few findings with their input. */
    static final class Tally {
        private final String kind;
        private final long seed;
        private final List<String> findings = new ArrayList<>();
        private int cases;
        private int accepted;
        private int rejected;
        private int failed;
        private long slowest;
        private int slowestCase;
        private long total;

        Tally(String kind, long seed) {
            this.kind = kind;
            this.seed = seed;
        }

        void record(int index, String text, String failure, long nanos) {
            cases++;
            total += nanos;
            if (nanos > slowest) {
                slowest = nanos;
                slowestCase = index;
            }
            if (failure == null) {
                accepted++;
            } else if (failure.equals(REJECTED)) {
                rejected++;
            } else {
                failed++;
                if (findings.size() < 5) {
                    findings.add("case " + index + ": " + failure + "\n--- input ---\n" + abbreviate(text));
                }
            }
            if (nanos > CASE_BUDGET_NANOS && findings.size() < 5) {
                findings.add("case " + index + " took " + nanos / 1_000_000 + " ms\n--- input ---\n" + abbreviate(text));
            }
        }

        String summary() {
            return String.format("fuzz %s (seed %d): %d cases, %d accepted, %d rejected, %d findings; %.1f ms total, slowest case %d: %.1f ms",
                    kind, seed, cases, accepted, rejected, failed, total / 1e6, slowestCase, slowest / 1e6);
        }

        void assertClean() {
            assertThat(findings).as(summary()).isEmpty();
        }

        void assertBothOutcomes() {
            assertThat(accepted).as("mutations that keep the document valid: " + summary()).isGreaterThan(cases / 50);
            assertThat(rejected).as("mutations that break the document: " + summary()).isGreaterThan(cases / 4);
        }

        private static String abbreviate(String text) {
            return text.length() <= 3_000 ? text : text.substring(0, 3_000) + "\n... (" + text.length() + " characters)";
        }
    }
}
