package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ApiError;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CronJob controller (batch/v1): at each time of {@code spec.schedule} (a {@link CronSchedule}
 * in {@code spec.timeZone}, on the simulation's clock) it creates a Job named
 * {@code <cronjob>-<scheduled minutes since the epoch>} from {@code jobTemplate}, unless the run is
 * later than {@code startingDeadlineSeconds} (MissSchedule), the CronJob is suspended, or
 * {@code concurrencyPolicy} Forbid finds a Job still active (JobAlreadyActive); Replace deletes the
 * active Jobs first. It keeps {@code status.active}, {@code lastScheduleTime} and
 * {@code lastSuccessfulTime}, and deletes the oldest finished Jobs beyond
 * {@code successfulJobsHistoryLimit} (3) and {@code failedJobsHistoryLimit} (1). It wakes up at the
 * next scheduled time, not every second.
 */
public final class CronJobController implements Controller {
    static final String COMPONENT = "cronjob-controller";
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.ROOT);
    private final Api api;
    private final ControllerManager manager;
    private final Informer cronJobs;
    private final Informer jobs;
    private final Events events;
    private final Map<String, Instant> wakeups = new ConcurrentHashMap<>();

    public CronJobController(Api api, ControllerManager manager, Informer cronJobs, Informer jobs, Events events) {
        this.api = api;
        this.manager = manager;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.events = events;
        api.store().addAdmission(CronJobController::admit);
        cronJobs.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
        jobs.addHandler((before, after) -> {
            ObjectNode j = after != null ? after : before;
            if ("CronJob".equals(Meta.controllerKind(j))) {
                for (JsonNode ref : j.path("metadata").path("ownerReferences")) {
                    if (ref.path("controller").asBoolean()) {
                        manager.enqueue(this, Meta.key(Meta.namespace(j), ref.path("name").asText()));
                    }
                }
            }
        });
    }

    @Override
    public String name() {
        return "cronjob";
    }

    /** The API server's validation (schedule, time zone, restartPolicy) and defaulting of a new CronJob. */
    static void admit(Store store, ResourceType type, String namespace, ObjectNode cronJob) {
        if (!type.equals(Kinds.CRONJOB)) {
            return;
        }
        ObjectNode spec = cronJob.with("spec");
        try {
            CronSchedule.parse(spec.path("schedule").asText(""), null);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(type, Meta.name(cronJob), "spec.schedule: Invalid value: \"" + spec.path("schedule").asText("") + "\": "
                    + e.getMessage());
        }
        String zone = spec.path("timeZone").asText("");
        if (!zone.isEmpty()) {
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw ApiError.invalid(type, Meta.name(cronJob), "spec.timeZone: Invalid value: \"" + zone + "\": unknown time zone " + zone);
            }
        }
        JobController.validateRestartPolicy(type, cronJob, spec.path("jobTemplate").path("spec").path("template"),
                "spec.jobTemplate.spec.template.spec.restartPolicy");
        if (!spec.hasNonNull("concurrencyPolicy")) {
            spec.put("concurrencyPolicy", "Allow");
        }
        if (!spec.hasNonNull("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.hasNonNull("successfulJobsHistoryLimit")) {
            spec.put("successfulJobsHistoryLimit", 3);
        }
        if (!spec.hasNonNull("failedJobsHistoryLimit")) {
            spec.put("failedJobsHistoryLimit", 1);
        }
    }

    @Override
    public void reconcile(String key) {
        ObjectNode cj = cronJobs.get(key);
        if (cj == null) {
            wakeups.remove(key);
            return; // its Jobs go with it (garbage collector)
        }
        Instant now = manager.clock().instant();
        JsonNode spec = cj.path("spec");
        ObjectNode status = cj.path("status").isObject() ? ((ObjectNode) cj.path("status")).deepCopy() : Meta.JSON.createObjectNode();
        ArrayNode active = status.withArray("active");
        List<ObjectNode> owned = new ArrayList<>(jobs.byIndex(Simulation.BY_OWNER, Meta.uid(cj)));
        Set<String> children = new HashSet<>();
        for (ObjectNode j : owned) {
            children.add(Meta.uid(j));
            boolean found = indexOf(active, Meta.uid(j)) >= 0;
            boolean finished = JobController.finished(j);
            if (!found && !finished) {
                events.warning(cj, COMPONENT, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + Meta.name(j));
            } else if (found && finished) {
                active.remove(indexOf(active, Meta.uid(j)));
                events.normal(cj, COMPONENT, "SawCompletedJob", "Saw completed job: " + Meta.name(j) + ", status: "
                        + (JobController.succeeded(j) ? "Complete" : "Failed"));
            }
            if (JobController.succeeded(j)) {
                String completed = j.path("status").path("completionTime").asText("");
                String last = status.path("lastSuccessfulTime").asText("");
                if (!completed.isEmpty() && (last.isEmpty() || Instant.parse(completed).isAfter(Instant.parse(last)))) {
                    status.put("lastSuccessfulTime", completed);
                }
            }
        }
        for (int i = active.size() - 1; i >= 0; i--) {
            if (!children.contains(active.get(i).path("uid").asText())) {
                events.normal(cj, COMPONENT, "MissingJob", "Active job went missing: " + active.get(i).path("name").asText());
                active.remove(i);
            }
        }
        cleanup(cj, owned, active, "Complete", spec.path("successfulJobsHistoryLimit"));
        cleanup(cj, owned, active, "Failed", spec.path("failedJobsHistoryLimit"));
        Instant wake = schedule(cj, status, active, now);
        if (active.isEmpty()) {
            status.remove("active");
        }
        if (!status.equals(cj.path("status"))) {
            ObjectNode update = cj.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.CRONJOB, update);
        }
        if (wake != null && !wake.equals(wakeups.get(key))) {
            wakeups.put(key, wake);
            manager.enqueueAfter(this, key, Duration.between(now, wake));
        }
    }

    /** Starts the Job of the most recent unmet scheduled time, if it should run; returns when to look again. */
    private Instant schedule(ObjectNode cj, ObjectNode status, ArrayNode active, Instant now) {
        JsonNode spec = cj.path("spec");
        if (spec.path("suspend").asBoolean(false)) {
            return null;
        }
        CronSchedule sched;
        try {
            sched = CronSchedule.parse(spec.path("schedule").asText(""), spec.path("timeZone").asText(null));
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage().startsWith("unknown time zone") ? "UnknownTimeZone" : "UnparseableSchedule";
            String message = reason.equals("UnknownTimeZone") ? "invalid timeZone: \"" + spec.path("timeZone").asText() + "\": " + e.getMessage()
                    : "unparseable schedule: \"" + spec.path("schedule").asText() + "\" : " + e.getMessage();
            events.warning(cj, COMPONENT, reason, message);
            return null;
        }
        Instant next = sched.next(now);
        Instant scheduled = mostRecentUnmet(cj, sched, now);
        if (scheduled == null) {
            return next;
        }
        if (spec.hasNonNull("startingDeadlineSeconds") && scheduled.plusSeconds(spec.path("startingDeadlineSeconds").asLong()).isBefore(now)) {
            events.warning(cj, COMPONENT, "MissSchedule", "Missed scheduled time to start a job: " + RFC1123Z.format(scheduled.atZone(ZoneOffset.UTC)));
            return next;
        }
        String name = Meta.name(cj) + "-" + scheduled.getEpochSecond() / 60;
        for (JsonNode ref : active) {
            if (name.equals(ref.path("name").asText())) {
                return next;
            }
        }
        if (scheduled.toString().equals(status.path("lastScheduleTime").asText()) || Kubelet.ts(scheduled).equals(status.path("lastScheduleTime").asText())) {
            return next;
        }
        String policy = spec.path("concurrencyPolicy").asText("Allow");
        if (policy.equals("Forbid") && !active.isEmpty()) {
            events.normal(cj, COMPONENT, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return next;
        }
        if (policy.equals("Replace")) {
            for (JsonNode ref : List.copyOf(toList(active))) {
                deleteJob(cj, ref.path("name").asText(), active, ref.path("uid").asText());
            }
        }
        ObjectNode job;
        try {
            job = api.create(Kinds.JOB, jobFor(cj, sched, scheduled, name));
            events.normal(cj, COMPONENT, "SuccessfulCreate", "Created job " + name);
        } catch (ApiError e) {
            if (e.code() != 409) {
                events.warning(cj, COMPONENT, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            job = api.get(Kinds.JOB, Meta.namespace(cj), name).orElseThrow(() -> e);
            if (!Meta.uid(cj).equals(Meta.controllerUid(job)) || indexOf(active, Meta.uid(job)) >= 0) {
                return next;
            }
        }
        active.addObject().put("kind", "Job").put("namespace", Meta.namespace(job)).put("name", Meta.name(job)).put("uid", Meta.uid(job))
                .put("apiVersion", "batch/v1").put("resourceVersion", job.path("metadata").path("resourceVersion").asText());
        status.put("lastScheduleTime", Kubelet.ts(scheduled));
        return next;
    }

    /** The latest scheduled time after the last one run (or the creation) and not after now, within the starting deadline. */
    private static Instant mostRecentUnmet(ObjectNode cj, CronSchedule sched, Instant now) {
        String last = cj.path("status").path("lastScheduleTime").asText("");
        Instant earliest = Instant.parse(last.isEmpty() ? cj.path("metadata").path("creationTimestamp").asText() : last);
        JsonNode deadline = cj.path("spec").path("startingDeadlineSeconds");
        if (deadline.canConvertToLong() && now.minusSeconds(deadline.asLong()).isAfter(earliest)) {
            earliest = now.minusSeconds(deadline.asLong());
        }
        Instant from = earliest;
        if (!sched.relative()) {
            // the smallest recent window that holds a scheduled time: not every minute of a long gap is visited
            for (Duration window = Duration.ofHours(1);; window = window.multipliedBy(4)) {
                Instant candidate = now.minus(window);
                if (!candidate.isAfter(earliest)) {
                    break;
                }
                Instant first = sched.next(candidate);
                if (first != null && !first.isAfter(now)) {
                    from = candidate;
                    break;
                }
            }
        }
        Instant recent = null;
        for (Instant t = sched.next(from); t != null && !t.isAfter(now); t = sched.next(t)) {
            recent = t;
        }
        return recent;
    }

    private ObjectNode jobFor(ObjectNode cj, CronSchedule sched, Instant scheduled, String name) {
        JsonNode template = cj.path("spec").path("jobTemplate");
        ObjectNode job = Meta.JSON.createObjectNode();
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", name).put("namespace", Meta.namespace(cj));
        if (template.path("metadata").has("labels")) {
            meta.set("labels", template.path("metadata").path("labels").deepCopy());
        }
        ObjectNode annotations = meta.putObject("annotations");
        if (template.path("metadata").has("annotations")) {
            annotations.setAll((ObjectNode) template.path("metadata").path("annotations").deepCopy());
        }
        annotations.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled.atZone(sched.zone())));
        Meta.setController(job, cj);
        job.set("spec", template.path("spec").isObject() ? template.path("spec").deepCopy() : Meta.JSON.createObjectNode());
        return job;
    }

    /** Deletes the oldest finished Jobs (by start time) with the condition beyond the limit. */
    private void cleanup(ObjectNode cj, List<ObjectNode> owned, ArrayNode active, String condition, JsonNode limit) {
        if (!limit.canConvertToInt()) {
            return;
        }
        List<ObjectNode> finished = new ArrayList<>();
        for (ObjectNode j : owned) {
            if (Meta.conditionTrue(j, condition)) {
                finished.add(j);
            }
        }
        finished.sort(Comparator.comparing((ObjectNode j) -> j.path("status").path("startTime").asText("9999"))
                .thenComparing(Meta::name));
        for (int i = 0; i < finished.size() - limit.asInt(); i++) {
            deleteJob(cj, Meta.name(finished.get(i)), active, Meta.uid(finished.get(i)));
        }
    }

    private void deleteJob(ObjectNode cj, String name, ArrayNode active, String uid) {
        api.delete(Kinds.JOB, Meta.namespace(cj), name);
        int i = indexOf(active, uid);
        if (i >= 0) {
            active.remove(i);
        }
        events.normal(cj, COMPONENT, "SuccessfulDelete", "Deleted job " + name);
    }

    private static int indexOf(ArrayNode active, String uid) {
        for (int i = 0; i < active.size(); i++) {
            if (uid.equals(active.get(i).path("uid").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static List<JsonNode> toList(ArrayNode a) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }
}
