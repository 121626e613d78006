package io.sampan.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in app.yaml: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2h}. */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?(?:(\\d{1,7})s)?");

    private DurationText() {
    }

    public static Optional<Duration> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
            return Optional.empty();
        }
        long seconds = part(m.group(1)) * 3600 + part(m.group(2)) * 60 + part(m.group(3));
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private static long part(String g) {
        return g == null ? 0 : Long.parseLong(g);
    }
}
