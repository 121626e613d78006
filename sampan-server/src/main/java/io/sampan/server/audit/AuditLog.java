package io.sampan.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit log: append-only, newest first when read. */
@Repository
public class AuditLog {
    private final JdbcClient db;
    private final Clock clock;

    public AuditLog(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record Event(String id, Instant at, String actor, String source, String action, String target, int status, String detail) {
    }

    public void record(String actor, String source, String action, String target, int status, String detail) {
        db.sql("INSERT INTO audit_events (id, at, actor, source, action, target, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID().toString(), clock.instant().toEpochMilli(), actor, source == null ? null : truncate(source, 100), action,
                        truncate(target, 500), status, detail == null ? null : truncate(detail, 1000))
                .update();
    }

    /** Events at or after {@code since} (all when null), newest first. */
    public List<Event> since(Instant since, int limit) {
        return db.sql("SELECT * FROM audit_events WHERE at >= ? ORDER BY at DESC, id LIMIT " + limit)
                .param(since == null ? 0L : since.toEpochMilli())
                .query((rs, i) -> new Event(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("actor"),
                        rs.getString("source"), rs.getString("action"), rs.getString("target"), rs.getInt("status"), rs.getString("detail")))
                .list();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
