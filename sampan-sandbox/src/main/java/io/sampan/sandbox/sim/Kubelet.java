package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kubelets of every simulated node, as one controller: it runs the pods bound to a Ready node
 * through Pending (ContainerCreating) → Running → Ready, restarts containers that exit (with the
 * kubelet's crash-loop backoff, 10 s doubling to 5 min), and reports image pull errors, crash loops,
 * OOM kills and failing readiness probes as a real kubelet does, with events. How each container
 * behaves is a {@link Behavior}. It keeps the containers' runtime state in memory and writes the
 * pod's status only when it changes.
 */
public final class Kubelet implements Controller {
    static final String COMPONENT = "kubelet";
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private final Api api;
    private final ControllerManager manager;
    private final Informer pods;
    private final Informer nodes;
    private final Events events;
    private final Duration pullDelay;
    private volatile boolean probeDelays = true;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger ips = new AtomicInteger(1);

    /** What the kubelet knows of one pod's containers. */
    static final class PodRun {
        final String uid;
        final String ip;
        final Instant created;
        final List<ContainerRun> containers = new ArrayList<>();

        PodRun(String uid, String ip, Instant created) {
            this.uid = uid;
            this.ip = ip;
            this.created = created;
        }
    }

    enum State { CREATING, PULL_FAILED, RUNNING, BACKOFF, TERMINATED }

    /** One container's life: its state, when the next thing happens to it, and its past runs. */
    static final class ContainerRun {
        final String name;
        final String image;
        final Behavior behavior;
        final boolean hasReadinessProbe;
        final Duration readinessDelay;
        State state = State.CREATING;
        Instant next;
        Instant startedAt;
        Instant readyAt;
        int restarts;
        int pullAttempts;
        boolean backingOffPull;
        boolean everStarted;
        String imageId;
        String containerId;
        ObjectNode lastTerminated;
        ObjectNode terminated;

        ContainerRun(JsonNode pod, JsonNode c) {
            this.name = c.path("name").asText();
            this.image = c.path("image").asText();
            this.behavior = Behavior.of(pod, c);
            JsonNode probe = c.path("readinessProbe");
            this.hasReadinessProbe = !probe.isMissingNode() && !probe.isNull();
            Duration probeDelay = Duration.ofSeconds(probe.path("initialDelaySeconds").asLong(0));
            this.readinessDelay = behavior.readyAfter() != null ? behavior.readyAfter() : probeDelay;
        }

        boolean ready(Instant now) {
            return state == State.RUNNING && !behavior.neverReady() && readyAt != null && !now.isBefore(readyAt);
        }
    }

    public Kubelet(Api api, ControllerManager manager, Informer pods, Informer nodes, Events events, Duration pullDelay) {
        this.api = api;
        this.manager = manager;
        this.pods = pods;
        this.nodes = nodes;
        this.events = events;
        this.pullDelay = pullDelay;
        pods.addHandler((before, after) -> {
            if (after == null) {
                runs.remove(Meta.uid(before));
            } else if (!after.path("spec").path("nodeName").asText("").isEmpty()) {
                manager.enqueue(this, Meta.key(after));
            }
        });
        nodes.addHandler((before, after) -> {
            if (after != null && before != null && Meta.conditionTrue(after, "Ready") != Meta.conditionTrue(before, "Ready")) {
                for (ObjectNode p : pods.byIndex(Simulation.BY_NODE, Meta.name(after))) {
                    manager.enqueue(this, Meta.key(p));
                }
            }
        });
    }

    @Override
    public String name() {
        return "kubelet";
    }

    @Override
    public void reconcile(String key) {
        ObjectNode pod = pods.get(key);
        if (pod == null) {
            return;
        }
        String nodeName = pod.path("spec").path("nodeName").asText("");
        ObjectNode node = nodes.get(nodeName);
        String phase = pod.path("status").path("phase").asText("");
        if (nodeName.isEmpty() || node == null || !Meta.conditionTrue(node, "Ready") || phase.equals("Succeeded") || phase.equals("Failed")) {
            return; // a failed node's kubelet reports nothing; the node controller marks its pods
        }
        Instant now = manager.clock().instant();
        PodRun run = runs.computeIfAbsent(Meta.uid(pod), uid -> {
            PodRun adopted = adopt(pod, now);
            return adopted != null ? adopted : start(pod, now);
        });
        String restartPolicy = pod.path("spec").path("restartPolicy").asText("Always");
        Instant next = null;
        for (ContainerRun c : run.containers) {
            step(pod, c, now, restartPolicy);
            Instant due = c.next;
            if (c.state == State.RUNNING && c.readyAt != null && c.readyAt.isAfter(now) && !c.behavior.neverReady()) {
                due = due == null || c.readyAt.isBefore(due) ? c.readyAt : due;
            }
            if (due != null && (next == null || due.isBefore(next))) {
                next = due;
            }
        }
        ObjectNode status = status(pod, node, run, now, restartPolicy);
        if (!Objects.equals(status, pod.path("status"))) {
            ObjectNode update = pod.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.POD, update);
        }
        if (next != null) {
            manager.enqueueAfter(this, key, Duration.between(now, next));
        }
    }

    private PodRun start(ObjectNode pod, Instant now) {
        int n = ips.getAndIncrement();
        PodRun run = new PodRun(Meta.uid(pod), "10." + (244 + (n >> 16 & 7)) + "." + (n >> 8 & 255) + "." + (n & 255), now);
        for (JsonNode c : pod.path("spec").path("containers")) {
            ContainerRun cr = new ContainerRun(pod, c);
            cr.next = now.plus(pullDelay);
            run.containers.add(cr);
        }
        if (!run.containers.isEmpty()) {
            events.normal(pod, COMPONENT, "Pulling", "Pulling image \"" + run.containers.get(0).image + "\"");
        }
        return run;
    }

    /**
     * A pod whose containers were running before the sandbox restarted on its data directory: they
     * carry on from their status (IP, start times, restart counts, readiness), not started again.
     * Null when a container is not running (the pod then starts again).
     */
    private PodRun adopt(ObjectNode pod, Instant now) {
        JsonNode status = pod.path("status");
        String ip = status.path("podIP").asText("");
        JsonNode statuses = status.path("containerStatuses");
        if (ip.isEmpty() || statuses.size() != pod.path("spec").path("containers").size()) {
            return null;
        }
        String restartPolicy = pod.path("spec").path("restartPolicy").asText("Always");
        PodRun run = new PodRun(Meta.uid(pod), ip, instant(status.path("startTime"), now));
        int i = 0;
        for (JsonNode spec : pod.path("spec").path("containers")) {
            JsonNode cs = statuses.get(i++);
            JsonNode running = cs.path("state").path("running");
            if (running.isMissingNode() || !cs.path("name").asText().equals(spec.path("name").asText())) {
                return null;
            }
            ContainerRun c = new ContainerRun(pod, spec);
            c.state = State.RUNNING;
            c.everStarted = true;
            c.startedAt = instant(running.path("startedAt"), now);
            c.containerId = cs.path("containerID").asText(null);
            c.imageId = cs.path("imageID").asText(null);
            c.restarts = cs.path("restartCount").asInt();
            c.readyAt = cs.path("ready").asBoolean() ? (c.startedAt.isAfter(now) ? now : c.startedAt) : c.startedAt.plus(readinessDelay(c));
            if (cs.path("lastState").has("terminated")) {
                c.lastTerminated = (ObjectNode) cs.get("lastState").deepCopy();
            }
            if (c.behavior.crashAfter() != null) {
                c.next = c.startedAt.plus(c.behavior.crashAfter());
            } else if (!restartPolicy.equals("Always")) {
                c.next = c.startedAt.plus(c.behavior.runFor());
            }
            run.containers.add(c);
        }
        String[] octets = ip.split("\\.");
        if (octets.length == 4 && octets[1].matches("\\d+") && octets[2].matches("\\d+") && octets[3].matches("\\d+")) {
            int n = (Integer.parseInt(octets[1]) - 244) << 16 | Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
            ips.accumulateAndGet(n + 1, Math::max); // new pods get IPs after the adopted ones
        }
        return run;
    }

    private static Instant instant(JsonNode ts, Instant otherwise) {
        try {
            return ts.isTextual() ? Instant.parse(ts.asText()) : otherwise;
        } catch (java.time.format.DateTimeParseException e) {
            return otherwise;
        }
    }

    /** Moves one container through every transition due by {@code now}. */
    private void step(ObjectNode pod, ContainerRun c, Instant now, String restartPolicy) {
        while (c.next != null && !c.next.isAfter(now)) {
            Instant at = c.next;
            c.next = null;
            switch (c.state) {
                case CREATING, PULL_FAILED -> pull(pod, c, at);
                case RUNNING -> exit(pod, c, at, restartPolicy);
                case BACKOFF -> run(pod, c, at);
                case TERMINATED -> { }
            }
        }
    }

    private void pull(ObjectNode pod, ContainerRun c, Instant at) {
        if (c.state == State.PULL_FAILED && !c.backingOffPull) {
            c.backingOffPull = true; // ErrImagePull shows briefly, then ImagePullBackOff until the next attempt
            events.normal(pod, COMPONENT, "BackOff", "Back-off pulling image \"" + c.image + "\"");
            c.next = at.plus(backoff(c.pullAttempts - 1));
            return;
        }
        if (c.behavior.pullFails()) {
            c.pullAttempts++;
            c.state = State.PULL_FAILED;
            c.backingOffPull = false;
            events.warning(pod, COMPONENT, "Failed", "Failed to pull image \"" + c.image + "\": " + pullError(c.image));
            events.warning(pod, COMPONENT, "Failed", "Error: ErrImagePull");
            c.next = at.plusSeconds(1);
            return;
        }
        c.imageId = imageId(c.image);
        events.normal(pod, COMPONENT, "Pulled", "Successfully pulled image \"" + c.image + "\" in " + pullDelay.toMillis() + "ms");
        run(pod, c, at);
    }

    private void run(ObjectNode pod, ContainerRun c, Instant at) {
        c.state = State.RUNNING;
        c.startedAt = at;
        c.everStarted = true;
        c.containerId = "containerd://" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(Meta.fnv32a(pod.path("metadata").path("uid")) << 32 | c.restarts).putLong(at.toEpochMilli()).array());
        c.readyAt = c.hasReadinessProbe || c.behavior.readyAfter() != null ? at.plus(readinessDelay(c)) : at;
        events.normal(pod, COMPONENT, "Created", "Created container " + c.name);
        events.normal(pod, COMPONENT, "Started", "Started container " + c.name);
        if (c.behavior.neverReady() && c.hasReadinessProbe && c.behavior.crashAfter() == null) {
            events.warning(pod, COMPONENT, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503");
        }
        boolean runsToCompletion = !pod.path("spec").path("restartPolicy").asText("Always").equals("Always");
        if (c.behavior.crashAfter() != null) {
            c.next = at.plus(c.behavior.crashAfter());
        } else if (runsToCompletion) {
            c.next = at.plus(c.behavior.runFor());
        }
    }

    private void exit(ObjectNode pod, ContainerRun c, Instant at, String restartPolicy) {
        boolean failed = c.behavior.crashAfter() != null;
        int code = failed ? c.behavior.failureExitCode() : c.behavior.completionExitCode();
        String reason = c.behavior.oom() ? "OOMKilled" : code == 0 ? "Completed" : "Error";
        ObjectNode t = Meta.JSON.createObjectNode();
        t.putObject("terminated").put("exitCode", code).put("reason", reason).put("startedAt", ts(c.startedAt)).put("finishedAt", ts(at))
                .put("containerID", c.containerId);
        c.terminated = t;
        boolean restart = restartPolicy.equals("Always") || restartPolicy.equals("OnFailure") && code != 0;
        if (!restart) {
            c.state = State.TERMINATED;
            return;
        }
        c.lastTerminated = t;
        c.terminated = null;
        c.restarts++;
        c.state = State.BACKOFF;
        events.warning(pod, COMPONENT, "BackOff", "Back-off restarting failed container " + c.name + " in pod " + Meta.name(pod) + "_"
                + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
        c.next = at.plus(backoff(c.restarts - 1));
    }

    /** Ready at once after start, ignoring readiness probes' initial delays (a {@code ready-after=} behaviour still counts). */
    public void ignoreProbeDelays() {
        probeDelays = false;
    }

    private Duration readinessDelay(ContainerRun c) {
        return probeDelays || c.behavior.readyAfter() != null ? c.readinessDelay : Duration.ZERO;
    }

    static Duration backoff(int attempt) {
        Duration d = Duration.ofSeconds(10);
        for (int i = 0; i < attempt && d.compareTo(MAX_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static String pullError(String image) {
        String ref = image.contains("/") ? image : "docker.io/library/" + image;
        return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + ref + "\": failed to resolve reference \"" + ref
                + "\": " + ref + ": not found";
    }

    private static String imageId(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image.lastIndexOf(':') > image.lastIndexOf('/')
                ? image.substring(0, image.lastIndexOf(':')) : image;
        long h = Meta.fnv32a(Meta.JSON.getNodeFactory().textNode(image));
        return repo + "@sha256:" + String.format("%064x", h);
    }

    private ObjectNode status(ObjectNode pod, ObjectNode node, PodRun run, Instant now, String restartPolicy) {
        JsonNode old = pod.path("status");
        ObjectNode s = Meta.JSON.createObjectNode();
        boolean allStarted = run.containers.stream().allMatch(c -> c.everStarted);
        boolean allTerminated = !run.containers.isEmpty() && run.containers.stream().allMatch(c -> c.state == State.TERMINATED);
        boolean anyFailed = run.containers.stream().anyMatch(c -> c.state == State.TERMINATED
                && c.terminated.path("terminated").path("exitCode").asInt() != 0);
        String phase = allTerminated ? (anyFailed ? "Failed" : "Succeeded") : allStarted ? "Running" : "Pending";
        boolean ready = !allTerminated && run.containers.stream().allMatch(c -> c.ready(now));
        s.put("phase", phase);
        ArrayNode conditions = s.putArray("conditions");
        condition(conditions, old, "PodReadyToStartContainers", !allTerminated, now);
        condition(conditions, old, "Initialized", true, now);
        condition(conditions, old, "Ready", ready, now);
        condition(conditions, old, "ContainersReady", ready, now);
        condition(conditions, old, "PodScheduled", true, now);
        String hostIp = internalIp(node);
        s.put("hostIP", hostIp);
        s.putArray("hostIPs").addObject().put("ip", hostIp);
        s.put("podIP", run.ip);
        s.putArray("podIPs").addObject().put("ip", run.ip);
        s.put("startTime", ts(run.created));
        ArrayNode statuses = s.putArray("containerStatuses");
        for (ContainerRun c : run.containers) {
            ObjectNode cs = statuses.addObject().put("name", c.name).put("image", c.image).put("imageID", c.imageId == null ? "" : c.imageId)
                    .put("ready", c.ready(now)).put("restartCount", c.restarts).put("started", c.state == State.RUNNING);
            if (c.containerId != null) {
                cs.put("containerID", c.containerId);
            }
            ObjectNode state = cs.putObject("state");
            switch (c.state) {
                case CREATING -> state.putObject("waiting").put("reason", "ContainerCreating");
                case PULL_FAILED -> state.putObject("waiting").put("reason", c.backingOffPull ? "ImagePullBackOff" : "ErrImagePull")
                        .put("message", c.backingOffPull ? "Back-off pulling image \"" + c.image + "\"" : pullError(c.image));
                case RUNNING -> state.putObject("running").put("startedAt", ts(c.startedAt));
                case BACKOFF -> state.putObject("waiting").put("reason", "CrashLoopBackOff").put("message", "back-off "
                        + backoff(c.restarts - 1).toSeconds() + "s restarting failed container=" + c.name + " pod=" + Meta.name(pod) + "_"
                        + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")");
                case TERMINATED -> cs.set("state", c.terminated);
            }
            cs.set("lastState", c.lastTerminated == null ? Meta.JSON.createObjectNode() : c.lastTerminated);
        }
        s.put("qosClass", qos(pod));
        return s;
    }

    private static void condition(ArrayNode conditions, JsonNode oldStatus, String type, boolean value, Instant now) {
        String status = value ? "True" : "False";
        String since = ts(now);
        for (JsonNode c : oldStatus.path("conditions")) {
            if (type.equals(c.path("type").asText()) && status.equals(c.path("status").asText())) {
                since = c.path("lastTransitionTime").asText(since);
            }
        }
        ObjectNode c = conditions.addObject().put("type", type).put("status", status).putNull("lastProbeTime").put("lastTransitionTime", since);
        if (!value && (type.equals("Ready") || type.equals("ContainersReady"))) {
            c.put("reason", "ContainersNotReady");
        }
    }

    static String internalIp(JsonNode node) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if ("InternalIP".equals(a.path("type").asText())) {
                return a.path("address").asText();
            }
        }
        return "";
    }

    static String qos(JsonNode pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode r = c.path("resources");
            any |= r.path("requests").size() > 0 || r.path("limits").size() > 0;
            for (String res : new String[] {"cpu", "memory"}) {
                JsonNode limit = r.path("limits").path(res);
                JsonNode request = r.path("requests").path(res);
                if (limit.isMissingNode() || !request.isMissingNode() && !request.asText().equals(limit.asText())) {
                    guaranteed = false;
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    static String ts(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The pod's containers as the kubelet runs them, for logs: null when the kubelet has not started the pod. */
    PodRun runOf(String uid) {
        return runs.get(uid);
    }
}
