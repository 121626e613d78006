package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CronJobs starting Jobs on their schedule, on a manual clock (the cluster starts at 2026-11-24T10:00:00Z). */
class CronJobSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));

    @AfterEach
    void close() {
        c.close();
    }

    static String cronJob(String schedule, String extra, String behavior) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick}
                spec:
                  schedule: "%s"
                  %s
                  jobTemplate:
                    metadata:
                      labels: {app: tick}
                    spec:
                      template:
                        metadata:
                          annotations: {sandbox.sampan.io/behavior: "%s"}
                        spec:
                          restartPolicy: OnFailure
                          containers: [{name: tick, image: busybox:1.36}]
                """.formatted(schedule, extra.replace("\n", "\n  "), behavior);
    }

    /** The name the CronJob gives the Job of a scheduled time. */
    static String jobName(String time) {
        return "tick-" + Instant.parse(time).getEpochSecond() / 60;
    }

    List<String> jobs() {
        return c.api.list(Kinds.JOB, "default", j -> true).stream().map(Meta::name).sorted().collect(Collectors.toList());
    }

    JsonNode status() {
        return c.get(Kinds.CRONJOB, "tick").path("status");
    }

    static List<String> messages(List<ObjectNode> events) {
        return events.stream().map(e -> e.path("message").asText()).collect(Collectors.toList());
    }

    @Test
    void aCronJobRunsEveryMinuteAndKeepsThreeSuccessfulJobs() {
        ObjectNode cj = c.apply(cronJob("* * * * *", "", "run-seconds=5"));
        assertThat(cj.path("spec").path("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cj.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Allow");
        c.advance(Duration.ofSeconds(59));
        assertThat(jobs()).isEmpty();
        c.advance(Duration.ofSeconds(1));
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:01:00Z"));
        ObjectNode job = c.get(Kinds.JOB, jobName("2026-11-24T10:01:00Z"));
        assertThat(Meta.annotation(job, "batch.kubernetes.io/cronjob-scheduled-timestamp")).isEqualTo("2026-11-24T10:01:00Z");
        assertThat(Meta.labels(job)).containsEntry("app", "tick");
        assertThat(Meta.controllerKind(job)).isEqualTo("CronJob");
        assertThat(status().path("active")).hasSize(1);
        assertThat(status().path("active").path(0).path("name").asText()).isEqualTo(Meta.name(job));
        assertThat(status().path("lastScheduleTime").asText()).isEqualTo("2026-11-24T10:01:00Z");

        c.advance(Duration.ofSeconds(5));
        assertThat(Meta.conditionTrue(c.get(Kinds.JOB, Meta.name(job)), "Complete")).isTrue();
        assertThat(status().path("active").size()).isZero();
        assertThat(status().path("lastSuccessfulTime").asText()).isEqualTo("2026-11-24T10:01:05Z");
        assertThat(messages(c.events("SawCompletedJob"))).containsExactly("Saw completed job: " + Meta.name(job) + ", status: Complete");

        c.advance(Duration.ofMinutes(5).minusSeconds(5)); // 10:06:00, six runs
        c.advance(Duration.ofSeconds(5));
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:04:00Z"), jobName("2026-11-24T10:05:00Z"), jobName("2026-11-24T10:06:00Z"));
        assertThat(c.events("SuccessfulCreate").stream().filter(e -> e.path("involvedObject").path("kind").asText().equals("CronJob")))
                .hasSize(6);
        assertThat(messages(c.events("SuccessfulDelete"))).contains("Deleted job " + jobName("2026-11-24T10:01:00Z"),
                "Deleted job " + jobName("2026-11-24T10:03:00Z"));
        assertThat(status().path("lastScheduleTime").asText()).isEqualTo("2026-11-24T10:06:00Z");
        // the deleted Jobs' pods went with them
        assertThat(c.api.list(Kinds.POD, "default", p -> true)).hasSize(3);
    }

    @Test
    void forbidSkipsARunWhileThePreviousJobStillRuns() {
        c.apply(cronJob("* * * * *", "concurrencyPolicy: Forbid", "run-seconds=150"));
        c.advance(Duration.ofMinutes(1)); // 10:01 starts, runs until 10:03:30
        c.advance(Duration.ofMinutes(2)); // 10:02 and 10:03 find it running
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:01:00Z"));
        List<ObjectNode> skipped = c.events("JobAlreadyActive");
        assertThat(skipped).singleElement().satisfies(e -> {
            assertThat(e.path("count").asInt()).isEqualTo(2);
            assertThat(e.path("message").asText()).isEqualTo("Not starting job because prior execution is running and concurrency policy is Forbid");
        });
        // as in Kubernetes, the latest missed time runs once the previous Job finished (no startingDeadlineSeconds)
        c.advance(Duration.ofSeconds(30));
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:01:00Z"), jobName("2026-11-24T10:03:00Z"));
        assertThat(status().path("lastScheduleTime").asText()).isEqualTo("2026-11-24T10:03:00Z");
    }

    @Test
    void replaceDeletesTheRunningJobForTheNewOne() {
        c.apply(cronJob("* * * * *", "concurrencyPolicy: Replace", "run-seconds=90"));
        c.advance(Duration.ofMinutes(1));
        String first = jobName("2026-11-24T10:01:00Z");
        assertThat(jobs()).containsExactly(first);
        c.advance(Duration.ofMinutes(1));
        String second = jobName("2026-11-24T10:02:00Z");
        assertThat(jobs()).containsExactly(second);
        assertThat(messages(c.events("SuccessfulDelete"))).contains("Deleted job " + first);
        assertThat(status().path("active")).hasSize(1);
        assertThat(status().path("active").path(0).path("name").asText()).isEqualTo(second);
        assertThat(c.api.list(Kinds.POD, "default", p -> first.equals(Meta.labels(p).get("job-name")))).isEmpty();
    }

    @Test
    void aScheduleInATimeZone() {
        c.apply(cronJob("2 11 * * *", "timeZone: Europe/Berlin", "run-seconds=1"));
        c.advance(Duration.ofMinutes(1));
        assertThat(jobs()).isEmpty();
        c.advance(Duration.ofMinutes(1)); // 11:02 in Berlin is 10:02 UTC
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:02:00Z"));
        assertThat(Meta.annotation(c.get(Kinds.JOB, jobName("2026-11-24T10:02:00Z")), "batch.kubernetes.io/cronjob-scheduled-timestamp"))
                .isEqualTo("2026-11-24T11:02:00+01:00");
    }

    @Test
    void aResumedCronJobDoesNotStartARunPastItsStartingDeadline() {
        c.apply(cronJob("*/5 * * * *", "suspend: true\nstartingDeadlineSeconds: 30", "run-seconds=1"));
        c.advance(Duration.ofMinutes(5).plusSeconds(45));
        assertThat(jobs()).isEmpty();
        ObjectNode cj = c.get(Kinds.CRONJOB, "tick");
        cj.with("spec").put("suspend", false);
        c.api.update(Kinds.CRONJOB, cj);
        c.sim.awaitIdle();
        assertThat(jobs()).isEmpty(); // 10:05 is more than 30 s ago: not started late
        c.advance(Duration.ofMinutes(5).minusSeconds(45));
        assertThat(jobs()).containsExactly(jobName("2026-11-24T10:10:00Z"));
    }

    @Test
    void afterALongSuspensionOnlyTheLatestMissedRunStarts() {
        c.apply(cronJob("* * * * *", "suspend: true", "run-seconds=1"));
        c.sim.advance(Duration.ofDays(30).plusSeconds(30)); // one jump: 43,200 missed minutes
        ObjectNode cj = c.get(Kinds.CRONJOB, "tick");
        cj.with("spec").put("suspend", false);
        long started = System.nanoTime();
        c.api.update(Kinds.CRONJOB, cj);
        c.sim.awaitIdle();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(jobs()).containsExactly(jobName("2026-12-24T10:00:00Z"));
        assertThat(status().path("lastScheduleTime").asText()).isEqualTo("2026-12-24T10:00:00Z");
    }

    @Test
    void theApiServerRefusesAnInvalidScheduleTimeZoneOrRestartPolicy() {
        assertThatThrownBy(() -> c.apply(cronJob("61 * * * *", "", "run-seconds=1"))).isInstanceOf(io.sampan.sandbox.ApiError.class)
                .hasMessageStartingWith("CronJob \"tick\" is invalid: spec.schedule: Invalid value: \"61 * * * *\": value out of range");
        assertThatThrownBy(() -> c.apply(cronJob("* * * * *", "timeZone: Mars/Olympus", "run-seconds=1")))
                .hasMessageContaining("spec.timeZone: Invalid value: \"Mars/Olympus\"");
        assertThatThrownBy(() -> c.apply(cronJob("* * * * *", "", "run-seconds=1").replace("restartPolicy: OnFailure", "restartPolicy: Always")))
                .hasMessageContaining("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\"");
        assertThat(c.api.list(Kinds.CRONJOB, "default", x -> true)).isEmpty();
    }

    @Test
    void aScheduleThatCannotBeReadIsAWarningOnTheCronJob() {
        c.apply(cronJob("* * * * *", "", "run-seconds=1"));
        ObjectNode cj = c.get(Kinds.CRONJOB, "tick");
        cj.with("spec").put("schedule", "* * *"); // updates are not validated by the sandbox
        c.api.update(Kinds.CRONJOB, cj);
        c.sim.awaitIdle();
        assertThat(c.events("UnparseableSchedule")).singleElement()
                .satisfies(e -> assertThat(e.path("message").asText()).startsWith("unparseable schedule: \"* * *\" : expected exactly 5 fields"));
        c.advance(Duration.ofMinutes(2));
        assertThat(jobs()).isEmpty();
    }
}
