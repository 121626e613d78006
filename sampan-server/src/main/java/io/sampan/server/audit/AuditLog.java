package io.sampan.server.audit;

import io.sampan.server.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit log: append-only, newest first when read, with filters. */
@Repository
public class AuditLog {
    /** The action of a change made by logging in (a user created or linked on first OIDC login). */
    public static final String LOGIN = "LOGIN";
    private final JdbcClient db;
    private final Clock clock;

    public AuditLog(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What happened, before it has a time and an id. {@code before} and {@code after} are redacted summaries. */
    public record Entry(String actor, String source, String action, String target, int status, String detail, String org, String project,
            String before, String after) {
    }

    /**
     * A recorded change.
     *
     * @param outcome {@code succeeded} (2xx/3xx), {@code refused} (4xx: not allowed, not found, invalid) or {@code failed} (5xx)
     */
    public record Event(String id, Instant at, String actor, String source, String action, String target, int status, String outcome,
            String detail, String org, String project, String before, String after) {
    }

    /** The outcomes an event can have, by its HTTP status. */
    public enum Outcome {
        SUCCEEDED(0, 399), REFUSED(400, 499), FAILED(500, 599);

        final int from;
        final int to;

        Outcome(int from, int to) {
            this.from = from;
            this.to = to;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome of(int status) {
            return status >= 500 ? FAILED : status >= 400 ? REFUSED : SUCCEEDED;
        }

        public static Outcome parse(String text) {
            for (Outcome o : values()) {
                if (o.id().equals(text)) {
                    return o;
                }
            }
            throw new RegistryException.Invalid("outcome", "\"" + text + "\" is not an outcome: one of succeeded, refused, failed");
        }
    }

    /**
     * Which events to read; a null field does not filter.
     *
     * @param action the HTTP method (POST, PUT, PATCH, DELETE)
     * @param path a part of the target path, such as {@code /environments/prod}
     * @param until events before this instant
     */
    public record Query(String actor, String org, String project, String action, String path, Outcome outcome, Instant since, Instant until,
            int limit) {
    }

    public void record(Entry e) {
        db.sql("INSERT INTO audit_events (id, at, actor, source, action, target, status, detail, org, project, before_summary, after_summary) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID().toString(), clock.instant().toEpochMilli(), truncate(e.actor(), 100), truncate(e.source(), 100),
                        e.action(), truncate(e.target(), 500), e.status(), truncate(e.detail(), 1000), truncate(e.org(), 63),
                        truncate(e.project(), 63), e.before(), e.after())
                .update();
    }

    /** Events matching the query, newest first. */
    public List<Event> find(Query q) {
        StringBuilder where = new StringBuilder("at >= ?");
        List<Object> params = new ArrayList<>();
        params.add(q.since() == null ? 0L : q.since().toEpochMilli());
        filter(where, params, "at < ?", q.until() == null ? null : q.until().toEpochMilli());
        filter(where, params, "actor = ?", q.actor());
        filter(where, params, "org = ?", q.org());
        filter(where, params, "project = ?", q.project());
        filter(where, params, "action = ?", q.action() == null ? null : q.action().toUpperCase(Locale.ROOT));
        filter(where, params, "target LIKE ?", q.path() == null ? null : "%" + q.path().replace("%", "").replace("_", "") + "%");
        if (q.outcome() != null) {
            where.append(" AND status BETWEEN ? AND ?");
            params.add(q.outcome().from);
            params.add(q.outcome().to);
        }
        return db.sql("SELECT * FROM audit_events WHERE " + where + " ORDER BY at DESC, id LIMIT " + q.limit()).params(params)
                .query(AuditLog::row).list();
    }

    private static void filter(StringBuilder where, List<Object> params, String condition, Object value) {
        if (value != null) {
            where.append(" AND ").append(condition);
            params.add(value);
        }
    }

    private static Event row(ResultSet rs, int i) throws SQLException {
        int status = rs.getInt("status");
        return new Event(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("actor"), rs.getString("source"),
                rs.getString("action"), rs.getString("target"), status, Outcome.of(status).id(), rs.getString("detail"), rs.getString("org"),
                rs.getString("project"), rs.getString("before_summary"), rs.getString("after_summary"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
