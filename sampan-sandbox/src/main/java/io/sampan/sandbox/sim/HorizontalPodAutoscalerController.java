package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.ResourceType;
import io.sampan.sandbox.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2) for Deployments, with the CPU metrics of
 * {@link PodMetrics}. Every 15 s of the simulation's clock it computes, as Kubernetes does, the
 * desired replicas {@code ceil(readyPods * currentUtilization / target)} (a ratio within 10 % of 1
 * changes nothing; not-ready pods are left out, and count as idle when scaling up), for
 * {@code Utilization} and {@code AverageValue} targets of the {@code cpu} resource; stabilises it
 * (the highest recommendation of the last 300 s before scaling down, by default) and limits the
 * rate ({@code behavior} policies, or at most doubling, at least to 4, without a behavior); keeps it
 * within min/maxReplicas; and writes the Deployment's {@code spec.replicas} (its scale). Status,
 * conditions (AbleToScale, ScalingActive, ScalingLimited) and events are those Kubernetes writes.
 */
public final class HorizontalPodAutoscalerController implements Controller {
    static final String COMPONENT = "horizontal-pod-autoscaler";
    static final Duration SYNC = Duration.ofSeconds(15);
    static final double TOLERANCE = 0.1;
    private static final String UTILIZATION_METRIC = "cpu resource utilization (percentage of request)";
    private final Api api;
    private final ControllerManager manager;
    private final Informer hpas;
    private final Informer deployments;
    private final Informer pods;
    private final Events events;
    private final PodMetrics metrics;
    private final Map<String, Instant> nextSync = new ConcurrentHashMap<>();
    private final Map<String, Long> syncedGeneration = new ConcurrentHashMap<>();
    private final Map<String, List<Sample>> recommendations = new ConcurrentHashMap<>();
    private final Map<String, List<Sample>> scaleUps = new ConcurrentHashMap<>();
    private final Map<String, List<Sample>> scaleDowns = new ConcurrentHashMap<>();

    /** A replica count (a recommendation, or a change made) at a time. */
    private record Sample(int replicas, Instant at) {
    }

    private record Policy(String type, int value, int periodSeconds) {
    }

    /** The scaling rules of one direction: {@code behavior.scaleUp} or {@code behavior.scaleDown}, defaulted. */
    private record Rules(int windowSeconds, String selectPolicy, List<Policy> policies) {
        static Rules of(JsonNode rules, boolean up) {
            int window = rules.path("stabilizationWindowSeconds").asInt(up ? 0 : 300);
            String select = rules.path("selectPolicy").asText("Max");
            List<Policy> policies = new ArrayList<>();
            for (JsonNode p : rules.path("policies")) {
                policies.add(new Policy(p.path("type").asText(), p.path("value").asInt(), p.path("periodSeconds").asInt(15)));
            }
            if (policies.isEmpty()) {
                policies.add(new Policy("Percent", 100, 15));
                if (up) {
                    policies.add(new Policy("Pods", 4, 15));
                }
            }
            return new Rules(window, select, policies);
        }

        int longestPeriod() {
            return policies.stream().mapToInt(Policy::periodSeconds).max().orElse(0);
        }
    }

    /** A desired count with the reason and message of the condition it sets. */
    private record Limited(int replicas, String reason, String message) {
    }

    /** What a metric asks for: replicas, its current value for the status, or an error. */
    private record Proposal(int replicas, String metricName, ObjectNode current, String error) {
    }

    public HorizontalPodAutoscalerController(Api api, ControllerManager manager, Informer hpas, Informer deployments, Informer pods,
            Events events, PodMetrics metrics) {
        this.api = api;
        this.manager = manager;
        this.hpas = hpas;
        this.deployments = deployments;
        this.pods = pods;
        this.events = events;
        this.metrics = metrics;
        api.store().addAdmission(HorizontalPodAutoscalerController::admit);
        hpas.addHandler((before, after) -> manager.enqueue(this, Meta.key(after != null ? after : before)));
    }

