package io.sampan.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.sampan.spec.JobSpec.Kind;
import io.sampan.spec.ObjectNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jobs of the app model: a release-triggered Job (named by a hash of its content, so each release
 * with different content gets a new Job and an unchanged one is not re-run), a CronJob, or a job
 * broadcast to every matching node.
 */
final class JobCompiler {
    static final String TRIGGER_ANNOTATION = "sampan.io/trigger";
    static final long FINISHED_TTL_SECONDS = 7 * 24 * 3600;
    static final String HOSTNAME = "kubernetes.io/hostname";
    /** Sorted keys: the content hash must not depend on map iteration order. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JobCompiler() {
    }

    static HasMetadata compile(PodScope scope, PodTemplateSpec pod) {
        io.sampan.spec.JobSpec job = scope.job();
        pod.getSpec().setRestartPolicy("Never");
        JobSpec spec = new JobSpecBuilder().withBackoffLimit(job.retries())
                .withActiveDeadlineSeconds(job.deadline() == null ? null : job.deadline().toSeconds())
                .withTemplate(pod).build();
        String app = scope.app().name();
        if (job.kind() == Kind.SCHEDULED) {
            spec.setTtlSecondsAfterFinished(null);
            return new CronJobBuilder().withNewMetadata().withName(ObjectNames.cronJob(app, job.name())).withLabels(scope.labels()).endMetadata()
                    .withNewSpec().withSchedule(job.schedule()).withTimeZone(job.timezone())
                    .withConcurrencyPolicy(job.concurrency().kubernetes()).withStartingDeadlineSeconds(300L)
                    .withSuccessfulJobsHistoryLimit(3).withFailedJobsHistoryLimit(3)
                    .withNewJobTemplate().withNewMetadata().withLabels(scope.labels()).endMetadata().withSpec(spec).endJobTemplate()
                    .endSpec().build();
        }
        spec.setTtlSecondsAfterFinished((int) FINISHED_TTL_SECONDS);
        if (job.kind() == Kind.BROADCAST) {
            return broadcast(scope, spec);
        }
        String name = ObjectNames.job(app, job.name(), hash(spec));
        return new JobBuilder().withNewMetadata().withName(name).withLabels(scope.labels())
                .addToAnnotations(TRIGGER_ANNOTATION, job.trigger().id()).endMetadata().withSpec(spec).build();
    }

    private static HasMetadata broadcast(PodScope scope, JobSpec spec) {
        String app = scope.app().name();
        io.sampan.spec.JobSpec job = scope.job();
        String name = ObjectNames.job(app, job.name(), hash(spec));
        if (scope.profile().has(ClusterProfile.KRUISE)) {
            return kruiseBroadcastJob(scope, spec, name);
        }
        Integer nodes = scope.profile().nodes();
        if (nodes == null || nodes < 1) {
            scope.context().problem("spec.jobs." + job.name() + ".broadcast",
                    "a broadcast job needs the number of nodes, which the cluster profile does not give",
                    "set `nodes` in the cluster profile, or `capabilities: [kruise]` if OpenKruise is installed");
            nodes = 1;
        }
        Map<String, String> selector = new LinkedHashMap<>(scope.selector());
        selector.put(StandardLabels.JOB, name);
        PodTemplateSpec pod = spec.getTemplate();
        pod.getMetadata().getLabels().put(StandardLabels.JOB, name);
        pod.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder().withTopologyKey(HOSTNAME)
                        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build()).build())
                .endPodAntiAffinity().build());
        spec.setCompletions(nodes);
        spec.setParallelism(nodes);
        return new JobBuilder().withNewMetadata().withName(name).withLabels(scope.labels())
                .addToAnnotations(TRIGGER_ANNOTATION, "broadcast").endMetadata().withSpec(spec).build();
    }

    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource kruiseBroadcastJob(PodScope scope, JobSpec spec, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", JSON.convertValue(spec.getTemplate(), Map.class));
        if (spec.getActiveDeadlineSeconds() != null) {
            body.put("completionPolicy", Map.of("type", "Always", "activeDeadlineSeconds", spec.getActiveDeadlineSeconds(),
                    "ttlSecondsAfterFinished", FINISHED_TTL_SECONDS));
        } else {
            body.put("completionPolicy", Map.of("type", "Always", "ttlSecondsAfterFinished", FINISHED_TTL_SECONDS));
        }
        body.put("failurePolicy", Map.of("type", "FailFast", "restartLimit", spec.getBackoffLimit()));
        return new GenericKubernetesResourceBuilder().withApiVersion("apps.kruise.io/v1alpha1").withKind("BroadcastJob")
                .withNewMetadata().withName(name).withLabels(scope.labels()).addToAnnotations(TRIGGER_ANNOTATION, "broadcast").endMetadata()
                .withAdditionalProperties(Map.of("spec", body)).build();
    }

    private static String hash(JobSpec spec) {
        try {
            return ContentHash.of(JSON.writeValueAsString(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Job spec always serialises", e);
        }
    }
}
