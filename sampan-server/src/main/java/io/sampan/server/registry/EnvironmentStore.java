package io.sampan.server.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import io.sampan.server.access.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/** Environments of projects and the clusters each is bound to. */
@Repository
public class EnvironmentStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private final JdbcClient db;
    private final Clock clock;
    private final ClusterStore clusters;

    public EnvironmentStore(JdbcClient db, Clock clock, ClusterStore clusters) {
        this.db = db;
        this.clock = clock;
        this.clusters = clusters;
    }

    /** A new environment; bindings without a namespace get {@code <project>-<environment>}. */
    @Transactional
    public Environment create(Project project, String name, EnvironmentProfile profile, List<ClusterBinding> bindings, Role deployRole,
            Approval approval) {
        Names.check("name", name, 30);
        Environment env = new Environment(UUID.randomUUID().toString(), project.id(), name, profile == null ? EnvironmentProfile.DEFAULT : profile,
                normalise(project, name, bindings), deployRole, approval, clock.instant(), 1);
        try {
            db.sql("INSERT INTO environments (id, project_id, name, profile, deploy_role, approval_role, approval_separate, created_at, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(env.id(), env.projectId(), env.name(), JSON.writeValueAsString(env.profile()),
                            deployRole == null ? null : deployRole.id(), approval == null ? null : approval.role().id(),
                            approval != null && approval.separateApprover(), env.createdAt().toEpochMilli(), 1L)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("environment", project.name() + "/" + name);
        }
        insertBindings(env);
        return env;
    }

    /** Replaces profile and bindings, if {@code expectedVersion} is still current. */
    @Transactional
    public Environment update(Project project, String name, long expectedVersion, EnvironmentProfile profile, List<ClusterBinding> bindings,
            Role deployRole, Approval approval) {
        Environment current = get(project, name);
        int updated = db.sql("UPDATE environments SET profile = ?, deploy_role = ?, approval_role = ?, approval_separate = ?, version = version + 1 "
                + "WHERE id = ? AND version = ?")
                .params(JSON.writeValueAsString(profile), deployRole == null ? null : deployRole.id(), approval == null ? null : approval.role().id(),
                        approval != null && approval.separateApprover(), current.id(), expectedVersion).update();
        if (updated == 0) {
            throw new RegistryException.Conflict("environment \"" + name + "\" was changed by someone else (version " + current.version()
                    + ", you sent " + expectedVersion + "): read it again and retry");
        }
        db.sql("DELETE FROM environment_clusters WHERE environment_id = ?").param(current.id()).update();
        Environment next = new Environment(current.id(), project.id(), name, profile, normalise(project, name, bindings), deployRole, approval,
                current.createdAt(), expectedVersion + 1);
        insertBindings(next);
        return next;
    }

    public Environment get(Project project, String name) {
        record Current(String id, long version) {
        }
        Current current = db.sql("SELECT id, version FROM environments WHERE project_id = ? AND name = ?").params(project.id(), name)
                .query((rs, i) -> new Current(rs.getString(1), rs.getLong(2))).optional()
                .orElseThrow(() -> new RegistryException.NotFound("environment", project.name() + "/" + name));
        return at(current.id(), current.version());
    }

    /** The environment with this id as it is at {@code version} (its current version, just read). */
    public Environment at(String id, long version) {
        Environment cached = byVersion.get(id);
        if (cached != null && cached.version() == version) {
            return cached;
        }
        Environment env = withBindings(db.sql("SELECT * FROM environments WHERE id = ?").param(id).query(this::row).single());
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            byVersion.put(env.id(), env); // what a transaction reads may yet be rolled back
        }
        return env;
    }

    /**
     * Environments as last read, by id. Every change of an environment (profile, bindings, roles)
     * raises its version, so a cached environment whose version is still current is the environment.
     */
    private final java.util.Map<String, Environment> byVersion = new java.util.concurrent.ConcurrentHashMap<>();

    public Page<Environment> list(Project project, String after, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM environments WHERE project_id = ? AND name > ? ORDER BY name LIMIT " + (n + 1))
                .params(project.id(), after == null ? "" : after).query(this::row).list();
        Page<Environment> page = Page.of(rows, n, Environment::name);
        return new Page<>(page.items().stream().map(this::withBindings).toList(), page.next());
    }

    private List<ClusterBinding> normalise(Project project, String env, List<ClusterBinding> bindings) {
        List<ClusterBinding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < (bindings == null ? 0 : bindings.size()); i++) {
            ClusterBinding b = bindings.get(i);
            String field = "clusters[" + i + "]";
            if (b == null || b.cluster() == null) {
                throw new RegistryException.Invalid(field + ".cluster", "each binding names a registered cluster");
            }
            clusters.get(b.cluster());
            if (!seen.add(b.cluster())) {
                throw new RegistryException.Invalid(field + ".cluster", "cluster \"" + b.cluster() + "\" is bound twice");
            }
            String ns = b.namespace() != null ? b.namespace() : project.name() + "-" + env;
            if (!NAMESPACE.matcher(ns).matches()) {
                throw new RegistryException.Invalid(field + ".namespace", "\"" + ns + "\" is not a valid namespace name");
            }
            if (b.weight() < 0 || b.weight() > 1000) {
                throw new RegistryException.Invalid(field + ".weight", "weight must be from 0 to 1000");
            }
            out.add(new ClusterBinding(b.cluster(), ns, b.weight(), b.zone()));
        }
        return out;
    }

    private void insertBindings(Environment env) {
        int position = 0;
        for (ClusterBinding b : env.clusters()) {
            db.sql("INSERT INTO environment_clusters (environment_id, cluster_id, namespace, weight, zone, position) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(env.id(), clusters.get(b.cluster()).id(), b.namespace(), b.weight(), b.zone(), position++).update();
        }
    }

    private Environment withBindings(Environment env) {
        List<ClusterBinding> bindings = db.sql("SELECT c.name, b.namespace, b.weight, b.zone FROM environment_clusters b "
                + "JOIN clusters c ON c.id = b.cluster_id WHERE b.environment_id = ? ORDER BY b.position").param(env.id())
                .query((rs, i) -> new ClusterBinding(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4))).list();
        return new Environment(env.id(), env.projectId(), env.name(), env.profile(), bindings, env.deployRole(), env.approval(), env.createdAt(),
                env.version());
    }

    private Environment row(ResultSet rs, int i) throws SQLException {
        return new Environment(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                JSON.readValue(rs.getString("profile"), EnvironmentProfile.class), List.of(),
                rs.getString("deploy_role") == null ? null : Role.parse("deployRole", rs.getString("deploy_role")),
                rs.getString("approval_role") == null ? null : new Approval(Role.parse("approval.role", rs.getString("approval_role")),
                        rs.getBoolean("approval_separate")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getLong("version"));
    }
}