    @Override
    public String name() {
        return "horizontalpodautoscaler";
    }

    /** The API server's defaulting of a new HPA: minReplicas 1, and a CPU target of 80 % when it has no metric. */
    static void admit(Store store, ResourceType type, String namespace, ObjectNode hpa) {
        if (!type.equals(Kinds.HPA)) {
            return;
        }
        ObjectNode spec = hpa.with("spec");
        if (!spec.hasNonNull("minReplicas")) {
            spec.put("minReplicas", 1);
        }
        if (spec.path("metrics").isEmpty()) {
            spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource").put("name", "cpu").putObject("target")
                    .put("type", "Utilization").put("averageUtilization", 80);
        }
    }

    @Override
    public void reconcile(String key) {
        ObjectNode hpa = hpas.get(key);
        if (hpa == null) {
            nextSync.remove(key);
            syncedGeneration.remove(key);
            recommendations.remove(key);
            scaleUps.remove(key);
            scaleDowns.remove(key);
            return;
        }
        Instant now = manager.clock().instant();
        long generation = hpa.path("metadata").path("generation").asLong(1);
        Instant due = nextSync.get(key);
        if (due != null && now.isBefore(due) && Long.valueOf(generation).equals(syncedGeneration.get(key))) {
            return; // a status write or a stale timer: the next sync is already planned
        }
        nextSync.put(key, now.plus(SYNC));
        syncedGeneration.put(key, generation);
        manager.enqueueAfter(this, key, SYNC);
        sync(key, hpa, now);
    }

