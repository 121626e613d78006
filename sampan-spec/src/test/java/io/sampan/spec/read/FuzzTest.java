package io.sampan.spec.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of the parser and validator over mutated examples: whatever the input, reading
 * either succeeds or fails with proper problems (file, path, a position inside the file, a
 * message), never with another exception.
 */
class FuzzTest {
    /** Another seed or more cases explore further: {@code -Dsampan.fuzz.seed=7 -Dsampan.fuzz.cases=100000}. */
    private static final long SEED = Long.getLong("sampan.fuzz.seed", 20_261_124L);
    private static final int CASES = Integer.getInteger("sampan.fuzz.cases", 12_000);
    private static final String[] TOKENS = {"~", "-1", "0", "true", "no", "99999999999999999999", "[]", "{}", "\"\"", "0x1F", ".inf",
        "1.5", "*a", "&a x", "<<: *a", "!!binary AAAA", "!custom x", "? x", "- ", ": ", "#", "'", "\"", "|", ">", "@", "`", "%YAML 1.2",
        "---", "...", "\t", "{a: [", "]]", "image: nginx", "port: 80", "dependsOn: [web]", "schedule: \"* * * * *\"", "\u00e9", "\uD83D\uDE00"};

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against hangs, not a performance figure
    void mutatedDocumentsNeverCrashTheReader() throws IOException {
        List<String> seeds = new ArrayList<>();
        for (Path p : ValidateAllTest.Examples.all()) {
            seeds.add(Files.readString(p));
        }
        seeds.add(Docs.web("""
                runtime: java
                port: 8080
                ports: [{name: grpc, port: 9090, protocol: grpc}]
                health: {http: /actuator/health, startupSeconds: 60}
                expose: [{host: shop.example.com, tls: true}]
                autoscale: {min: 2, max: 10, memory: 80, cooldown: 90s}
                placement: {nodeSelector: {a: b}, spread: rack, tolerate: [gpu=true:NoSchedule]}
                config: {/etc/app.conf: "x=1"}
                stateful: true
                volumes: [{name: data, path: /data, size: 1Gi}]
                """));
        Random random = new Random(SEED);
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutate(seeds.get(random.nextInt(seeds.size())), random, 1 + random.nextInt(3));
            if (!check(text, i)) {
                rejected++;
            }
        }
        // the mutations must exercise both outcomes
        assertThat(rejected).isBetween(CASES / 10, CASES - CASES / 20);
    }

    /** Reads, validates and resolves every environment; {@code true} when the document is valid. */
    private static boolean check(String text, int index) {
        int lines = (int) text.lines().count() + 1;
        try {
            AppDocument doc = AppReader.read(text, "app.yaml");
            List<Problem> problems = doc.validateAll();
            problems.forEach(p -> checkProblem(p, lines, text, index));
            boolean valid = problems.stream().noneMatch(Problem::isError);
            for (String env : doc.environments()) {
                AppDocument.Resolution r = doc.resolveWithProblems(env);
                r.problems().forEach(p -> checkProblem(p, lines, text, index));
            }
            if (valid) {
                doc.resolve(null);
            }
            return valid;
        } catch (SpecException e) {
            assertThat(e.errors()).as("case %d: a rejection with no error%n%s", index, text).isNotEmpty();
            e.problems().forEach(p -> checkProblem(p, lines, text, index));
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            fail("case %d (seed %d): %s on%n%s", index, SEED, e, text);
            return false;
        }
    }

    private static void checkProblem(Problem p, int lines, String text, int index) {
        assertThat(p.file()).as("case %d", index).isEqualTo("app.yaml");
        assertThat(p.message()).as("case %d", index).isNotBlank();
        assertThat(p.path()).as("case %d", index).isNotNull();
        if (p.position().known()) {
            assertThat(p.position().line()).as("case %d: line of %s in%n%s", index, p.format(), text).isBetween(1, lines);
            assertThat(p.position().column()).as("case %d", index).isPositive();
        }
        assertThat(p.format()).startsWith("app.yaml");
    }

    private static String mutate(String text, Random random, int times) {
        String out = text;
        for (int t = 0; t < times; t++) {
            out = switch (random.nextInt(8)) {
                case 0 -> deleteRange(out, random);
                case 1 -> insert(out, random, TOKENS[random.nextInt(TOKENS.length)]);
                case 2 -> insert(out, random, String.valueOf((char) (32 + random.nextInt(95))));
                case 3 -> swapLines(out, random);
                case 4 -> duplicateLine(out, random);
                case 5 -> reindentLine(out, random);
                case 6 -> replaceValue(out, random);
                default -> out.substring(0, random.nextInt(out.length() + 1));
            };
        }
        return out;
    }

    private static String deleteRange(String s, Random r) {
        if (s.isEmpty()) {
            return s;
        }
        int from = r.nextInt(s.length());
        int to = Math.min(s.length(), from + 1 + r.nextInt(12));
        return s.substring(0, from) + s.substring(to);
    }

    private static String insert(String s, Random r, String token) {
        int at = r.nextInt(s.length() + 1);
        return s.substring(0, at) + token + s.substring(at);
    }

    private static List<String> lines(String s) {
        return new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    }

    private static String swapLines(String s, Random r) {
        List<String> l = lines(s);
        int a = r.nextInt(l.size());
        int b = r.nextInt(l.size());
        String x = l.get(a);
        l.set(a, l.get(b));
        l.set(b, x);
        return String.join("\n", l);
    }

    private static String duplicateLine(String s, Random r) {
        List<String> l = lines(s);
        int a = r.nextInt(l.size());
        l.add(a, l.get(a));
        return String.join("\n", l);
    }

    private static String reindentLine(String s, Random r) {
        List<String> l = lines(s);
        int a = r.nextInt(l.size());
        String stripped = l.get(a).stripLeading();
        l.set(a, " ".repeat(r.nextInt(10)) + stripped);
        return String.join("\n", l);
    }

    private static String replaceValue(String s, Random r) {
        List<String> l = lines(s);
        int a = r.nextInt(l.size());
        String line = l.get(a);
        int colon = line.indexOf(": ");
        if (colon < 0) {
            return s;
        }
        l.set(a, line.substring(0, colon + 2) + TOKENS[r.nextInt(TOKENS.length)]);
        return String.join("\n", l);
    }
}
