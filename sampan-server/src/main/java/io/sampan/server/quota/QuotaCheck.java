package io.sampan.server.quota;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.Project;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks a release against every quota above it — its environment's, its project's and its
 * organisation's, each for all clusters and per cluster — before anything touches a cluster. Usage
 * is what the latest release of every app asks for at most (autoscaled services at their maximum).
 */
@Component
public class QuotaCheck {
    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<Map<String, Resources>> NEEDS = new TypeReference<>() {
    };
    private static final String ORG = "p.org_id = ?";
    private static final String PROJECT = "e.project_id = ?";
    private static final String ENVIRONMENT = "r.environment_id = ?";
    static final int MAX_PARSED = 200_000;
    private final JdbcClient db;
    private final QuotaStore quotas;
    private final Map<String, Map<String, Resources>> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    public QuotaCheck(JdbcClient db, QuotaStore quotas) {
        this.db = db;
        this.quotas = quotas;
    }

    /** A release would exceed a quota; the message has the numbers. */
    public static final class Exceeded extends RuntimeException {
        public Exceeded(String message) {
            super(message);
        }
    }

    /** One scope's quota, usage and what is left, per cluster. */
    public record Report(String scope, String cluster, Quota quota, Resources used) {
    }

    public static String encode(Map<String, Resources> needs) {
        try {
            return JSON.writeValueAsString(needs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws Exceeded if adding {@code needs} (by cluster) for this app would pass any quota. The
     *     usage of all levels that have a quota comes from one read of the narrowest scope covering them.
     */
    public void admit(Organisation org, Project project, Environment env, String appId, Map<String, Resources> needs) {
        Map<String, Quota> onEnv = quotas.of("environment", env.id());
        Map<String, Quota> onProject = quotas.of("project", project.id());
        Map<String, Quota> onOrg = quotas.of("org", org.id());
        if (onEnv.isEmpty() && onProject.isEmpty() && onOrg.isEmpty()) {
            return;
        }
        List<Latest> all = !onOrg.isEmpty() ? latest(ORG, org.id()) : !onProject.isEmpty() ? latest(PROJECT, project.id())
                : latest(ENVIRONMENT, env.id());
        List<Latest> others = all.stream().filter(l -> !(l.appId().equals(appId) && l.environmentId().equals(env.id()))).toList();
        check("environment " + project.name() + "/" + env.name(), onEnv, sum(others.stream().filter(l -> l.environmentId().equals(env.id()))), needs);
        check("project " + org.name() + "/" + project.name(), onProject, sum(others.stream().filter(l -> l.projectId().equals(project.id()))), needs);
        check("organisation " + org.name(), onOrg, sum(others.stream()), needs);
    }

    /** Quota and usage of a scope ({@code org}, {@code project}, {@code environment}), per cluster and for all. */
    public List<Report> report(String scopeType, String scopeId, String scopeName) {
        String where = switch (scopeType) {
            case "environment" -> ENVIRONMENT;
            case "project" -> PROJECT;
            default -> ORG;
        };
        Map<String, Resources> used = sum(latest(where, scopeId).stream());
        Map<String, Quota> set = quotas.of(scopeType, scopeId);
        Map<String, Report> out = new LinkedHashMap<>();
        out.put(QuotaStore.ALL_CLUSTERS, new Report(scopeName, QuotaStore.ALL_CLUSTERS, set.getOrDefault(QuotaStore.ALL_CLUSTERS, Quota.NONE),
                used.values().stream().reduce(Resources.ZERO, Resources::plus)));
        used.forEach((cluster, r) -> out.put(cluster, new Report(scopeName, cluster, set.getOrDefault(cluster, Quota.NONE), r)));
        set.forEach((cluster, q) -> out.putIfAbsent(cluster, new Report(scopeName, cluster, q, Resources.ZERO)));
        return List.copyOf(out.values());
    }

    /** What one app's latest release in one environment asks for on one cluster. */
    public record AppUsage(String app, String environment, String cluster, Resources used) {
    }

    /** Usage of a project app by app, environment by environment, cluster by cluster. */
    public List<AppUsage> byApp(String projectId) {
        List<AppUsage> out = new java.util.ArrayList<>();
        db.sql("SELECT a.name, e.name, r.id, r.needs FROM releases r JOIN environments e ON e.id = r.environment_id JOIN apps a ON a.id = r.app_id "
                + "WHERE e.project_id = ? AND r.needs IS NOT NULL "
                + "AND r.number = (SELECT MAX(x.number) FROM releases x WHERE x.app_id = r.app_id AND x.environment_id = r.environment_id) "
                + "ORDER BY a.name, e.name").param(projectId)
                .query(rs -> {
                    String app = rs.getString(1);
                    String env = rs.getString(2);
                    needs(rs.getString(3), rs.getString(4)).forEach((cluster, r) -> out.add(new AppUsage(app, env, cluster, r)));
                });
        return out;
    }

    private static Map<String, Resources> needs(String json) {
        try {
            return JSON.readValue(json, NEEDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored release needs are unreadable", e);
        }
    }

    private static void check(String scope, Map<String, Quota> set, Map<String, Resources> used, Map<String, Resources> needs) {
        if (set.isEmpty()) {
            return;
        }
        Resources allUsed = used.values().stream().reduce(Resources.ZERO, Resources::plus);
        Resources allNeeds = needs.values().stream().reduce(Resources.ZERO, Resources::plus);
        exceeds(scope, set.get(QuotaStore.ALL_CLUSTERS), allUsed, allNeeds);
        needs.forEach((cluster, n) -> exceeds(scope + " on cluster " + cluster, set.get(cluster), used.getOrDefault(cluster, Resources.ZERO), n));
    }

    private static void exceeds(String scope, Quota q, Resources used, Resources needs) {
        if (q == null) {
            return;
        }
        if (q.cpuMillis() != null && used.cpuMillis() + needs.cpuMillis() > q.cpuMillis()) {
            throw new Exceeded(scope + ": cpu " + Units.cpu(used.cpuMillis()) + " of " + Units.cpu(q.cpuMillis()) + " used, release needs +"
                    + Units.cpu(needs.cpuMillis()));
        }
        if (q.memoryBytes() != null && used.memoryBytes() + needs.memoryBytes() > q.memoryBytes()) {
            throw new Exceeded(scope + ": memory " + Units.memory(used.memoryBytes()) + " of " + Units.memory(q.memoryBytes())
                    + " used, release needs +" + Units.memory(needs.memoryBytes()));
        }
        if (q.instances() != null && used.instances() + needs.instances() > q.instances()) {
            throw new Exceeded(scope + ": instances " + used.instances() + " of " + q.instances() + " used, release needs +" + needs.instances());
        }
        if (q.storageBytes() != null && used.storageBytes() + needs.storageBytes() > q.storageBytes()) {
            throw new Exceeded(scope + ": storage " + Units.memory(used.storageBytes()) + " of " + Units.memory(q.storageBytes())
                    + " used, release needs +" + Units.memory(needs.storageBytes()));
        }
    }

    /** The latest release of an app in an environment: where it is and what it asks for, by cluster. */
    private record Latest(String projectId, String environmentId, String appId, Map<String, Resources> needs) {
    }

    /** The latest release of every app in every environment of the scope. */
    private List<Latest> latest(String where, String scopeId) {
        List<Latest> out = new java.util.ArrayList<>();
        db.sql("SELECT e.project_id, r.environment_id, r.app_id, r.id, r.needs FROM releases r JOIN environments e ON e.id = r.environment_id "
                + "JOIN projects p ON p.id = e.project_id WHERE " + where + " AND r.needs IS NOT NULL "
                + "AND r.number = (SELECT MAX(x.number) FROM releases x WHERE x.app_id = r.app_id AND x.environment_id = r.environment_id)")
                .param(scopeId)
                .query(rs -> {
                    out.add(new Latest(rs.getString(1), rs.getString(2), rs.getString(3), needs(rs.getString(4), rs.getString(5))));
                });
        return out;
    }

    private static Map<String, Resources> sum(java.util.stream.Stream<Latest> releases) {
        Map<String, Resources> total = new LinkedHashMap<>();
        releases.forEach(l -> l.needs().forEach((cluster, r) -> total.merge(cluster, r, Resources::plus)));
        return total;
    }

    /** A release's needs, parsed once: releases never change, so the parsed form is kept by release id. */
    private Map<String, Resources> needs(String releaseId, String json) {
        Map<String, Resources> known = parsed.get(releaseId);
        if (known != null) {
            return known;
        }
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear(); // a bound, not an eviction policy: rebuilt from the database as used
        }
        Map<String, Resources> needs = needs(json);
        parsed.put(releaseId, needs);
        return needs;
    }
}
