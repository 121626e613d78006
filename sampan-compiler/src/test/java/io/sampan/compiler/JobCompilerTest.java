package io.sampan.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sampan.spec.SpecException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobCompilerTest {
    private static String jobs(String image) {
        return """
                jobs:
                  migrate: {image: %s, command: [migrate], trigger: pre-release, deadline: 10m, retries: 1}
                  report: {image: r.local/api:1, schedule: "0 2 * * *", timezone: Asia/Shanghai}
                  warmup: {image: r.local/warm:1, broadcast: true, placement: {nodeSelector: {pool: web}}}
                """.formatted(image);
    }

    @Test
    void aReleaseJobIsNamedByItsContentSoAnUnchangedOneIsNotRerun() {
        Job a = TestApps.compile(jobs("r.local/api:1")).ofType(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith("shop-migrate-")).findFirst().orElseThrow();
        Job same = TestApps.compile(jobs("r.local/api:1")).ofType(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith("shop-migrate-")).findFirst().orElseThrow();
        Job changed = TestApps.compile(jobs("r.local/api:2")).ofType(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith("shop-migrate-")).findFirst().orElseThrow();
        assertThat(a.getMetadata().getName()).matches("shop-migrate-[0-9a-f]{8}").isEqualTo(same.getMetadata().getName())
                .isNotEqualTo(changed.getMetadata().getName());
        assertThat(a.getMetadata().getAnnotations()).containsEntry("sampan.io/trigger", "pre-release");
        assertThat(a.getSpec().getBackoffLimit()).isEqualTo(1);
        assertThat(a.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
        assertThat(a.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void aScheduledJobIsACronJobInItsTimeZone() {
        CronJob cron = TestApps.compile(jobs("r.local/api:1")).get(CronJob.class, "shop-report");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 2 * * *");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("Asia/Shanghai");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(3);
    }

    @Test
    void aBroadcastJobRunsOncePerNodeThroughRequiredAntiAffinity() {
        Job job = TestApps.compile(jobs("r.local/api:1")).ofType(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith("shop-warmup-")).findFirst().orElseThrow();
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        var term = job.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.getLabelSelector().getMatchLabels()).containsEntry("sampan.io/job", job.getMetadata().getName());
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("sampan.io/job", job.getMetadata().getName());
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("pool", "web");
    }

    @Test
    void withOpenKruiseABroadcastJobIsABroadcastJob() {
        ClusterProfile kruise = new ClusterProfile("ns", OvercommitPolicy.NONE, null, null, null, null, Set.of(ClusterProfile.KRUISE));
        GenericKubernetesResource bj = TestApps.compile(jobs("r.local/api:1"), kruise).ofType(GenericKubernetesResource.class).get(0);
        assertThat(bj.getApiVersion()).isEqualTo("apps.kruise.io/v1alpha1");
        assertThat(bj.getKind()).isEqualTo("BroadcastJob");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) bj.getAdditionalProperties().get("spec");
        assertThat(spec).containsKeys("template", "completionPolicy", "failurePolicy");
    }

    @Test
    void withoutANodeCountABroadcastJobCannotBeSized() {
        assertThatThrownBy(() -> TestApps.compile(jobs("r.local/api:1"), ClusterProfile.defaults("ns")))
                .isInstanceOf(SpecException.class).hasMessageContaining("spec.jobs.warmup.broadcast").hasMessageContaining("number of nodes");
    }
}
