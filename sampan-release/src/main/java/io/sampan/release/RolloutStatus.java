package io.sampan.release;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Objects;

/**
 * Where one workload's rollout stands, judged the way {@code kubectl rollout status} judges it:
 * the controller must have observed the current generation, and then every instance must be
 * updated and available. Jobs are done when complete and failed when the Job says so.
 */
public sealed interface RolloutStatus {

    String message();

    record Done(String message) implements RolloutStatus {
    }

    record InProgress(String message) implements RolloutStatus {
    }

    /** The workload itself reports failure (e.g. ProgressDeadlineExceeded, BackoffLimitExceeded). */
    record Failed(String message) implements RolloutStatus {
    }

    static RolloutStatus of(HasMetadata workload) {
        if (workload instanceof Deployment d) {
            return deployment(d);
        }
        if (workload instanceof StatefulSet s) {
            return statefulSet(s);
        }
        if (workload instanceof Job j) {
            return job(j);
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource custom) {
            return customResource(custom);
        }
        return new Done(workload.getKind() + " needs no rollout");
    }

    private static RolloutStatus deployment(Deployment d) {
        var status = d.getStatus();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return new InProgress("waiting for the deployment's new spec to be observed");
        }
        for (DeploymentCondition c : status.getConditions() == null ? List.<DeploymentCondition>of() : status.getConditions()) {
            if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                return new Failed("deployment exceeded its progress deadline");
            }
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = value(status.getUpdatedReplicas());
        int replicas = value(status.getReplicas());
        int available = value(status.getAvailableReplicas());
        if (updated < desired) {
            return new InProgress(updated + " of " + desired + " new instances have been updated");
        }
        if (replicas > updated) {
            return new InProgress((replicas - updated) + " old instances are pending termination");
        }
        if (available < updated) {
            return new InProgress(available + " of " + updated + " updated instances are available");
        }
        return new Done(available + " of " + desired + " instances ready");
    }

    private static RolloutStatus statefulSet(StatefulSet s) {
        var status = s.getStatus();
        long generation = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return new InProgress("waiting for the statefulset's new spec to be observed");
        }
        int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        int ready = value(status.getReadyReplicas());
        if (ready < desired) {
            return new InProgress(ready + " of " + desired + " instances are ready");
        }
        var strategy = s.getSpec().getUpdateStrategy();
        Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null : strategy.getRollingUpdate().getPartition();
        if (partition != null && partition > 0) {
            int updated = value(status.getUpdatedReplicas());
            if (updated < desired - partition) {
                return new InProgress(updated + " of " + (desired - partition) + " instances above the partition are updated");
            }
            return new Done("partitioned rollout: " + updated + " new instances ready");
        }
        if (!Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())) {
            return new InProgress(value(status.getUpdatedReplicas()) + " of " + desired + " instances are updated");
        }
        return new Done(ready + " of " + desired + " instances ready");
    }

    private static RolloutStatus job(Job j) {
        var status = j.getStatus();
        for (JobCondition c : status == null || status.getConditions() == null ? List.<JobCondition>of() : status.getConditions()) {
            if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                return new Done("job completed");
            }
            if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
                return new Failed("job failed: " + (c.getReason() == null ? "" : c.getReason())
                        + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
        int active = status == null ? 0 : value(status.getActive());
        int failed = status == null ? 0 : value(status.getFailed());
        return new InProgress("job running (" + active + " active" + (failed > 0 ? ", " + failed + " failed attempts" : "") + ")");
    }

    /**
     * A custom resource (an operator's database cluster...) as its operator reports it: done when its
     * {@code Ready} condition is True (or, without one, its {@code status.phase} is Ready, Running or
     * Healthy) for its current generation; failed when the phase is Failed or Error, with the reason.
     */
    private static RolloutStatus customResource(io.fabric8.kubernetes.api.model.GenericKubernetesResource r) {
        Object raw = r.getAdditionalProperties().get("status");
        if (!(raw instanceof java.util.Map<?, ?> status)) {
            return new InProgress("waiting for the operator to report the " + r.getKind() + "'s status");
        }
        long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
        if (status.get("observedGeneration") instanceof Number observed && observed.longValue() < generation) {
            return new InProgress("waiting for the operator to observe the " + r.getKind() + "'s new spec");
        }
        String phase = status.get("phase") == null ? "" : status.get("phase").toString();
        java.util.Map<?, ?> ready = null;
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof java.util.Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    ready = m;
                }
            }
        }
        String message = ready != null && ready.get("message") != null ? ready.get("message").toString()
                : status.get("message") != null ? status.get("message").toString() : ready != null && ready.get("reason") != null
                        ? ready.get("reason").toString() : phase;
        if (List.of("Failed", "Error").contains(phase)) {
            return new Failed(r.getKind() + " " + phase.toLowerCase() + ": " + message);
        }
        if (ready != null) {
            return "True".equals(ready.get("status")) ? new Done(r.getKind() + " ready")
                    : new InProgress(r.getKind() + " not ready" + (message.isEmpty() ? "" : ": " + message));
        }
        return List.of("Ready", "Running", "Healthy").contains(phase) ? new Done(r.getKind() + " " + phase.toLowerCase())
                : new InProgress(r.getKind() + (phase.isEmpty() ? " not ready yet" : " " + phase));
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
