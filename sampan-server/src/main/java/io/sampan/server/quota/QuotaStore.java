package io.sampan.server.quota;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Quotas by scope ({@code org}, {@code project}, {@code environment}) and cluster ({@value #ALL_CLUSTERS} for all). */
@Repository
public class QuotaStore {
    public static final String ALL_CLUSTERS = "*";
    private final JdbcClient db;

    public QuotaStore(JdbcClient db) {
        this.db = db;
    }

    public void set(String scopeType, String scopeId, String cluster, Quota quota) {
        db.sql("DELETE FROM quotas WHERE scope_type = ? AND scope_id = ? AND cluster = ?").params(scopeType, scopeId, cluster).update();
        if (!quota.isNone()) {
            db.sql("INSERT INTO quotas (scope_type, scope_id, cluster, cpu_millis, memory_bytes, instances, storage_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(scopeType, scopeId, cluster, quota.cpuMillis(), quota.memoryBytes(), quota.instances(), quota.storageBytes()).update();
        }
    }

    /** The quotas of a scope, by cluster. */
    public Map<String, Quota> of(String scopeType, String scopeId) {
        Map<String, Quota> out = new LinkedHashMap<>();
        db.sql("SELECT * FROM quotas WHERE scope_type = ? AND scope_id = ? ORDER BY cluster").params(scopeType, scopeId).query(rs -> {
            out.put(rs.getString("cluster"), new Quota(nullable(rs.getLong("cpu_millis"), rs.wasNull()),
                    nullable(rs.getLong("memory_bytes"), rs.wasNull()), rs.getObject("instances") == null ? null : rs.getInt("instances"),
                    nullable(rs.getLong("storage_bytes"), rs.wasNull())));
        });
        return out;
    }

    private static Long nullable(long v, boolean wasNull) {
        return wasNull ? null : v;
    }
}
