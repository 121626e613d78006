package io.sampan.release;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a workload is not ready, in words a developer can act on, derived from what the cluster
 * shows: an image that cannot be pulled (which one), a crash loop (exit code and the last log
 * lines), an out-of-memory kill, pods the scheduler cannot place (its message), a quota that
 * refuses new pods, or a failing health check. The most fundamental cause wins.
 */
public final class Diagnosis {
    static final Set<String> IMAGE_PULL = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull");
    static final int LOG_LINES = 10;

    private Diagnosis() {
    }

    /** A reason, or {@code null} when nothing observed explains the delay (it is just slow). */
    public static Reason explain(HasMetadata desired, ObservedState observed) {
        Map<String, String> selector = selector(desired);
        List<Pod> pods = selector.isEmpty() ? List.of() : observed.podsMatching(selector);
        String kind = desired.getKind();
        String name = desired.getMetadata().getName();
        List<Reason> found = new ArrayList<>();
        found.add(quota(kind, name, observed));
        for (Pod pod : pods) {
            found.add(imagePull(pod));
            found.add(crash(pod, observed));
            found.add(unschedulable(pod));
            found.add(probe(pod, observed));
        }
        return found.stream().filter(r -> r != null).min(Comparator.comparing(Reason::kind)).orElse(null);
    }

    /** Kinds of reason, most fundamental first. */
    public enum Kind { QUOTA_EXCEEDED, IMAGE_PULL, UNSCHEDULABLE, OUT_OF_MEMORY, CRASH_LOOP, PROBE_FAILING }

    public record Reason(Kind kind, String message) {
    }

    private static Reason quota(String kind, String name, ObservedState observed) {
        List<String> owners = new ArrayList<>();
        owners.add(kind + "/" + name);
        for (ReplicaSet rs : observed.replicaSets()) {
            if (rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getKind().equals(kind) && o.getName().equals(name))) {
                owners.add("ReplicaSet/" + rs.getMetadata().getName());
            }
        }
        for (String owner : owners) {
            String[] parts = owner.split("/", 2);
            for (Event e : observed.eventsAbout(parts[0], parts[1]).reversed()) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                if ("FailedCreate".equals(e.getReason()) && m.contains("exceeded quota")) {
                    return new Reason(Kind.QUOTA_EXCEEDED, "the namespace quota refuses new instances: " + afterColon(m));
                }
            }
        }
        return null;
    }

    private static Reason imagePull(Pod pod) {
        for (ContainerStatus cs : statuses(pod)) {
            ContainerStateWaiting w = cs.getState() == null ? null : cs.getState().getWaiting();
            if (w != null && IMAGE_PULL.contains(w.getReason())) {
                return new Reason(Kind.IMAGE_PULL, "image " + cs.getImage() + " cannot be pulled (" + w.getReason()
                        + (w.getMessage() == null ? "" : ": " + w.getMessage()) + ")");
            }
        }
        return null;
    }

    private static Reason crash(Pod pod, ObservedState observed) {
        for (ContainerStatus cs : statuses(pod)) {
            ContainerStateTerminated last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
            ContainerStateTerminated now = cs.getState() == null ? null : cs.getState().getTerminated();
            ContainerStateTerminated t = now != null ? now : last;
            boolean looping = cs.getState() != null && cs.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason());
            if (t == null || (!looping && (cs.getRestartCount() == null || cs.getRestartCount() == 0) && !"OOMKilled".equals(t.getReason()))) {
                continue;
            }
            String restarts = cs.getRestartCount() == null ? "" : ", restarted " + cs.getRestartCount() + " times";
            if ("OOMKilled".equals(t.getReason())) {
                return new Reason(Kind.OUT_OF_MEMORY, "container " + cs.getName() + " was killed for using more memory than its limit"
                        + " (OOMKilled" + restarts + "); raise resources.memory or lower the process's memory use");
            }
            List<String> logs = observed.crashLogs().getOrDefault(pod.getMetadata().getName() + "/" + cs.getName(), List.of());
            List<String> tail = logs.subList(Math.max(0, logs.size() - LOG_LINES), logs.size());
            return new Reason(Kind.CRASH_LOOP, "container " + cs.getName() + " keeps crashing (exit code " + t.getExitCode() + restarts + ")"
                    + (tail.isEmpty() ? "" : "; last log lines:\n  " + String.join("\n  ", tail)));
        }
        return null;
    }

    private static Reason unschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                return new Reason(Kind.UNSCHEDULABLE, "instances cannot be placed on any node: " + c.getMessage());
            }
        }
        return null;
    }

    private static Reason probe(Pod pod, ObservedState observed) {
        boolean running = statuses(pod).stream().anyMatch(cs -> cs.getState() != null && cs.getState().getRunning() != null
                && !Boolean.TRUE.equals(cs.getReady()));
        if (!running) {
            return null;
        }
        for (Event e : observed.eventsAbout("Pod", pod.getMetadata().getName()).reversed()) {
            if ("Unhealthy".equals(e.getReason()) && e.getMessage() != null) {
                return new Reason(Kind.PROBE_FAILING, "the health check fails: " + e.getMessage());
            }
        }
        return null;
    }

    private static List<ContainerStatus> statuses(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        return all;
    }

    private static Map<String, String> selector(HasMetadata workload) {
        LabelSelector s = null;
        if (workload instanceof Deployment d) {
            s = d.getSpec().getSelector();
        } else if (workload instanceof StatefulSet st) {
            s = st.getSpec().getSelector();
        } else if (workload instanceof Job j && j.getSpec().getTemplate() != null) {
            return j.getSpec().getTemplate().getMetadata().getLabels() == null ? Map.of()
                    : Map.of("job-name", j.getMetadata().getName());
        }
        return s == null || s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
    }

    private static String afterColon(String message) {
        int i = message.indexOf("exceeded quota");
        return i < 0 ? message : message.substring(i);
    }
}
