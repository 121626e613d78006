package io.sampan.spec.read;

import io.sampan.spec.Problem;
import io.sampan.spec.yaml.Position;
import io.sampan.spec.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Collects the problems of one reading. When an environment's overrides are merged into the base,
 * problems found in values that came from the override are reported under the override's own path
 * ({@code spec.environments.prod.services.web.replicas}), so the user is sent to the right place.
 */
final class Diagnostics {
    private final String file;
    private final String environment;
    private final Set<YamlNode> overrideNodes;
    private final List<Problem> problems = new ArrayList<>();

    Diagnostics(String file) {
        this(file, null, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    Diagnostics(String file, String environment, Set<YamlNode> overrideNodes) {
        this.file = file;
        this.environment = environment;
        this.overrideNodes = overrideNodes;
    }

    String file() {
        return file;
    }

    void error(String path, YamlNode at, String message, String hint) {
        problems.add(Problem.error(file, pathOf(path, at), positionOf(at), message, hint));
    }

    /** An error about {@code node} reported at another position (e.g. its key's). */
    void error(String path, YamlNode node, Position at, String message, String hint) {
        problems.add(Problem.error(file, pathOf(path, node), at, message, hint));
    }

    void error(String path, Position at, String message, String hint) {
        problems.add(Problem.error(file, path, at, message, hint));
    }

    void warning(String path, YamlNode at, String message, String hint) {
        problems.add(Problem.warning(file, pathOf(path, at), positionOf(at), message, hint));
    }

    boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    private static Position positionOf(YamlNode node) {
        return node == null ? Position.UNKNOWN : node.position();
    }

    private String pathOf(String path, YamlNode at) {
        if (environment == null || at == null || !overrideNodes.contains(at) || !path.startsWith("spec.")) {
            return path;
        }
        return "spec.environments." + environment + "." + path.substring("spec.".length());
    }

    /** The closest of {@code candidates} to a mistyped {@code word}, or {@code null} if none is close. */
    static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** Optimal string alignment distance (Levenshtein with transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
