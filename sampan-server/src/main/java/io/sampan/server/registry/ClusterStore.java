package io.sampan.server.registry;

import io.sampan.server.cluster.CredentialCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Clusters and their credentials (a kubeconfig), encrypted at rest. */
@Repository
public class ClusterStore {
    private final JdbcClient db;
    private final Clock clock;
    private final CredentialCipher cipher;

    public ClusterStore(JdbcClient db, Clock clock, CredentialCipher cipher) {
        this.db = db;
        this.clock = clock;
        this.cipher = cipher;
    }

    public Cluster create(String name, String server, String kubeconfig) {
        Names.check("name", name, 63);
        Cluster c = new Cluster(UUID.randomUUID().toString(), name, server, null, ClusterHealth.UNKNOWN, null, null, clock.instant(), 1);
        try {
            db.sql("INSERT INTO clusters (id, name, server, credentials, health, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(c.id(), c.name(), c.server(), cipher.encrypt(kubeconfig), c.health().name(), c.createdAt().toEpochMilli(), c.version())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("cluster", name);
        }
        return c;
    }

    public Cluster get(String name) {
        return db.sql("SELECT * FROM clusters WHERE name = ?").param(name).query(ClusterStore::row).optional()
                .orElseThrow(() -> new RegistryException.NotFound("cluster", name));
    }

    public Cluster byId(String id) {
        return db.sql("SELECT * FROM clusters WHERE id = ?").param(id).query(ClusterStore::row).optional()
                .orElseThrow(() -> new RegistryException.NotFound("cluster", id));
    }

    public Page<Cluster> list(String after, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM clusters WHERE name > ? ORDER BY name LIMIT " + (n + 1)).param(after == null ? "" : after)
                .query(ClusterStore::row).list();
        return Page.of(rows, n, Cluster::name);
    }

    /** The decrypted kubeconfig, for the cluster driver only. */
    public String kubeconfig(Cluster cluster) {
        String stored = db.sql("SELECT credentials FROM clusters WHERE id = ?").param(cluster.id()).query(String.class).single();
        return cipher.decrypt(stored);
    }

    public Cluster recordCheck(Cluster cluster, ClusterHealth health, String reason, String kubernetesVersion) {
        Instant now = clock.instant();
        int updated = db.sql("UPDATE clusters SET health = ?, health_reason = ?, kubernetes_version = COALESCE(?, kubernetes_version), "
                + "checked_at = ?, version = version + 1 WHERE id = ?")
                .params(health.name(), reason, kubernetesVersion, now.toEpochMilli(), cluster.id()).update();
        if (updated == 0) {
            throw new RegistryException.NotFound("cluster", cluster.name());
        }
        return byId(cluster.id());
    }

    private static Cluster row(ResultSet rs, int i) throws SQLException {
        long checked = rs.getLong("checked_at");
        Instant checkedAt = rs.wasNull() ? null : Instant.ofEpochMilli(checked);
        return new Cluster(rs.getString("id"), rs.getString("name"), rs.getString("server"), rs.getString("kubernetes_version"),
                ClusterHealth.valueOf(rs.getString("health")), rs.getString("health_reason"), checkedAt,
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("version"));
    }
}
