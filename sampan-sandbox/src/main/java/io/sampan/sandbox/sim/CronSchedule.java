package io.sampan.sandbox.sim;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * A CronJob schedule as Kubernetes reads it: five fields (minute, hour, day of month, month, day of
 * week) with {@code *}, {@code ?}, ranges {@code 1-5}, lists {@code 1,15}, steps {@code *}{@code /15}
 * and {@code 10-50/20}, names ({@code JAN}-{@code DEC}, {@code SUN}-{@code SAT}, 7 also Sunday), or
 * one of {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily}
 * ({@code @midnight}), {@code @hourly} and {@code @every 90s}; evaluated in a time zone. When both
 * day fields are restricted, a day matching either runs (as cron does). Across a daylight-saving
 * change the wall-clock times that do not exist are skipped and those that happen twice run twice,
 * as Kubernetes' cron library does.
 */
public final class CronSchedule {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private final String text;
    private final ZoneId zone;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;
    private final Duration every;

    private CronSchedule(String text, ZoneId zone, long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
            boolean anyDayOfMonth, boolean anyDayOfWeek, Duration every) {
        this.text = text;
        this.zone = zone;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
        this.every = every;
    }

    /** Parses a schedule in UTC. */
    public static CronSchedule parse(String schedule) {
        return parse(schedule, null);
    }

    /**
     * Parses a schedule evaluated in {@code timeZone} (an IANA name such as {@code Europe/Berlin};
     * null or empty for UTC).
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static CronSchedule parse(String schedule, String timeZone) {
        ZoneId zone = ZoneOffset.UTC;
        if (timeZone != null && !timeZone.isEmpty()) {
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone " + timeZone);
            }
        }
        String s = schedule == null ? "" : schedule.trim();
        if (s.startsWith("@")) {
            String lower = s.toLowerCase(Locale.ROOT);
            String fields = switch (lower) {
                case "@yearly", "@annually" -> "0 0 1 1 *";
                case "@monthly" -> "0 0 1 * *";
                case "@weekly" -> "0 0 * * 0";
                case "@daily", "@midnight" -> "0 0 * * *";
                case "@hourly" -> "0 * * * *";
                default -> null;
            };
            if (fields == null && lower.startsWith("@every ")) {
                Duration d = duration(s.substring(7).trim(), s);
                return new CronSchedule(s, zone, 0, 0, 0, 0, 0, true, true, d);
            }
            if (fields == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + s);
            }
            return fields(s, fields, zone);
        }
        return fields(s, s, zone);
    }

    private static CronSchedule fields(String text, String s, ZoneId zone) {
        String[] f = s.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + (s.isEmpty() ? 0 : f.length) + ": " + text);
        }
        long dow = field(f[4], 0, 7, 6, DAYS);
        if ((dow & 1L << 7) != 0) {
            dow = (dow | 1L) & ~(1L << 7); // 7 is Sunday too
        }
        return new CronSchedule(text, zone, field(f[0], 0, 59, 59, null), field(f[1], 0, 23, 23, null), field(f[2], 1, 31, 31, null),
                field(f[3], 1, 12, 12, MONTHS), dow, isAny(f[2]), isAny(f[4]), null);
    }

    /** Whether a day field is unrestricted ({@code *} or {@code ?}, without a step): then the other day field alone decides. */
    private static boolean isAny(String f) {
        for (String part : f.split(",")) {
            if (part.equals("*") || part.equals("?") || part.equals("*/1") || part.equals("?/1")) {
                return true;
            }
        }
        return false;
    }

    /** The bits of the values a field allows; {@code top} ends {@code *} and {@code N/step} (below {@code max} for day of week). */
    private static long field(String f, int min, int max, int top, List<String> names) {
        long bits = 0;
        for (String part : f.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty value in field '" + f + "'");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), f);
                if (step <= 0) {
                    throw new IllegalArgumentException("step of range should be a positive number: " + part);
                }
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = top;
            } else {
                int dash = range.indexOf('-');
                from = value(dash < 0 ? range : range.substring(0, dash), names, min, f);
                to = dash < 0 ? (slash >= 0 ? top : from) : value(range.substring(dash + 1), names, min, f);
            }
            if (from < min || to > max || from > to) {
                throw new IllegalArgumentException("value out of range (" + min + "-" + max + "): " + part);
            }
            for (int v = from; v <= to; v += step) {
                bits |= 1L << v;
            }
        }
        return bits;
    }

    private static int value(String v, List<String> names, int min, String field) {
        if (names != null) {
            int i = names.indexOf(v.toUpperCase(Locale.ROOT));
            if (i >= 0) {
                return i + min;
            }
        }
        return number(v, field);
    }

    private static int number(String v, String field) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse '" + v + "' in field '" + field + "'");
        }
    }

    private static Duration duration(String v, String whole) {
        try {
            return Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("failed to parse duration " + whole);
        }
    }

    /** Whether the times count from the previous one ({@code @every}) rather than from the calendar. */
    boolean relative() {
        return every != null;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first scheduled time strictly after {@code after} (whole minutes; null if none within five years). */
    public Instant next(Instant after) {
        if (every != null) {
            long step = Math.max(1, every.getSeconds());
            return after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(step);
        }
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if ((months & 1L << t.getMonthValue()) == 0) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay(zone);
                continue;
            }
            if ((hours & 1L << t.getHour()) == 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if ((minutes & 1L << t.getMinute()) == 0) {
                t = t.plusMinutes(1);
                continue;
            }
            return t.toInstant();
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = (daysOfMonth & 1L << t.getDayOfMonth()) != 0;
        boolean dow = (daysOfWeek & 1L << (t.getDayOfWeek().getValue() % 7)) != 0;
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return text + (zone.equals(ZoneOffset.UTC) ? "" : " (" + zone + ")");
    }
}
