package io.sampan.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Fault injection for the sandbox's API: requests whose method and path match a rule are answered
 * with an error (a {@code Status} with that code), delayed, or the connection is dropped, a given
 * number of times or until cleared. Tests use it to see what a client does when its cluster
 * misbehaves; {@link #down} makes the whole API unreachable-like (every request fails).
 */
public final class Faults {
    /** What happens to a matching request. */
    public enum Effect { ERROR, DELAY, DROP }

    record Rule(String method, Pattern path, Effect effect, int code, Duration delay, AtomicInteger remaining) {
        boolean matches(String m, String p) {
            return (method == null || method.equalsIgnoreCase(m)) && path.matcher(p).find();
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** The next {@code times} requests matching (method may be null for any; path a regex found in the path) get {@code code}. */
    public Faults fail(String method, String pathRegex, int code, int times) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), Effect.ERROR, code, Duration.ZERO, new AtomicInteger(times)));
        return this;
    }

    /** Matching requests wait {@code delay} first ({@code times} of them; -1 for all until cleared). */
    public Faults delay(String method, String pathRegex, Duration delay, int times) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), Effect.DELAY, 0, delay, new AtomicInteger(times)));
        return this;
    }

    /** Matching requests have their connection closed without an answer. */
    public Faults drop(String method, String pathRegex, int times) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), Effect.DROP, 0, Duration.ZERO, new AtomicInteger(times)));
        return this;
    }

    /** Every request fails with 503 until {@link #clear}: the cluster looks down. */
    public Faults down() {
        return fail(null, ".", 503, -1);
    }

    public void clear() {
        rules.clear();
    }

    /** The rule that applies to this request now, consuming one of its times; null when none. */
    Rule take(String method, String path) {
        for (Rule r : rules) {
            if (r.matches(method, path)) {
                int left = r.remaining().get();
                if (left < 0) {
                    return r;
                }
                if (left > 0 && r.remaining().compareAndSet(left, left - 1)) {
                    if (left == 1) {
                        rules.remove(r);
                    }
                    return r;
                }
            }
        }
        return null;
    }
}
