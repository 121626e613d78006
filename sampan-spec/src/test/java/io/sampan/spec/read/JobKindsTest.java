package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.errorLines;
import static io.sampan.spec.read.Docs.onlyError;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.JobSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Jobs: exactly one of trigger, schedule or broadcast; cron schedules; time zones; concurrency. */
class JobKindsTest {

    /** A document with one job {@code j} whose fields start at line 7, column 7. */
    private static String job(String fields) {
        return app("jobs:\n  j:\n" + fields.indent(4));
    }

    @Test
    void aJobNeedsAKind() {
        assertThat(onlyError(job("image: r/a:1")).format()).isEqualTo("""
                app.yaml:7:7: error: spec.jobs.j: a job needs one of trigger, schedule or broadcast
                    hint: `trigger: pre-release` runs it before each release, `schedule: "0 2 * * *"` on a timetable, \
                `broadcast: true` once on every node""");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "trigger: pre-release\nschedule: \"0 2 * * *\"",
        "trigger: pre-release\nbroadcast: true",
        "schedule: \"0 2 * * *\"\nbroadcast: true",
        "trigger: post-release\nschedule: \"@daily\"\nbroadcast: true"})
    void aJobTakesOnlyOneKind(String kinds) {
        assertThat(errorLines(job("image: r/a:1\n" + kinds)))
                .containsExactly("app.yaml:7:7: error: spec.jobs.j: a job takes only one of trigger, schedule or broadcast");
    }

    @Test
    void broadcastFalseIsNotAKind() {
        assertThat(errorLines(job("image: r/a:1\ntrigger: pre-release\nbroadcast: false"))).isEmpty();
        assertThat(errorLines(job("image: r/a:1\nbroadcast: false")))
                .containsExactly("app.yaml:7:7: error: spec.jobs.j: a job needs one of trigger, schedule or broadcast");
    }

    @Test
    void eachKindBinds() {
        var jobs = Docs.resolve(app("""
                jobs:
                  migrate: {image: "r/a:1", trigger: pre-release}
                  notify: {image: "r/a:1", trigger: post-release}
                  report: {image: "r/a:1", schedule: "0 2 * * *", timezone: Asia/Shanghai}
                  warmup: {image: "r/a:1", broadcast: true}
                """)).jobs();
        assertThat(jobs.get("migrate").kind()).isEqualTo(JobSpec.Kind.TRIGGERED);
        assertThat(jobs.get("migrate").trigger()).isEqualTo(JobSpec.Trigger.PRE_RELEASE);
        assertThat(jobs.get("notify").trigger()).isEqualTo(JobSpec.Trigger.POST_RELEASE);
        assertThat(jobs.get("report").kind()).isEqualTo(JobSpec.Kind.SCHEDULED);
        assertThat(jobs.get("report").schedule()).isEqualTo("0 2 * * *");
        assertThat(jobs.get("report").timezone()).isEqualTo("Asia/Shanghai");
        assertThat(jobs.get("warmup").kind()).isEqualTo(JobSpec.Kind.BROADCAST);
    }

    @Test
    void defaults() {
        JobSpec j = Docs.resolve(job("image: r/a:1\nschedule: \"@hourly\"")).jobs().get("j");
        assertThat(j.retries()).isEqualTo(3);
        assertThat(j.concurrency()).isEqualTo(JobSpec.Concurrency.FORBID);
        assertThat(j.deadline()).isNull();
        assertThat(j.timezone()).isNull();
        assertThat(j.resources().cpu().millis()).isEqualTo(500);
        assertThat(j.resources().memory().mebibytes()).isEqualTo(512);
        assertThat(j.placement().isEmpty()).isTrue();
    }

    @Test
    void everyFieldBinds() {
        JobSpec j = Docs.resolve(app("""
                services: {api: {image: "r/a:1", port: 80}}
                addons: {db: {type: mysql}}
                jobs:
                  j:
                    image: r/a:1
                    command: [python, manage.py]
                    args: [report]
                    schedule: "*/5 * * * *"
                    concurrency: replace
                    retries: 0
                    deadline: 1h30m
                    resources: {cpu: 250m, memory: 1Gi}
                    env: {MODE: nightly}
                    dependsOn: [api]
                    addons: [db]
                    placement: {nodeSelector: {pool: batch}}
                """)).jobs().get("j");
        assertThat(j.command()).containsExactly("python", "manage.py");
        assertThat(j.args()).containsExactly("report");
        assertThat(j.concurrency()).isEqualTo(JobSpec.Concurrency.REPLACE);
        assertThat(j.concurrency().kubernetes()).isEqualTo("Replace");
        assertThat(j.retries()).isZero();
        assertThat(j.deadline()).isEqualTo(Duration.ofMinutes(90));
        assertThat(j.resources().cpu().toKubernetes()).isEqualTo("250m");
        assertThat(j.env()).containsEntry("MODE", "nightly");
        assertThat(j.dependsOn()).containsExactly("api");
        assertThat(j.addons()).containsExactly("db");
        assertThat(j.placement().nodeSelector()).containsEntry("pool", "batch");
    }

    @Test
    void anUnknownTrigger() {
        assertThat(onlyError(job("image: r/a:1\ntrigger: before-release")).format()).isEqualTo("""
                app.yaml:8:16: error: spec.jobs.j.trigger: unknown trigger "before-release"
                    hint: one of pre-release, post-release""");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", "*/15 * * * *", "0 0-6,22-23 * * *", "30 4 1,15 * MON-FRI", "0 9 ? JAN-MAR sun",
        "5/10 * * * *", "0 0 31 12 6", "0 0 1 */2 0", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
        "  0 2 * * *  "})
    void validSchedules(String schedule) {
        assertThat(errorLines(job("image: r/a:1\nschedule: \"" + schedule + "\""))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 2 * *         | expected 5 fields (minute hour day-of-month month day-of-week), got 4
            0 0 2 * * *     | expected 5 fields (minute hour day-of-month month day-of-week), got 6
            60 2 * * *      | the minute field "60" is not valid (allowed 0-59)
            0 24 * * *      | the hour field "24" is not valid (allowed 0-23)
            0 2 0 * *       | the day of month field "0" is not valid (allowed 1-31)
            0 2 * 13 *      | the month field "13" is not valid (allowed 1-12)
            0 2 * * 7       | the day of week field "7" is not valid (allowed 0-6)
            0 2 * * FUNDAY  | the day of week field "FUNDAY" is not valid (allowed 0-6)
            ? 2 * * *       | the minute field "?" is not valid (allowed 0-59)
            */0 * * * *     | the minute field "*/0" is not valid (allowed 0-59)
            0 5-2 * * *     | the hour field "5-2" is not valid (allowed 0-23)
            0 1-2-3 * * *   | the hour field "1-2-3" is not valid (allowed 0-23)
            0 2,,3 * * *    | the hour field "2,,3" is not valid (allowed 0-23)
            0 2 * JAN-13 *  | the month field "JAN-13" is not valid (allowed 1-12)
            @fortnightly    | unknown schedule macro "@fortnightly"
            @every 1h       | unknown schedule macro "@every 1h"
            TZ=UTC 0 2 * * *      | time zones go in `timezone`, not in the schedule
            CRON_TZ=UTC 0 2 * * * | time zones go in `timezone`, not in the schedule
            """)
    void invalidSchedules(String schedule, String message) {
        assertThat(onlyError(job("image: r/a:1\nschedule: \"" + schedule + "\"")).format()).isEqualTo(
                "app.yaml:8:17: error: spec.jobs.j.schedule: " + message
                        + "\n    hint: for example `schedule: \"0 2 * * *\"` (every day at 02:00)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Shanghai", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT-8"})
    void ianaTimeZones(String zone) {
        assertThat(errorLines(job("image: r/a:1\nschedule: \"@daily\"\ntimezone: " + zone))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "+08:00", "GMT+8", "UTC+8", "Z", "CST", "asia/shanghai"})
    void otherTimeZonesAreRejectedAsKubernetesWould(String zone) {
        assertThat(onlyError(job("image: r/a:1\nschedule: \"@daily\"\ntimezone: \"" + zone + "\"")).format()).isEqualTo(
                "app.yaml:9:17: error: spec.jobs.j.timezone: unknown time zone \"" + zone + "\"\n"
                        + "    hint: use an IANA name such as `Asia/Shanghai` or `UTC`");
    }

    @Test
    void aTimeZoneNeedsASchedule() {
        assertThat(onlyError(job("image: r/a:1\ntrigger: pre-release\ntimezone: UTC")).format()).isEqualTo("""
                app.yaml:9:17: error: spec.jobs.j.timezone: a time zone only applies to a scheduled job
                    hint: add `schedule:` or remove `timezone`""");
    }

    @Test
    void concurrencyNeedsAScheduleAndAKnownValue() {
        assertThat(onlyError(job("image: r/a:1\nbroadcast: true\nconcurrency: allow")).format()).isEqualTo("""
                app.yaml:9:20: error: spec.jobs.j.concurrency: concurrency only applies to a scheduled job
                    hint: add `schedule:` or remove it""");
        assertThat(onlyError(job("image: r/a:1\nschedule: \"@daily\"\nconcurrency: Forbid")).format()).isEqualTo("""
                app.yaml:9:20: error: spec.jobs.j.concurrency: unknown concurrency "Forbid"
                    hint: one of forbid, allow, replace""");
    }

    @Test
    void jobNamesMustLeaveRoomForTheObjectNames() {
        String app = "a".repeat(40);
        String yaml = """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  jobs:
                    nightly-report: {image: "r/a:1", schedule: "@daily"}
                    migrate-db-now: {image: "r/a:1", trigger: pre-release}
                    nightly-rep: {image: "r/a:1", schedule: "@daily"}
                    migrate-db-no: {image: "r/a:1", trigger: pre-release}
                """.formatted(app);
        assertThat(Docs.errors(yaml)).extracting(p -> p.path() + ": " + p.message()).containsExactly(
                "spec.jobs.nightly-report: the job's object name (app \"" + app + "\" + job \"nightly-report\") would be 55 characters, "
                        + "more than Kubernetes allows (52)",
                "spec.jobs.migrate-db-now: the job's object name (app \"" + app + "\" + job \"migrate-db-now\") would be 64 characters, "
                        + "more than Kubernetes allows (63)");
    }
}
