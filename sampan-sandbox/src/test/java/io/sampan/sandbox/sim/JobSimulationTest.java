package io.sampan.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import io.sampan.sandbox.SandboxCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs run to completion by the simulated kubelets, on a manual clock. */
class JobSimulationTest {
    SimCluster c = new SimCluster(NodeProfile.uniform(3, List.of("a", "b", "c")));

    @AfterEach
    void close() {
        c.close();
    }

    static String job(String name, String spec, String behavior) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s}
                spec:
                  %s
                  template:
                    metadata:
                      annotations: {sandbox.sampan.io/behavior: "%s"}
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: busybox:1.36}]
                """.formatted(name, spec.replace("\n", "\n  "), behavior);
    }

    JsonNode status(String name) {
        return c.get(Kinds.JOB, name).path("status");
    }

    List<ObjectNode> pods(String job) {
        return c.pods("job-name", job);
    }

    static List<String> conditionTypes(JsonNode job) {
        List<String> out = new java.util.ArrayList<>();
        job.path("status").path("conditions").forEach(x -> out.add(x.path("type").asText() + "=" + x.path("status").asText()));
        return out;
    }

    @Test
    void aJobOfThreeCompletionsTwoAtATimeCompletes() {
        ObjectNode created = c.apply(job("batch", "completions: 3\nparallelism: 2\nttlSecondsAfterFinished: 100", "run-seconds=5"));
        // defaulted as the API server does
        JsonNode spec = created.path("spec");
        assertThat(spec.path("backoffLimit").asInt()).isEqualTo(6);
        assertThat(spec.path("completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(spec.path("selector").path("matchLabels").path("batch.kubernetes.io/controller-uid").asText()).isEqualTo(Meta.uid(created));
        List<ObjectNode> first = pods("batch");
        assertThat(first).hasSize(2);
        assertThat(first).allSatisfy(p -> {
            assertThat(Meta.labels(p)).containsEntry("batch.kubernetes.io/job-name", "batch").containsEntry("controller-uid", Meta.uid(created))
                    .containsEntry("batch.kubernetes.io/controller-uid", Meta.uid(created));
            assertThat(Meta.controllerKind(p)).isEqualTo("Job");
            assertThat(Meta.name(p)).startsWith("batch-");
        });
        JsonNode running = status("batch");
        assertThat(running.path("active").asInt()).isEqualTo(2);
        assertThat(running.path("ready").asInt()).isEqualTo(2);
        assertThat(running.path("startTime").asText()).isEqualTo("2026-11-24T10:00:00Z");

        c.advance(Duration.ofSeconds(5));
        JsonNode half = status("batch");
        assertThat(half.path("succeeded").asInt()).isEqualTo(2);
        assertThat(half.path("active").asInt()).isEqualTo(1);
        assertThat(pods("batch")).hasSize(3);

        c.advance(Duration.ofSeconds(5));
        ObjectNode done = c.get(Kinds.JOB, "batch");
        assertThat(done.path("status").path("succeeded").asInt()).isEqualTo(3);
        assertThat(done.path("status").path("active").asInt(0)).isZero();
        assertThat(done.path("status").path("failed").asInt(0)).isZero();
        assertThat(done.path("status").path("completionTime").asText()).isEqualTo("2026-11-24T10:00:10Z");
        assertThat(conditionTypes(done)).containsExactly("SuccessCriteriaMet=True", "Complete=True");
        assertThat(Meta.condition(done, "Complete").path("reason").asText()).isEqualTo("CompletionsReached");
        assertThat(c.events("SuccessfulCreate").stream().filter(e -> e.path("involvedObject").path("kind").asText().equals("Job"))).hasSize(3);
        assertThat(c.events("Completed")).singleElement().satisfies(e -> assertThat(e.path("message").asText()).isEqualTo("Job completed"));
        assertThat(pods("batch")).hasSize(3).allSatisfy(p -> assertThat(p.path("status").path("phase").asText()).isEqualTo("Succeeded"));

        // ttlSecondsAfterFinished: the Job and its pods go 100 s after it finished
        c.advance(Duration.ofSeconds(99));
        assertThat(c.api.get(Kinds.JOB, "default", "batch")).isPresent();
        c.advance(Duration.ofSeconds(1));
        assertThat(c.api.get(Kinds.JOB, "default", "batch")).isEmpty();
        assertThat(pods("batch")).isEmpty();
    }

    @Test
    void aFailingJobIsRetriedWithBackoffUntilItsBackoffLimit() {
        c.apply(job("flaky", "backoffLimit: 2", "run-seconds=1,exit-code=1"));
        c.advance(Duration.ofSeconds(1));
        assertThat(status("flaky").path("failed").asInt()).isEqualTo(1);
        assertThat(pods("flaky")).hasSize(1); // waiting out the 10 s backoff
        c.advance(Duration.ofSeconds(10));
        assertThat(pods("flaky")).hasSize(2);
        c.advance(Duration.ofSeconds(1));
        assertThat(status("flaky").path("failed").asInt()).isEqualTo(2);
        c.advance(Duration.ofSeconds(19));
        assertThat(pods("flaky")).hasSize(2); // second backoff is 20 s
        c.advance(Duration.ofSeconds(1));
        assertThat(pods("flaky")).hasSize(3);
        c.advance(Duration.ofSeconds(1));
        ObjectNode job = c.get(Kinds.JOB, "flaky");
        assertThat(job.path("status").path("failed").asInt()).isEqualTo(3);
        assertThat(conditionTypes(job)).containsExactly("FailureTarget=True", "Failed=True");
        assertThat(Meta.condition(job, "Failed").path("reason").asText()).isEqualTo("BackoffLimitExceeded");
        assertThat(Meta.condition(job, "Failed").path("message").asText()).isEqualTo("Job has reached the specified backoff limit");
        assertThat(c.events("BackoffLimitExceeded")).singleElement()
                .satisfies(e -> assertThat(e.path("type").asText()).isEqualTo("Warning"));
        c.advance(Duration.ofMinutes(5));
        assertThat(pods("flaky")).hasSize(3); // no more retries
    }

    @Test
    void withRestartPolicyOnFailureContainerRestartsCountAgainstTheBackoffLimit() {
        c.apply(job("restarts", "backoffLimit: 2", "run-seconds=1,exit-code=1").replace("restartPolicy: Never", "restartPolicy: OnFailure"));
        c.advance(Duration.ofSeconds(1));
        assertThat(PodTemplates.restarts(pods("restarts").get(0))).isEqualTo(1);
        assertThat(Meta.conditionTrue(c.get(Kinds.JOB, "restarts"), "Failed")).isFalse();
        c.advance(Duration.ofSeconds(11)); // restarted after the kubelet's 10 s back-off, failed again
        ObjectNode job = c.get(Kinds.JOB, "restarts");
        assertThat(Meta.condition(job, "Failed").path("reason").asText()).isEqualTo("BackoffLimitExceeded");
        assertThat(job.path("status").path("failed").asInt()).isEqualTo(1);
        assertThat(pods("restarts")).isEmpty();
    }

    @Test
    void aPodFailurePolicyFailsTheJobOnAnExitCodeAndIgnoresOthers() {
        String policy = """
                podFailurePolicy:
                  rules:
                  - action: Ignore
                    onExitCodes: {operator: In, values: [3]}
                  - action: FailJob
                    onExitCodes: {containerName: work, operator: In, values: [42]}""";
        c.apply(job("ignored", "backoffLimit: 0\n" + policy, "run-seconds=1,exit-code=3"));
        c.advance(Duration.ofSeconds(1));
        ObjectNode ignored = c.get(Kinds.JOB, "ignored");
        assertThat(JobController.finished(ignored)).isFalse(); // exit code 3 does not count, even with backoffLimit 0
        assertThat(ignored.path("status").path("failed").asInt(0)).isZero();
        assertThat(pods("ignored")).hasSize(2); // replaced at once

        c.apply(job("fatal", policy, "run-seconds=1,exit-code=42"));
        c.advance(Duration.ofSeconds(1));
        ObjectNode fatal = c.get(Kinds.JOB, "fatal");
        assertThat(Meta.condition(fatal, "Failed").path("reason").asText()).isEqualTo("PodFailurePolicy");
        assertThat(Meta.condition(fatal, "Failed").path("message").asText())
                .matches("Container work for pod default/fatal-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 1");
        assertThat(fatal.path("status").path("failed").asInt()).isEqualTo(1);
        assertThat(pods("fatal")).hasSize(1); // no retry
    }

    @Test
    void aJobPastItsActiveDeadlineFailsAndItsPodsAreDeleted() {
        c.apply(job("slow", "activeDeadlineSeconds: 30\nparallelism: 2\ncompletions: 4", "run-seconds=600"));
        assertThat(pods("slow")).hasSize(2);
        c.advance(Duration.ofSeconds(29));
        assertThat(Meta.conditionTrue(c.get(Kinds.JOB, "slow"), "Failed")).isFalse();
        c.advance(Duration.ofSeconds(1));
        ObjectNode job = c.get(Kinds.JOB, "slow");
        assertThat(Meta.condition(job, "Failed").path("reason").asText()).isEqualTo("DeadlineExceeded");
        assertThat(Meta.condition(job, "Failed").path("message").asText()).isEqualTo("Job was active longer than specified deadline");
        assertThat(job.path("status").path("active").asInt(0)).isZero();
        assertThat(job.path("status").path("failed").asInt()).isEqualTo(2);
        assertThat(pods("slow")).isEmpty();
        assertThat(c.events("DeadlineExceeded")).hasSize(1);
        assertThat(c.events("SuccessfulDelete")).hasSize(2);
    }

    @Test
    void anIndexedJobRunsEachIndexOnce() {
        c.apply(job("ix", "completions: 3\nparallelism: 3\ncompletionMode: Indexed", "run-seconds=2"));
        List<ObjectNode> pods = pods("ix");
        assertThat(pods.stream().map(p -> Meta.annotation(p, "batch.kubernetes.io/job-completion-index")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThat(pods).allSatisfy(p -> assertThat(Meta.name(p)).matches("ix-[0-2]-[a-z0-9]{5}"));
        c.advance(Duration.ofSeconds(2));
        JsonNode s = status("ix");
        assertThat(s.path("completedIndexes").asText()).isEqualTo("0-2");
        assertThat(s.path("succeeded").asInt()).isEqualTo(3);
        assertThat(Meta.conditionTrue(c.get(Kinds.JOB, "ix"), "Complete")).isTrue();
    }

    @Test
    void aSuspendedJobStartsNoPodUntilResumed() {
        c.apply(job("later", "suspend: true", "run-seconds=1"));
        assertThat(pods("later")).isEmpty();
        ObjectNode job = c.get(Kinds.JOB, "later");
        assertThat(Meta.condition(job, "Suspended").path("reason").asText()).isEqualTo("JobSuspended");
        c.advance(Duration.ofSeconds(30));
        ObjectNode resume = c.get(Kinds.JOB, "later");
        resume.with("spec").put("suspend", false);
        c.api.update(Kinds.JOB, resume);
        c.sim.awaitIdle();
        assertThat(pods("later")).hasSize(1);
        assertThat(Meta.condition(c.get(Kinds.JOB, "later"), "Suspended").path("status").asText()).isEqualTo("False");
        c.advance(Duration.ofSeconds(1));
        assertThat(Meta.conditionTrue(c.get(Kinds.JOB, "later"), "Complete")).isTrue();
    }

    @Test
    void aJobWhosePodsWouldRestartForeverIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.apply(job("bad", "", "").replace("restartPolicy: Never\n", "")))
                .hasMessage("Job \"bad\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    }

    @Test
    void indexesAreFormattedAsRanges() {
        assertThat(JobController.formatIndexes(JobController.parseIndexes("0,1,2,4,6-7"))).isEqualTo("0-2,4,6-7");
        assertThat(JobController.formatIndexes(new java.util.TreeSet<>())).isEmpty();
        assertThat(JobController.backoff(1)).hasSeconds(10);
        assertThat(JobController.backoff(3)).hasSeconds(40);
        assertThat(JobController.backoff(12)).hasMinutes(6);
    }

    @TempDir
    Path dir;

    String kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", dir.resolve("kubeconfig").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
        return out;
    }

    static void advance(SandboxCluster cluster, Duration d) {
        for (int i = 0; i < d.toSeconds(); i++) {
            cluster.simulation().advance(Duration.ofSeconds(1));
        }
    }

    /** What kubectl shows of Jobs, CronJobs and HPAs, with the load set by annotation (a sandbox on a manual clock). */
    @Test
    void kubectlShowsJobsCronJobsAndAutoscalers() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl")));
        SimClock clock = SimClock.manual(Instant.parse("2026-11-24T10:00:00Z"));
        try (SandboxCluster cluster = SandboxCluster.start("batch", 0, Simulation.Options.defaults().withClock(clock))) {
            cluster.writeKubeconfig(dir.resolve("kubeconfig"));
            Path m = dir.resolve("batch.yaml");
            Files.writeString(m, job("batch", "completions: 3\nparallelism: 2", "run-seconds=5") + "---\n" + """
                    apiVersion: batch/v1
                    kind: CronJob
                    metadata: {name: tick}
                    spec:
                      schedule: "*/5 * * * *"
                      timeZone: Europe/Berlin
                      jobTemplate:
                        spec:
                          template:
                            spec:
                              restartPolicy: Never
                              containers: [{name: tick, image: busybox:1.36}]
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec:
                          containers: [{name: web, image: shop/web:1.0, resources: {requests: {cpu: 200m}}}]
                    """);
            kubectl("apply", "--server-side", "--validate=false", "-f", m.toString());
            cluster.simulation().awaitIdle();
            assertThat(kubectl("get", "jobs")).containsPattern("batch\\s+Running\\s+0/3\\s+0s");
            advance(cluster, Duration.ofSeconds(10));
            assertThat(kubectl("get", "jobs")).containsPattern("(?m)^NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE$")
                    .containsPattern("batch\\s+Complete\\s+3/3\\s+10s\\s+10s");
            String describe = kubectl("describe", "job", "batch");
            assertThat(describe).containsPattern("Pods Statuses:\\s+0 Active \\(0 Ready\\) / 3 Succeeded / 0 Failed")
                    .contains("Completed").contains("SuccessfulCreate");
            assertThat(kubectl("get", "pods", "-l", "batch.kubernetes.io/job-name=batch", "--no-headers").lines()).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("Completed"));
            assertThat(kubectl("wait", "--for=condition=complete", "job/batch", "--timeout=10s")).contains("job.batch/batch condition met");
            assertThat(kubectl("logs", "job/batch")).isNotBlank();

            assertThat(kubectl("get", "cronjobs")).containsPattern("(?m)^NAME\\s+SCHEDULE\\s+TIMEZONE\\s+SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE$")
                    .containsPattern("tick\\s+\\*/5 \\* \\* \\* \\*\\s+Europe/Berlin\\s+False\\s+0\\s+<none>");
            advance(cluster, Duration.ofSeconds(290)); // 10:05
            assertThat(kubectl("get", "cronjobs")).containsPattern("tick\\s+\\*/5 \\* \\* \\* \\*\\s+Europe/Berlin\\s+False\\s+1\\s+0s");
            assertThat(kubectl("get", "jobs")).contains("tick-" + Instant.parse("2026-11-24T10:05:00Z").getEpochSecond() / 60);

            // (kubectl autoscale would post autoscaling/v1, which the sandbox does not serve: the v2 object instead)
            Path hpa = dir.resolve("hpa.yaml");
            Files.writeString(hpa, """
                    apiVersion: autoscaling/v2
                    kind: HorizontalPodAutoscaler
                    metadata: {name: web}
                    spec:
                      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                      minReplicas: 1
                      maxReplicas: 5
                      metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
                    """);
            kubectl("annotate", "deployment", "web", "sandbox.sampan.io/cpu-load-millicores=600"); // 150 % of 2 × 200m
            kubectl("apply", "--server-side", "--validate=false", "-f", hpa.toString());
            cluster.simulation().awaitIdle(); // the first sync is at once
            assertThat(kubectl("get", "hpa")).containsPattern("web\\s+Deployment/web\\s+cpu: 150%/50%\\s+1\\s+5\\s+2");
            assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("4");
            assertThat(kubectl("describe", "hpa", "web")).contains("New size: 4; reason: cpu resource utilization (percentage of request) above target")
                    .containsPattern("ScalingLimited\\s+True\\s+ScaleUpLimit");
        }
    }
}
