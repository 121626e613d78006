package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Node taints and pod tolerations as the scheduler matches them ({@code v1.Toleration.ToleratesTaint}). */
final class Taints {
    static final String NO_SCHEDULE = "NoSchedule";
    static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    static final String NO_EXECUTE = "NoExecute";

    private Taints() {
    }

    /** A taint: {@code key=value:effect}. */
    record Taint(String key, String value, String effect) {
        /** Whether the scheduler's filter honours it (NoSchedule, NoExecute); PreferNoSchedule only scores. */
        boolean blocksScheduling() {
            return NO_SCHEDULE.equals(effect) || NO_EXECUTE.equals(effect);
        }
    }

    /** A toleration; an empty key with {@code Exists} tolerates every taint, an empty effect every effect. */
    record Toleration(String key, String operator, String value, String effect) {
        boolean tolerates(Taint t) {
            if (!effect.isEmpty() && !effect.equals(t.effect())) {
                return false;
            }
            if (!key.isEmpty() && !key.equals(t.key())) {
                return false;
            }
            return switch (operator) {
                case "Exists" -> true;
                case "", "Equal" -> value.equals(t.value());
                default -> false;
            };
        }
    }

    static List<Taint> taints(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return List.of();
        }
        List<Taint> out = new ArrayList<>(array.size());
        for (JsonNode t : array) {
            out.add(new Taint(t.path("key").asText(""), t.path("value").asText(""), t.path("effect").asText("")));
        }
        return List.copyOf(out);
    }

    static List<Toleration> tolerations(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return List.of();
        }
        List<Toleration> out = new ArrayList<>(array.size());
        for (JsonNode t : array) {
            out.add(new Toleration(t.path("key").asText(""), t.path("operator").asText(""), t.path("value").asText(""), t.path("effect").asText("")));
        }
        return List.copyOf(out);
    }

    static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first NoSchedule/NoExecute taint the tolerations do not tolerate, or null. */
    static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint t : taints) {
            if (t.blocksScheduling() && !tolerated(tolerations, t)) {
                return t;
            }
        }
        return null;
    }

    /** How many PreferNoSchedule taints are not tolerated (by tolerations of that effect or of any effect). */
    static int intolerablePreferNoSchedule(List<Taint> taints, List<Toleration> tolerations) {
        int n = 0;
        for (Taint t : taints) {
            if (PREFER_NO_SCHEDULE.equals(t.effect()) && !tolerated(tolerations, t)) {
                n++;
            }
        }
        return n;
    }
}
