package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The Job controller (batch/v1): runs {@code parallelism} pods at a time until {@code completions}
 * of them succeeded (NonIndexed), or until every index {@code 0..completions-1} succeeded once
 * (Indexed); recreates failed pods after an exponential backoff (10 s doubling, at most 6 min) until
 * more than {@code backoffLimit} failed; fails the Job at {@code activeDeadlineSeconds}; stops its
 * pods while {@code suspend}ed; deletes it {@code ttlSecondsAfterFinished} after it finished; follows
 * a {@code podFailurePolicy} (FailJob, Ignore, Count). The status and conditions are those
 * Kubernetes 1.31 writes (SuccessCriteriaMet then Complete, FailureTarget then Failed). It also
 * defaults new Jobs as the API server does (selector on the controller uid, the job labels on the
 * pod template, completions, parallelism, backoffLimit).
 */
public final class JobController implements Controller {
    static final String COMPONENT = "job-controller";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(6);
    private final Api api;
    private final ControllerManager manager;
    private final Informer jobs;
    private final Informer pods;
    private final Events events;

    public JobController(Api api, ControllerManager manager, Informer jobs, Informer pods, Events events) {
        this.api = api;
        this.manager = manager;
        this.jobs = jobs;
        this.pods = pods;
        this.events = events;
        api.store().addAdmission(JobController::admit);
        jobs.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        pods.addHandler((before, after) -> {
            ObjectNode p = after != null ? after : before;
            if ("Job".equals(Meta.controllerKind(p))) {
                for (JsonNode ref : p.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean()) {
                        manager.enqueue(this, Meta.key(Meta.namespace(p), ref.path("name").asText()));
                    }
                }
            }
        });
    }

    @Override
    public String name() {
        return "job";
    }

    /** The API server's defaulting of a new Job. */
    static void admit(Store store, ResourceType type, String namespace, ObjectNode job) {
        if (!type.equals(Kinds.JOB)) {
            return;
        }
        ObjectNode spec = job.with("spec");
        validateRestartPolicy(type, job, spec.path("template"), "spec.template.spec.restartPolicy");
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
        }
        if (!spec.hasNonNull("parallelism")) {
            spec.put("parallelism", 1);
        }
        if (!spec.hasNonNull("backoffLimit")) {
            spec.put("backoffLimit", 6);
        }
        if (!spec.hasNonNull("completionMode")) {
            spec.put("completionMode", "NonIndexed");
        }
        if (!spec.hasNonNull("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.hasNonNull("podReplacementPolicy")) {
            spec.put("podReplacementPolicy", "TerminatingOrFailed");
        }
        if (!spec.path("manualSelector").asBoolean(false)) {
            String uid = Meta.uid(job);
            String name = Meta.name(job);
            spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
            ObjectNode labels = spec.with("template").with("metadata").with("labels");
            labels.put(CONTROLLER_UID, uid).put(JOB_NAME, name).put("controller-uid", uid).put("job-name", name);
        }
    }

    /** The API server's validation: a Job's pods run to completion, so restartPolicy is OnFailure or Never. */
    static void validateRestartPolicy(ResourceType type, JsonNode object, JsonNode template, String field) {
        String policy = template.path("spec").path("restartPolicy").asText("");
        if (policy.isEmpty()) {
            throw ApiError.invalid(type, Meta.name(object), field + ": Required value: valid values: \"OnFailure\", \"Never\"");
        }
        if (!policy.equals("OnFailure") && !policy.equals("Never")) {
            throw ApiError.invalid(type, Meta.name(object), field + ": Unsupported value: \"" + policy
                    + "\": supported values: \"OnFailure\", \"Never\"");
        }
    }

    @Override
    public void reconcile(String key) {
        ObjectNode job = jobs.get(key);
        if (job == null) {
            return; // its pods go with it (garbage collector)
        }
        Instant now = manager.clock().instant();
        if (finished(job)) {
            expire(job, now);
            return;
        }
        JsonNode spec = job.path("spec");
        boolean indexed = "Indexed".equals(spec.path("completionMode").asText());
        Integer completions = spec.hasNonNull("completions") ? spec.path("completions").asInt() : null;
        int parallelism = spec.path("parallelism").asInt(1);
        int backoffLimit = spec.path("backoffLimit").asInt(6);
        JsonNode old = job.path("status");
        List<ObjectNode> owned = pods.byIndex(Simulation.BY_OWNER, Meta.uid(job));
        List<ObjectNode> active = ReplicaSetController.active(owned);
        TreeSet<Integer> doneIndexes = indexed ? parseIndexes(old.path("completedIndexes").asText("")) : new TreeSet<>();
        int succeededPods = 0;
        int failedPods = 0;
        Instant lastFailure = null;
        String failJob = null;
        for (ObjectNode p : owned) {
            String phase = p.path("status").path("phase").asText("");
            if (phase.equals("Succeeded")) {
                succeededPods++;
                if (indexed) {
                    Integer ix = index(p);
                    if (ix != null && (completions == null || ix < completions)) {
                        doneIndexes.add(ix);
                    }
                }
            } else if (phase.equals("Failed")) {
                String[] rule = podFailurePolicy(spec.path("podFailurePolicy"), p);
                if (rule != null && rule[0].equals("Ignore")) {
                    continue; // not counted against the backoff limit
                }
                if (rule != null && rule[0].equals("FailJob") && failJob == null) {
                    failJob = rule[1];
                }
                failedPods++;
                Instant at = finishedAt(p);
                if (at != null && (lastFailure == null || at.isAfter(lastFailure))) {
                    lastFailure = at;
                }
            }
        }
        int succeeded = indexed ? doneIndexes.size() : Math.max(old.path("succeeded").asInt(0), succeededPods);
        int failed = Math.max(old.path("failed").asInt(0), failedPods);
        ObjectNode status = Meta.JSON.createObjectNode();
        ArrayNode conditions = status.putArray("conditions");
        for (JsonNode c : old.path("conditions")) {
            conditions.add(c.deepCopy());
        }
        if (old.has("startTime")) {
            status.set("startTime", old.get("startTime"));
        }
        boolean suspended = spec.path("suspend").asBoolean(false);
        Instant wakeAt = null;
        String finish = null;
        String finishMessage = null;
        if (suspended) {
            deleteAll(job, active);
            active = List.of();
            if (!Meta.conditionTrue(job, "Suspended")) {
                setCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
                events.normal(job, COMPONENT, "Suspended", "Job suspended");
            }
            status.remove("startTime");
        } else {
            if (Meta.conditionTrue(job, "Suspended")) {
                setCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
                events.normal(job, COMPONENT, "Resumed", "Job resumed");
            }
            if (!status.has("startTime")) {
                status.put("startTime", Kubelet.ts(now));
            }
            Instant start = Instant.parse(status.path("startTime").asText());
            boolean complete = completions != null ? succeeded >= completions : succeeded > 0 && active.isEmpty();
            if (complete) {
                deleteAll(job, active);
                active = List.of();
                finish = "complete";
            } else if (failJob != null) {
                failed += deleteAll(job, active);
                active = List.of();
                finish = "PodFailurePolicy";
                finishMessage = failJob;
            } else if (failed > backoffLimit || pastBackoffLimitOnFailure(spec, active, backoffLimit)) {
                failed += deleteAll(job, active);
                active = List.of();
                finish = "BackoffLimitExceeded";
            } else if (spec.hasNonNull("activeDeadlineSeconds")
                    && !now.isBefore(start.plusSeconds(spec.path("activeDeadlineSeconds").asLong()))) {
                failed += deleteAll(job, active);
                active = List.of();
                finish = "DeadlineExceeded";
            } else {
                if (spec.hasNonNull("activeDeadlineSeconds")) {
                    wakeAt = start.plusSeconds(spec.path("activeDeadlineSeconds").asLong());
                }
                Instant retryAt = failed == 0 || lastFailure == null ? now : lastFailure.plus(backoff(failed));
                active = new ArrayList<>(active);
                if (retryAt.isAfter(now)) {
                    wakeAt = wakeAt == null || retryAt.isBefore(wakeAt) ? retryAt : wakeAt;
                } else {
                    manage(job, active, succeeded, completions, parallelism, indexed, doneIndexes);
                }
            }
        }
        int ready = 0;
        for (ObjectNode p : active) {
            ready += PodTemplates.ready(p) ? 1 : 0;
        }
        status.put("active", active.size()).put("ready", ready).put("succeeded", succeeded).put("failed", failed);
        for (String zero : new String[] {"active", "succeeded", "failed"}) {
            if (status.path(zero).asInt() == 0) {
                status.remove(zero); // omitted when zero, as the API server serialises them
            }
        }
        if (indexed) {
            status.put("completedIndexes", formatIndexes(doneIndexes));
        }
        status.putObject("uncountedTerminatedPods");
        if ("complete".equals(finish)) {
            String message = "Reached expected number of succeeded pods";
            setCondition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached", message, now);
            setCondition(conditions, "Complete", "True", "CompletionsReached", message, now);
            status.put("completionTime", Kubelet.ts(now));
            events.normal(job, COMPONENT, "Completed", "Job completed");
        } else if (finish != null) {
            String message = finishMessage != null ? finishMessage : finish.equals("DeadlineExceeded")
                    ? "Job was active longer than specified deadline" : "Job has reached the specified backoff limit";
            setCondition(conditions, "FailureTarget", "True", finish, message, now);
            setCondition(conditions, "Failed", "True", finish, message, now);
            events.warning(job, COMPONENT, finish, message);
        }
        if (conditions.isEmpty()) {
            status.remove("conditions");
        }
        if (!status.equals(old)) {
            ObjectNode update = job.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.JOB, update);
        }
        if (finish != null) {
            manager.enqueue(this, key); // for its TTL
        } else if (wakeAt != null) {
            manager.enqueueAfter(this, key, Duration.between(now, wakeAt));
        }
    }

    /** Creates or deletes pods so that the right number runs (and, Indexed, the right indexes). */
    private void manage(ObjectNode job, List<ObjectNode> active, int succeeded, Integer completions, int parallelism, boolean indexed,
            TreeSet<Integer> doneIndexes) {
        if (completions == null && succeeded > 0) {
            return; // a work queue: once one pod succeeded, the others finish and none is started
        }
        int want = Math.max(0, completions == null ? parallelism : Math.min(parallelism, completions - succeeded));
        if (active.size() > want) {
            active.sort(ReplicaSetController.DELETE_FIRST);
            List<ObjectNode> surplus = new ArrayList<>(active.subList(0, active.size() - want));
            deleteAll(job, surplus);
            active.removeAll(surplus);
            return;
        }
        List<Integer> indexes = new ArrayList<>();
        if (indexed) {
            TreeSet<Integer> running = new TreeSet<>();
            active.forEach(p -> running.add(index(p)));
            for (int i = 0; i < completions && indexes.size() < want - active.size(); i++) {
                if (!doneIndexes.contains(i) && !running.contains(i)) {
                    indexes.add(i);
                }
            }
        } else {
            for (int i = active.size(); i < want; i++) {
                indexes.add(null);
            }
        }
        for (Integer ix : indexes) {
            ObjectNode pod = podFor(job, ix);
            try {
                ObjectNode created = api.create(Kinds.POD, pod);
                active.add(created);
                events.normal(job, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
            } catch (ApiError refused) {
                if (refused.code() != 403) {
                    throw refused;
                }
                events.warning(job, COMPONENT, "FailedCreate", "Error creating: " + refused.getMessage());
                manager.enqueueAfter(this, Meta.key(job), Duration.ofSeconds(10));
                return;
            }
        }
    }

    private ObjectNode podFor(ObjectNode job, Integer index) {
        String name = Meta.name(job) + "-" + (index == null ? "" : index + "-") + Meta.suffix();
        ObjectNode pod = PodTemplates.pod(job, job.path("spec").path("template"), name);
        ObjectNode labels = pod.with("metadata").with("labels");
        labels.put(CONTROLLER_UID, Meta.uid(job)).put(JOB_NAME, Meta.name(job)).put("controller-uid", Meta.uid(job))
                .put("job-name", Meta.name(job));
        if (index != null) {
            labels.put(COMPLETION_INDEX, Integer.toString(index));
            pod.with("metadata").with("annotations").put(COMPLETION_INDEX, Integer.toString(index));
            ObjectNode spec = pod.with("spec");
            spec.put("hostname", Meta.name(job) + "-" + index);
            for (JsonNode c : spec.path("containers")) {
                ((ObjectNode) c).withArray("env").addObject().put("name", "JOB_COMPLETION_INDEX").put("value", Integer.toString(index));
            }
        }
        return pod;
    }

    /** Deletes pods (they count as failed, as Kubernetes counts the pods a Job terminates); returns how many. */
    private int deleteAll(ObjectNode job, List<ObjectNode> victims) {
        int n = 0;
        for (ObjectNode p : victims) {
            if (api.delete(Kinds.POD, Meta.namespace(p), Meta.name(p))) {
                events.normal(job, COMPONENT, "SuccessfulDelete", "Deleted pod: " + Meta.name(p));
                n++;
            }
        }
        return n;
    }

    /**
     * The first rule of a {@code podFailurePolicy} that a failed pod matches: its action (FailJob,
     * Ignore, Count) and, for FailJob, the message Kubernetes gives the Job's Failed condition; null
     * when none matches.
     */
    static String[] podFailurePolicy(JsonNode policy, JsonNode pod) {
        int index = 0;
        for (JsonNode rule : policy.path("rules")) {
            String action = rule.path("action").asText();
            String match = null;
            JsonNode codes = rule.path("onExitCodes");
            if (codes.isObject()) {
                java.util.Set<Integer> values = new java.util.HashSet<>();
                codes.path("values").forEach(v -> values.add(v.asInt()));
                boolean in = !"NotIn".equals(codes.path("operator").asText("In"));
                String only = codes.path("containerName").asText("");
                for (JsonNode cs : pod.path("status").path("containerStatuses")) {
                    JsonNode terminated = cs.path("state").path("terminated");
                    if (!terminated.has("exitCode") || !only.isEmpty() && !only.equals(cs.path("name").asText())) {
                        continue;
                    }
                    int code = terminated.path("exitCode").asInt();
                    if (in ? values.contains(code) : code != 0 && !values.contains(code)) {
                        match = "Container " + cs.path("name").asText() + " for pod " + Meta.key(pod) + " failed with exit code " + code
                                + " matching " + action + " rule at index " + index;
                        break;
                    }
                }
            }
            for (JsonNode pc : rule.path("onPodConditions")) {
                JsonNode c = Meta.condition(pod, pc.path("type").asText());
                if (match == null && pc.path("status").asText("True").equals(c.path("status").asText())) {
                    match = "Pod " + Meta.key(pod) + " has condition " + pc.path("type").asText() + " matching " + action + " rule at index "
                            + index;
                }
            }
            if (match != null) {
                return new String[] {action, match};
            }
            index++;
        }
        return null;
    }

    /** With restartPolicy OnFailure, the container restarts of running pods count against the backoff limit. */
    private static boolean pastBackoffLimitOnFailure(JsonNode spec, List<ObjectNode> active, int backoffLimit) {
        if (!"OnFailure".equals(spec.path("template").path("spec").path("restartPolicy").asText())) {
            return false;
        }
        int restarts = 0;
        for (ObjectNode p : active) {
            restarts += PodTemplates.restarts(p);
        }
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /** The delay before replacing a failed pod: 10 s, doubled per failure, at most 6 minutes. */
    static Duration backoff(int failures) {
        Duration d = Duration.ofSeconds(10);
        for (int i = 1; i < failures && d.compareTo(MAX_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** Deletes a finished Job once its {@code ttlSecondsAfterFinished} passed (its pods follow through the garbage collector). */
    private void expire(ObjectNode job, Instant now) {
        JsonNode ttl = job.path("spec").path("ttlSecondsAfterFinished");
        if (!ttl.canConvertToLong()) {
            return;
        }
        Instant finishedAt = finishTime(job);
        Instant due = finishedAt.plusSeconds(ttl.asLong());
        if (!now.isBefore(due)) {
            api.delete(Kinds.JOB, Meta.namespace(job), Meta.name(job));
        } else {
            manager.enqueueAfter(this, Meta.key(job), Duration.between(now, due));
        }
    }

    static boolean finished(JsonNode job) {
        return Meta.conditionTrue(job, "Complete") || Meta.conditionTrue(job, "Failed");
    }

    static boolean succeeded(JsonNode job) {
        return Meta.conditionTrue(job, "Complete");
    }

    /** When the Job finished: its completionTime, or when it was marked Failed. */
    static Instant finishTime(JsonNode job) {
        String t = job.path("status").path("completionTime").asText("");
        if (t.isEmpty()) {
            t = Meta.condition(job, "Failed").path("lastTransitionTime").asText("");
        }
        return t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
    }

    private static Integer index(JsonNode pod) {
        String v = Meta.annotation(pod, COMPLETION_INDEX);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant finishedAt(JsonNode pod) {
        Instant last = null;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            String t = cs.path("state").path("terminated").path("finishedAt").asText("");
            if (!t.isEmpty()) {
                Instant i = Instant.parse(t);
                last = last == null || i.isAfter(last) ? i : last;
            }
        }
        return last;
    }

    private static void setCondition(ArrayNode conditions, String type, String status, String reason, String message, Instant now) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                ObjectNode o = (ObjectNode) c;
                if (!status.equals(o.path("status").asText())) {
                    o.put("lastTransitionTime", Kubelet.ts(now));
                }
                o.put("status", status).put("reason", reason).put("message", message).put("lastProbeTime", Kubelet.ts(now));
                return;
            }
        }
        conditions.addObject().put("type", type).put("status", status).put("lastProbeTime", Kubelet.ts(now))
                .put("lastTransitionTime", Kubelet.ts(now)).put("reason", reason).put("message", message);
    }

    /** Parses {@code 1,3-5,7} into a set of indexes. */
    static TreeSet<Integer> parseIndexes(String s) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** Formats indexes as Kubernetes writes {@code completedIndexes}: ranges of consecutive ones, {@code 0-2,4}. */
    static String formatIndexes(TreeSet<Integer> indexes) {
        StringBuilder b = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (prev != null && i == prev + 1) {
                prev = i;
                continue;
            }
            if (start != null) {
                b.append(b.isEmpty() ? "" : ",").append(start.equals(prev) ? start.toString() : start + "-" + prev);
            }
            start = i;
            prev = i;
        }
        if (start != null) {
            b.append(b.isEmpty() ? "" : ",").append(start.equals(prev) ? start.toString() : start + "-" + prev);
        }
        return b.toString();
    }
}