    private void sync(String key, ObjectNode hpa, Instant now) {
        JsonNode spec = hpa.path("spec");
        JsonNode old = hpa.path("status");
        ObjectNode status = Meta.JSON.createObjectNode();
        status.put("observedGeneration", hpa.path("metadata").path("generation").asLong(1));
        if (old.has("lastScaleTime")) {
            status.set("lastScaleTime", old.get("lastScaleTime"));
        }
        Map<String, ObjectNode> conditions = new LinkedHashMap<>(); // kept in their order; those not set this time stay as they were
        for (JsonNode c : old.path("conditions")) {
            conditions.put(c.path("type").asText(), (ObjectNode) c.deepCopy());
        }
        JsonNode ref = spec.path("scaleTargetRef");
        ObjectNode d = "Deployment".equals(ref.path("kind").asText()) ? deployments.get(Meta.namespace(hpa), ref.path("name").asText()) : null;
        if (d == null) {
            String error = "Deployment".equals(ref.path("kind").asText()) ? "deployments.apps \"" + ref.path("name").asText() + "\" not found"
                    : "the sandbox scales Deployments only, not " + ref.path("kind").asText();
            events.warning(hpa, COMPONENT, "FailedGetScale", error);
            condition(conditions, old, "AbleToScale", false, "FailedGetScale", "the HPA controller was unable to get the target's current scale: "
                    + error, now);
            status.put("currentReplicas", old.path("currentReplicas").asInt(0)).put("desiredReplicas", old.path("desiredReplicas").asInt(0));
            write(hpa, status, conditions);
            return;
        }
        int current = d.path("spec").path("replicas").asInt(1);
        int minReplicas = spec.path("minReplicas").asInt(1);
        int maxReplicas = spec.path("maxReplicas").asInt(1);
        condition(conditions, old, "AbleToScale", true, "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
        recommendations.computeIfAbsent(key, k -> new ArrayList<>(List.of(new Sample(old.path("currentReplicas").asInt(0), now))));
        int desired;
        String reason = "";
        ArrayNode currentMetrics = Meta.JSON.createArrayNode();
        if (current == 0 && minReplicas != 0) {
            desired = 0;
            condition(conditions, old, "ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero",
                    now);
        } else if (current > maxReplicas) {
            reason = "Current number of replicas above Spec.MaxReplicas";
            desired = maxReplicas;
        } else if (current < minReplicas) {
            reason = "Current number of replicas below Spec.MinReplicas";
            desired = minReplicas;
        } else {
            int proposed = 0;
            String metricName = "";
            String error = null;
            int invalid = 0;
            for (JsonNode m : spec.path("metrics")) {
                Proposal p = propose(d, m, current);
                if (p.error() != null) {
                    invalid++;
                    error = error == null ? p.error() : error;
                    continue;
                }
                currentMetrics.add(p.current());
                if (p.replicas() > proposed) {
                    proposed = p.replicas();
                    metricName = p.metricName();
                }
            }
            if (error != null) {
                events.warning(hpa, COMPONENT, "FailedGetResourceMetric", error);
                events.warning(hpa, COMPONENT, "FailedComputeMetricsReplicas", "invalid metrics (" + invalid + " invalid out of "
                        + spec.path("metrics").size() + "), first error is: failed to get cpu resource metric value: " + error);
                condition(conditions, old, "ScalingActive", false, "FailedGetResourceMetric", "the HPA was unable to compute the replica count: "
                        + error, now);
                status.put("currentReplicas", d.path("status").path("replicas").asInt(0))
                        .put("desiredReplicas", old.path("desiredReplicas").asInt(0));
                if (!currentMetrics.isEmpty()) {
                    status.set("currentMetrics", currentMetrics);
                }
                write(hpa, status, conditions);
                return;
            }
            condition(conditions, old, "ScalingActive", true, "ValidMetricFound",
                    "the HPA was able to successfully calculate a replica count from " + metricName, now);
            if (proposed > current) {
                reason = metricName + " above target";
            } else if (proposed < current) {
                reason = "All metrics below target";
            }
            desired = spec.path("behavior").isObject() ? withBehavior(key, hpa, conditions, current, proposed, minReplicas, maxReplicas, now)
                    : withoutBehavior(key, hpa, conditions, current, proposed, minReplicas, maxReplicas, now);
        }
        if (desired != current) {
            scale(d, desired);
            record(key, hpa, current, desired, now);
            condition(conditions, old, "AbleToScale", true, "SucceededRescale", "the HPA controller was able to update the target scale to "
                    + desired, now);
            events.normal(hpa, COMPONENT, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
            status.put("lastScaleTime", Kubelet.ts(now));
        }
        status.put("currentReplicas", d.path("status").path("replicas").asInt(0)).put("desiredReplicas", desired);
        if (!currentMetrics.isEmpty()) {
            status.set("currentMetrics", currentMetrics);
        }
        write(hpa, status, conditions);
    }

    /** Writes the Deployment's replicas (its scale subresource), reading it again if another writer got there first. */
    private void scale(ObjectNode d, int replicas) {
        ObjectNode target = d.deepCopy();
        for (int attempt = 0;; attempt++) {
            target.with("spec").put("replicas", replicas);
            try {
                api.update(Kinds.DEPLOYMENT, target);
                return;
            } catch (io.sampan.sandbox.ApiError e) {
                if (e.code() != 409 || attempt >= 3) {
                    throw e;
                }
                target = api.get(Kinds.DEPLOYMENT, Meta.namespace(d), Meta.name(d)).orElseThrow(() -> e);
            }
        }
    }

    /** What one metric asks for. Only the {@code cpu} Resource metric has values in the sandbox. */
    private Proposal propose(ObjectNode d, JsonNode metric, int current) {
        JsonNode resource = metric.path("resource");
        if (!"Resource".equals(metric.path("type").asText()) || !"cpu".equals(resource.path("name").asText())) {
            return new Proposal(0, "", null, "the sandbox has no values for metric " + metric.path("type").asText() + " "
                    + resource.path("name").asText(metric.path("pods").path("metric").path("name").asText()));
        }
        JsonNode target = resource.path("target");
        boolean utilization = "Utilization".equals(target.path("type").asText()) || target.has("averageUtilization");
        String what = utilization ? "failed to get cpu utilization: " : "failed to get cpu usage: ";
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode p : LabelIndex.pods(pods, Meta.namespace(d), Meta.strings(d.path("spec").path("selector").path("matchLabels")))) {
            String phase = p.path("status").path("phase").asText("");
            if (!phase.equals("Succeeded") && !phase.equals("Failed") && !p.path("metadata").has("deletionTimestamp")
                    && Meta.selects(d.path("spec").path("selector"), Meta.labels(p))) {
                all.add(p);
            }
        }
        if (all.isEmpty()) {
            return new Proposal(0, "", null, what + "no pods returned by selector while calculating replica count");
        }
        List<ObjectNode> ready = new ArrayList<>();
        long readyRequests = 0;
        long unreadyRequests = 0;
        for (ObjectNode p : all) {
            long request = 0;
            for (JsonNode c : p.path("spec").path("containers")) {
                JsonNode cpu = c.path("resources").path("requests").path("cpu");
                if (cpu.isMissingNode() || cpu.isNull()) {
                    if (utilization) {
                        return new Proposal(0, "", null, what + "missing request for cpu in container " + c.path("name").asText() + " of Pod "
                                + Meta.name(p));
                    }
                    continue;
                }
                request += Quantities.millis(cpu.asText());
            }
            if (PodTemplates.ready(p)) {
                ready.add(p);
                readyRequests += request;
            } else {
                unreadyRequests += request;
            }
        }
        if (ready.isEmpty()) {
            return new Proposal(0, "", null, what + "did not receive metrics for targeted pods (pods might be unready)");
        }
        Map<String, Long> usage = metrics.cpuUsage(d, ready);
        long total = usage.values().stream().mapToLong(Long::longValue).sum();
        int unready = all.size() - ready.size();
        ObjectNode currentValue = Meta.JSON.createObjectNode();
        ObjectNode status = Meta.JSON.createObjectNode().put("type", "Resource");
        status.putObject("resource").put("name", "cpu").set("current", currentValue);
        double ratio;
        double ratioWithUnready;
        String metricName;
        if (utilization) {
            int targetUtilization = target.path("averageUtilization").asInt(80);
            long currentUtilization = readyRequests == 0 ? 0 : total * 100 / readyRequests;
            ratio = (double) currentUtilization / targetUtilization;
            ratioWithUnready = (double) (total * 100 / (readyRequests + unreadyRequests)) / targetUtilization;
            currentValue.put("averageUtilization", currentUtilization);
            metricName = UTILIZATION_METRIC;
        } else {
            long targetValue = Quantities.millis(target.path("averageValue").asText("0"));
            ratio = targetValue == 0 ? 0 : (double) (total / ready.size()) / targetValue;
            ratioWithUnready = targetValue == 0 ? 0 : (double) (total / all.size()) / targetValue;
            metricName = "cpu resource";
        }
        currentValue.put("averageValue", milliQuantity(total / ready.size()));
        return new Proposal(replicas(current, ratio, ratioWithUnready, ready.size(), unready), metricName, status, null);
    }

    /** Kubernetes' replica calculation from a usage ratio; not-ready pods count as idle when they could change a scale-up. */
    static int replicas(int current, double ratio, double ratioWithUnready, int ready, int unready) {
        boolean scaleUpWithUnready = unready > 0 && ratio > 1.0;
        if (!scaleUpWithUnready) {
            if (Math.abs(1.0 - ratio) <= TOLERANCE) {
                return current;
            }
            return (int) Math.ceil(ratio * ready);
        }
        if (Math.abs(1.0 - ratioWithUnready) <= TOLERANCE || ratioWithUnready < 1.0) {
            return current;
        }
        int n = (int) Math.ceil(ratioWithUnready * (ready + unready));
        return Math.max(n, current);
    }

    /** Without {@code spec.behavior}: scale down to the highest recommendation of the last 5 minutes; scale up at most to max(2×, 4). */
    private int withoutBehavior(String key, ObjectNode hpa, Map<String, ObjectNode> conditions, int current, int proposed, int min, int max,
            Instant now) {
        JsonNode old = hpa.path("status");
        int stabilized = proposed;
        Instant cutoff = now.minusSeconds(300);
        List<Sample> recs = recommendations.get(key);
        int oldIndex = -1;
        for (int i = 0; i < recs.size(); i++) {
            if (recs.get(i).at().isBefore(cutoff)) {
                oldIndex = i;
            } else if (recs.get(i).replicas() > stabilized) {
                stabilized = recs.get(i).replicas();
            }
        }
        store(recs, oldIndex, new Sample(proposed, now));
        if (stabilized != proposed) {
            condition(conditions, old, "AbleToScale", true, "ScaleDownStabilized",
                    "recent recommendations were higher than current one, applying the highest recent recommendation", now);
        } else {
            condition(conditions, old, "AbleToScale", true, "ReadyForNewScale", "recommended size matches current size", now);
        }
        int upLimit = (int) Math.max(2.0 * current, 4.0);
        Limited l;
        int maxAllowed = Math.min(max, upLimit);
        String upReason = max > upLimit ? "ScaleUpLimit" : "TooManyReplicas";
        String upMessage = max > upLimit ? "the desired replica count is increasing faster than the maximum scale rate"
                : "the desired replica count is more than the maximum replica count";
        if (stabilized < min) {
            l = new Limited(min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
        } else if (stabilized > maxAllowed) {
            l = new Limited(maxAllowed, upReason, upMessage);
        } else {
            l = new Limited(stabilized, "DesiredWithinRange", "the desired count is within the acceptable range");
        }
        condition(conditions, old, "ScalingLimited", l.replicas() != stabilized, l.reason(), l.message(), now);
        return l.replicas();
    }

    /** With {@code spec.behavior}: the stabilization window and scaling policies of each direction. */
    private int withBehavior(String key, ObjectNode hpa, Map<String, ObjectNode> conditions, int current, int proposed, int min, int max,
            Instant now) {
        JsonNode old = hpa.path("status");
        Rules up = Rules.of(hpa.path("spec").path("behavior").path("scaleUp"), true);
        Rules down = Rules.of(hpa.path("spec").path("behavior").path("scaleDown"), false);
        boolean upward = proposed >= current;
        // the lowest recommendation of the scale-up window and the highest of the scale-down window bound the current count
        Instant upCutoff = now.minusSeconds(up.windowSeconds());
        Instant downCutoff = now.minusSeconds(down.windowSeconds());
        int upRecommendation = proposed;
        int downRecommendation = proposed;
        List<Sample> recs = recommendations.get(key);
        int oldIndex = -1;
        for (int i = 0; i < recs.size(); i++) {
            Sample s = recs.get(i);
            if (s.at().isAfter(upCutoff)) {
                upRecommendation = Math.min(upRecommendation, s.replicas());
            }
            if (s.at().isAfter(downCutoff)) {
                downRecommendation = Math.max(downRecommendation, s.replicas());
            }
            if (s.at().isBefore(upCutoff) && s.at().isBefore(downCutoff)) {
                oldIndex = i;
            }
        }
        int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
        store(recs, oldIndex, new Sample(proposed, now));
        if (stabilized != proposed) {
            condition(conditions, old, "AbleToScale", true, upward ? "ScaleUpStabilized" : "ScaleDownStabilized", upward
                    ? "recent recommendations were lower than current one, applying the lowest recent recommendation"
                    : "recent recommendations were higher than current one, applying the highest recent recommendation", now);
        } else {
            condition(conditions, old, "AbleToScale", true, "ReadyForNewScale", "recommended size matches current size", now);
        }
        Limited l = new Limited(stabilized, "DesiredWithinRange", "the desired count is within the acceptable range");
        if (stabilized > current) {
            int limit = Math.max(current, upLimit(current, scaleUps.getOrDefault(key, List.of()), up, now));
            int maxAllowed = Math.min(max, limit);
            boolean rate = max > limit;
            if (stabilized > maxAllowed) {
                l = new Limited(maxAllowed, rate ? "ScaleUpLimit" : "TooManyReplicas", rate
                        ? "the desired replica count is increasing faster than the maximum scale rate"
                        : "the desired replica count is more than the maximum replica count");
            }
        } else if (stabilized < current) {
            int limit = Math.min(current, downLimit(current, scaleDowns.getOrDefault(key, List.of()), down, now));
            int minAllowed = Math.max(min, limit);
            boolean rate = min < limit;
            if (stabilized < minAllowed) {
                l = new Limited(minAllowed, rate ? "ScaleDownLimit" : "TooFewReplicas", rate
                        ? "the desired replica count is decreasing faster than the maximum scale rate"
                        : "the desired replica count is less than the minimum replica count");
            }
        }
        condition(conditions, old, "ScalingLimited", l.replicas() != stabilized, l.reason(), l.message(), now);
        return l.replicas();
    }

    private static void store(List<Sample> recs, int oldIndex, Sample s) {
        if (oldIndex >= 0) {
            recs.set(oldIndex, s);
        } else {
            recs.add(s);
        }
    }

    private static int changedWithin(List<Sample> changes, int periodSeconds, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        int n = 0;
        for (Sample s : changes) {
            if (s.at().isAfter(cutoff)) {
                n += s.replicas();
            }
        }
        return n;
    }

    static int upLimit(int current, List<Sample> changes, Rules rules, Instant now) {
        if ("Disabled".equals(rules.selectPolicy())) {
            return current;
        }
        boolean min = "Min".equals(rules.selectPolicy());
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (Policy p : rules.policies()) {
            int start = current - changedWithin(changes, p.periodSeconds(), now);
            int proposed = "Pods".equals(p.type()) ? start + p.value() : (int) Math.ceil(start * (1 + p.value() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    static int downLimit(int current, List<Sample> changes, Rules rules, Instant now) {
        if ("Disabled".equals(rules.selectPolicy())) {
            return current;
        }
        boolean min = "Min".equals(rules.selectPolicy());
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (Policy p : rules.policies()) {
            int start = current + changedWithin(changes, p.periodSeconds(), now);
            int proposed = "Pods".equals(p.type()) ? start - p.value() : (int) (start * (1 - p.value() / 100.0));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /** Remembers a rescale for the rate policies, forgetting changes older than the longest policy period. */
    private void record(String key, ObjectNode hpa, int from, int to, Instant now) {
        boolean upward = to > from;
        Rules rules = Rules.of(hpa.path("spec").path("behavior").path(upward ? "scaleUp" : "scaleDown"), upward);
        List<Sample> changes = (upward ? scaleUps : scaleDowns).computeIfAbsent(key, k -> new ArrayList<>());
        Instant cutoff = now.minusSeconds(rules.longestPeriod());
        changes.removeIf(s -> s.at().isBefore(cutoff));
        changes.add(new Sample(Math.abs(to - from), now));
    }

    private void write(ObjectNode hpa, ObjectNode status, Map<String, ObjectNode> conditions) {
        ArrayNode list = status.putArray("conditions");
        conditions.values().forEach(list::add);
        if (!status.equals(hpa.path("status"))) {
            ObjectNode update = hpa.deepCopy();
            update.set("status", status);
            api.updateStatus(Kinds.HPA, update);
        }
    }

    private static void condition(Map<String, ObjectNode> conditions, JsonNode oldStatus, String type, boolean value, String reason,
            String message, Instant now) {
        String status = value ? "True" : "False";
        String since = Kubelet.ts(now);
        for (JsonNode c : oldStatus.path("conditions")) {
            if (type.equals(c.path("type").asText()) && status.equals(c.path("status").asText())) {
                since = c.path("lastTransitionTime").asText(since);
            }
        }
        conditions.put(type, Meta.JSON.createObjectNode().put("type", type).put("status", status).put("lastTransitionTime", since)
                .put("reason", reason).put("message", message));
    }

    /** A CPU amount as the API server writes a milli quantity: {@code 250m}, or {@code 2} for whole cores. */
    static String milliQuantity(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }
}
