package io.sampan.server.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.sampan.compiler.StandardLabels;
import io.sampan.release.ObjectRef;
import io.sampan.release.ObservedState;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What an app looks like on one cluster right now: each service's instances (desired, ready,
 * updated) and each pod with its node, zone, restarts and age — enough to draw a topology.
 */
public record Topology(String cluster, String namespace, String error, List<ServiceState> services, List<PodState> pods) {

    public record ServiceState(String name, String kind, int desired, int ready, int updated) {
    }

    public record PodState(String name, String service, String phase, boolean ready, String node, String zone, int restarts, String age,
            String waiting) {
    }

    public static Topology unreachable(String cluster, String namespace, String reason) {
        return new Topology(cluster, namespace, reason, List.of(), List.of());
    }

    public static Topology of(String cluster, String namespace, List<HasMetadata> desired, ObservedState observed, Instant now) {
        List<ServiceState> services = new ArrayList<>();
        for (HasMetadata d : desired) {
            if (!(d instanceof Deployment) && !(d instanceof StatefulSet)) {
                continue;
            }
            HasMetadata seen = observed.find(ObjectRef.of(d)).orElse(null);
            String service = d.getMetadata().getLabels().get(StandardLabels.SERVICE);
            if (seen instanceof Deployment dep) {
                var st = dep.getStatus();
                int want = dep.getSpec().getReplicas() != null ? dep.getSpec().getReplicas() : st == null ? 0 : n(st.getReplicas());
                services.add(new ServiceState(service, "Deployment", want, st == null ? 0 : n(st.getReadyReplicas()),
                        st == null ? 0 : n(st.getUpdatedReplicas())));
            } else if (seen instanceof StatefulSet sts) {
                var st = sts.getStatus();
                int want = sts.getSpec().getReplicas() != null ? sts.getSpec().getReplicas() : st == null ? 0 : n(st.getReplicas());
                services.add(new ServiceState(service, "StatefulSet", want, st == null ? 0 : n(st.getReadyReplicas()),
                        st == null ? 0 : n(st.getUpdatedReplicas())));
            } else {
                services.add(new ServiceState(service, d.getKind(), 0, 0, 0));
            }
        }
        List<PodState> pods = new ArrayList<>();
        for (Pod p : observed.pods()) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            List<ContainerStatus> cs = p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of()
                    : p.getStatus().getContainerStatuses();
            boolean ready = !cs.isEmpty() && cs.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
            int restarts = cs.stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
            String waiting = cs.stream().filter(c -> c.getState() != null && c.getState().getWaiting() != null)
                    .map(c -> c.getState().getWaiting().getReason()).findFirst().orElse(null);
            pods.add(new PodState(p.getMetadata().getName(), p.getMetadata().getLabels() == null ? null
                    : p.getMetadata().getLabels().get(StandardLabels.SERVICE), p.getStatus() == null ? "Unknown" : p.getStatus().getPhase(),
                    ready, node, node == null ? null : observed.nodeZones().get(node), restarts, age(p.getMetadata().getCreationTimestamp(), now),
                    waiting));
        }
        return new Topology(cluster, namespace, null, services, pods);
    }

    /**
     * A Kubernetes timestamp: the API's own form ({@code 2026-11-24T09:30:00Z}) read field by field,
     * as a status of many pods reads one per pod; any other RFC 3339 form through the parser.
     */
    static Instant instant(String t) {
        if (t.length() == 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(16) == ':' && t.charAt(19) == 'Z') {
            try {
                return LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13), digits(t, 14, 16),
                        digits(t, 17, 19)).toInstant(ZoneOffset.UTC);
            } catch (NumberFormatException | DateTimeException notADate) {
                // the parser below says what is wrong
            }
        }
        return OffsetDateTime.parse(t).toInstant();
    }

    private static int digits(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    /**
     * When the first of these pods' ages, as {@link #age} prints them, next reads differently: a
     * status shown now stays true until then unless something else changes.
     */
    public static Instant agesChange(List<Pod> pods, Instant now) {
        Instant first = Instant.MAX;
        for (Pod p : pods) {
            String created = p.getMetadata().getCreationTimestamp();
            if (created == null) {
                continue;
            }
            Instant born = instant(created);
            Duration d = Duration.between(born, now);
            Duration unit = d.toSeconds() < 120 ? Duration.ofSeconds(1) : d.toMinutes() < 120 ? Duration.ofMinutes(1)
                    : d.toHours() < 48 ? Duration.ofHours(1) : Duration.ofDays(1);
            Instant next = d.isNegative() ? now.plusSeconds(1) : born.plus(unit.multipliedBy(d.dividedBy(unit) + 1));
            if (next.isBefore(first)) {
                first = next;
            }
        }
        return first;
    }

    /** Age as kubectl prints it: 45s, 12m, 3h, 5d. */
    static String age(String created, Instant now) {
        if (created == null) {
            return "";
        }
        Duration d = Duration.between(instant(created), now);
        if (d.toSeconds() < 120) {
            return Math.max(0, d.toSeconds()) + "s";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "m";
        }
        return d.toHours() < 48 ? d.toHours() + "h" : d.toDays() + "d";
    }
}
