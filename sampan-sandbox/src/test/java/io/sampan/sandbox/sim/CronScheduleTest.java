package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron schedules as CronJobs read them. */
class CronScheduleTest {
    static final Instant MONDAY = Instant.parse("2026-11-23T10:07:30Z"); // a Monday

    static List<String> times(String schedule, String zone, Instant from, int n) {
        CronSchedule s = CronSchedule.parse(schedule, zone);
        List<String> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = s.next(t);
            out.add(t.toString());
        }
        return out;
    }

    @Test
    void everyMinuteAndSteps() {
        assertThat(times("* * * * *", null, MONDAY, 2)).containsExactly("2026-11-23T10:08:00Z", "2026-11-23T10:09:00Z");
        assertThat(times("*/15 * * * *", null, MONDAY, 3)).containsExactly("2026-11-23T10:15:00Z", "2026-11-23T10:30:00Z",
                "2026-11-23T10:45:00Z");
        assertThat(times("10-50/20 * * * *", null, MONDAY, 3)).containsExactly("2026-11-23T10:10:00Z", "2026-11-23T10:30:00Z",
                "2026-11-23T10:50:00Z");
        assertThat(times("5/30 9 * * *", null, MONDAY, 2)).containsExactly("2026-11-24T09:05:00Z", "2026-11-24T09:35:00Z");
        // a time exactly on the schedule is not "after" itself
        assertThat(times("8 10 * * *", null, Instant.parse("2026-11-23T10:08:00Z"), 1)).containsExactly("2026-11-24T10:08:00Z");
    }

    @Test
    void listsRangesAndNames() {
        assertThat(times("0 9,17 * * MON-FRI", null, MONDAY, 3)).containsExactly("2026-11-23T17:00:00Z", "2026-11-24T09:00:00Z",
                "2026-11-24T17:00:00Z");
        assertThat(times("0 0 * * sat,SUN", null, MONDAY, 2)).containsExactly("2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z");
        assertThat(times("0 0 * * 7", null, MONDAY, 1)).containsExactly("2026-11-29T00:00:00Z");
        assertThat(times("0 12 1 JAN,jul *", null, MONDAY, 2)).containsExactly("2027-01-01T12:00:00Z", "2027-07-01T12:00:00Z");
        // both day fields restricted: either matches (the 1st, or any Friday)
        assertThat(times("0 0 1 * FRI", null, MONDAY, 3)).containsExactly("2026-11-27T00:00:00Z", "2026-12-01T00:00:00Z",
                "2026-12-04T00:00:00Z");
        // a step in the day of month still restricts it
        assertThat(times("0 0 */10 * MON", null, MONDAY, 2)).containsExactly("2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z");
        assertThat(times("0 0 29 2 *", null, MONDAY, 1)).containsExactly("2028-02-29T00:00:00Z");
    }

    @Test
    void descriptors() {
        assertThat(times("@hourly", null, MONDAY, 1)).containsExactly("2026-11-23T11:00:00Z");
        assertThat(times("@daily", null, MONDAY, 1)).containsExactly("2026-11-24T00:00:00Z");
        assertThat(times("@midnight", null, MONDAY, 1)).containsExactly("2026-11-24T00:00:00Z");
        assertThat(times("@weekly", null, MONDAY, 1)).containsExactly("2026-11-29T00:00:00Z");
        assertThat(times("@monthly", null, MONDAY, 1)).containsExactly("2026-12-01T00:00:00Z");
        assertThat(times("@yearly", null, MONDAY, 1)).containsExactly("2027-01-01T00:00:00Z");
        assertThat(times("@annually", null, MONDAY, 1)).containsExactly("2027-01-01T00:00:00Z");
        assertThat(times("@every 90s", null, Instant.parse("2026-11-23T10:00:00Z"), 2)).containsExactly("2026-11-23T10:01:30Z",
                "2026-11-23T10:03:00Z");
    }

    @Test
    void timeZones() {
        // 09:00 in Berlin is 08:00 UTC in winter (CET, +01:00)
        assertThat(times("0 9 * * *", "Europe/Berlin", MONDAY, 1)).containsExactly("2026-11-24T08:00:00Z");
        assertThat(times("0 9 * * *", "Asia/Kolkata", MONDAY, 1)).containsExactly("2026-11-24T03:30:00Z");
        assertThat(CronSchedule.parse("@daily", "America/New_York").zone().getId()).isEqualTo("America/New_York");
    }

    @Test
    void daylightSavingChanges() {
        // New York springs forward on 2026-03-08 at 02:00: 02:30 does not exist that day and is skipped
        assertThat(times("30 2 * * *", "America/New_York", Instant.parse("2026-03-07T12:00:00Z"), 2))
                .containsExactly("2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z");
        // 03:30 still runs, an hour closer in UTC
        assertThat(times("30 3 * * *", "America/New_York", Instant.parse("2026-03-07T12:00:00Z"), 2))
                .containsExactly("2026-03-08T07:30:00Z", "2026-03-09T07:30:00Z");
        // it falls back on 2026-11-01 at 02:00: 01:30 happens twice, and runs twice
        assertThat(times("30 1 * * *", "America/New_York", Instant.parse("2026-10-31T12:00:00Z"), 3))
                .containsExactly("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z");
    }

    @Test
    void invalidSchedulesSayWhy() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageContaining("expected exactly 5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("60 * * * *")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> CronSchedule.parse("* * * FOO *")).hasMessageContaining("failed to parse 'FOO'");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessageContaining("positive");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessageContaining("unrecognized descriptor");
        assertThatThrownBy(() -> CronSchedule.parse("@daily", "Mars/Olympus")).hasMessageContaining("unknown time zone Mars/Olympus");
        assertThat(CronSchedule.parse("0 0 30 2 *").next(MONDAY)).isNull();
    }
}
