package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.sampan.sandbox.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated output of a pod's containers, served by the {@code log} subresource: a start-up
 * banner naming the app, its version (image tag), pod and node; a request line every ten seconds
 * while it runs; and, for a container that exited, the error it exited with. {@code previous}
 * gives the run before the last restart.
 */
public final class PodLogs {
    static final Duration EVERY = Duration.ofSeconds(10);
    static final int MAX_LINES = 10_000;
    private final Api api;
    private final Kubelet kubelet;
    private final SimClock clock;

    PodLogs(Api api, Kubelet kubelet, SimClock clock) {
        this.api = api;
        this.kubelet = kubelet;
        this.clock = clock;
    }

    /** The lines of a container (the first when {@code container} is null), the last {@code tail} of them if {@code tail >= 0}. */
    public List<String> lines(String namespace, String name, String container, boolean previous, int tail) {
        JsonNode pod = api.get(Kinds.POD, namespace, name).orElseThrow(() -> ApiError.notFound(Kinds.POD, name));
        Kubelet.PodRun run = kubelet.runOf(Meta.uid(pod));
        JsonNode containers = pod.path("spec").path("containers");
        String wanted = container != null ? container : containers.path(0).path("name").asText();
        if (container == null && containers.size() > 1) {
            throw ApiError.badRequest("a container name must be specified for pod " + name + ", choose one of: " + names(containers));
        }
        Kubelet.ContainerRun c = run == null ? null : run.containers.stream().filter(x -> x.name.equals(wanted)).findFirst().orElse(null);
        if (run != null && c == null) {
            throw ApiError.badRequest("container " + wanted + " is not valid for pod " + name);
        }
        if (c == null || !c.everStarted) {
            String reason = c == null ? "ContainerCreating" : c.state == Kubelet.State.PULL_FAILED ? "trying and failing to pull image"
                    : "ContainerCreating";
            throw ApiError.badRequest("container \"" + wanted + "\" in pod \"" + name + "\" is waiting to start: " + reason);
        }
        List<String> out = new ArrayList<>();
        if (previous) {
            if (c.lastTerminated == null) {
                throw ApiError.badRequest("previous terminated container \"" + wanted + "\" in pod \"" + name + "\" not found");
            }
            JsonNode t = c.lastTerminated.path("terminated");
            run(out, pod, c, Instant.parse(t.path("startedAt").asText()), Instant.parse(t.path("finishedAt").asText()), t);
        } else {
            Instant end = c.state == Kubelet.State.RUNNING ? clock.instant() : null;
            JsonNode t = null;
            if (c.state == Kubelet.State.TERMINATED) {
                t = c.terminated.path("terminated");
                end = Instant.parse(t.path("finishedAt").asText());
            } else if (c.state == Kubelet.State.BACKOFF && c.lastTerminated != null) {
                t = c.lastTerminated.path("terminated"); // between restarts, the logs are the last run's
                end = Instant.parse(t.path("finishedAt").asText());
            }
            run(out, pod, c, t != null ? Instant.parse(t.path("startedAt").asText()) : c.startedAt, end == null ? clock.instant() : end, t);
        }
        return tail >= 0 && out.size() > tail ? out.subList(out.size() - tail, out.size()) : out;
    }

    private static void run(List<String> out, JsonNode pod, Kubelet.ContainerRun c, Instant from, Instant to, JsonNode terminated) {
        String app = Meta.labels(pod).getOrDefault("app.kubernetes.io/name", Meta.labels(pod).getOrDefault("app", c.name));
        String version = Behavior.tag(c.image);
        String node = pod.path("spec").path("nodeName").asText();
        out.add(line(from, "INFO", app + " " + version + " starting in pod " + Meta.name(pod) + " on node " + node + " (container " + c.name + ")"));
        out.add(line(from, "INFO", "listening on :8080"));
        int n = 0;
        for (Instant t = from.plus(EVERY); t.isBefore(to) && n < MAX_LINES; t = t.plus(EVERY), n++) {
            out.add(line(t, "INFO", "GET /healthz 200 (" + app + " " + version + ")"));
        }
        if (terminated != null) {
            int code = terminated.path("exitCode").asInt();
            if (c.behavior.oom()) {
                out.add(line(to, "WARN", "memory use above the container limit; the kernel is about to kill " + app));
            } else if (code != 0) {
                out.add(line(to, "ERROR", app + " " + version + " failed: simulated crash, exiting with code " + code));
            } else {
                out.add(line(to, "INFO", app + " " + version + " finished, exiting with code 0"));
            }
        }
    }

    private static String line(Instant t, String level, String message) {
        return Kubelet.ts(t) + " " + level + " " + message;
    }

    private static String names(JsonNode containers) {
        List<String> n = new ArrayList<>();
        containers.forEach(c -> n.add(c.path("name").asText()));
        return String.join(" ", n);
    }
}
