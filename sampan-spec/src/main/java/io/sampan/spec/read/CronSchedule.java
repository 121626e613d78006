package io.sampan.spec.read;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a Kubernetes CronJob schedule: five fields, or a macro such as {@code @daily}. Day of week is
 * 0-6 (Sunday is 0): the controller's parser rejects 7.
 */
final class CronSchedule {
    private static final Set<String> MACROS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    private static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private CronSchedule() {
    }

    /** {@code null} when valid, else what is wrong. */
    static String problem(String schedule) {
        String s = schedule.trim();
        if (s.startsWith("@")) {
            return MACROS.contains(s) ? null : "unknown schedule macro \"" + s + "\"";
        }
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            return "time zones go in `timezone`, not in the schedule";
        }
        String[] fields = s.split("\\s+");
        if (fields.length != 5) {
            return "expected 5 fields (minute hour day-of-month month day-of-week), got " + fields.length;
        }
        for (int i = 0; i < 5; i++) {
            for (String part : fields[i].split(",", -1)) {
                if (!validPart(part, i)) {
                    return "the " + FIELD_NAMES[i] + " field \"" + fields[i] + "\" is not valid (allowed " + RANGES[i][0] + "-" + RANGES[i][1] + ")";
                }
            }
        }
        return null;
    }

    private static boolean validPart(String part, int field) {
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            String step = part.substring(slash + 1);
            if (!step.matches("\\d{1,2}") || Integer.parseInt(step) == 0) {
                return false;
            }
            range = part.substring(0, slash);
        }
        if (range.equals("*") || (field == 2 || field == 4) && range.equals("?")) {
            return true;
        }
        String[] bounds = range.split("-", -1);
        if (bounds.length > 2) {
            return false;
        }
        int lo = value(bounds[0], field);
        int hi = bounds.length == 2 ? value(bounds[1], field) : lo;
        return lo >= 0 && hi >= 0 && lo <= hi;
    }

    private static int value(String text, int field) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (field == 3 && MONTHS.contains(upper)) {
            return MONTHS.indexOf(upper) + 1;
        }
        if (field == 4 && DAYS.contains(upper)) {
            return DAYS.indexOf(upper);
        }
        if (!text.matches("\\d{1,2}")) {
            return -1;
        }
        int v = Integer.parseInt(text);
        return v >= RANGES[field][0] && v <= RANGES[field][1] ? v : -1;
    }
}
