package io.sampan.server.webhook;

import io.sampan.server.cluster.CredentialCipher;
import io.sampan.server.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhooks and their deliveries. */
@Repository
public class WebhookStore {
    private final JdbcClient db;
    private final Clock clock;
    private final CredentialCipher cipher;

    public WebhookStore(JdbcClient db, Clock clock, CredentialCipher cipher) {
        this.db = db;
        this.clock = clock;
        this.cipher = cipher;
    }

    public record Webhook(String id, String projectId, String url, List<String> events, Instant createdAt) {
        public boolean wants(String event) {
            return events.contains("*") || events.contains(event);
        }
    }

    public enum Status { PENDING, DELIVERED, FAILED }

    public record Delivery(String id, String webhookId, String event, String payload, int attempts, Status status, Integer lastCode,
            String lastError, Instant createdAt, Instant nextAttempt) {
    }

    public Webhook create(String projectId, String url, List<String> events, String secret) {
        Webhook w = new Webhook(UUID.randomUUID().toString(), projectId, url, List.copyOf(events), clock.instant());
        db.sql("INSERT INTO webhooks (id, project_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(w.id(), projectId, url, cipher.encrypt(secret), String.join(",", events), w.createdAt().toEpochMilli()).update();
        return w;
    }

    public List<Webhook> of(String projectId) {
        return db.sql("SELECT * FROM webhooks WHERE project_id = ? ORDER BY created_at, id").param(projectId).query(WebhookStore::webhook).list();
    }

    public Webhook get(String projectId, String id) {
        return db.sql("SELECT * FROM webhooks WHERE project_id = ? AND id = ?").params(projectId, id).query(WebhookStore::webhook).optional()
                .orElseThrow(() -> new RegistryException.NotFound("webhook", id));
    }

    String secret(String webhookId) {
        return cipher.decrypt(db.sql("SELECT secret FROM webhooks WHERE id = ?").param(webhookId).query(String.class).single());
    }

    String url(String webhookId) {
        return db.sql("SELECT url FROM webhooks WHERE id = ?").param(webhookId).query(String.class).single();
    }

    void enqueue(Webhook w, String event, String payload) {
        Instant now = clock.instant();
        db.sql("INSERT INTO webhook_deliveries (id, webhook_id, event, payload, attempts, status, created_at, next_attempt) "
                + "VALUES (?, ?, ?, ?, 0, 'PENDING', ?, ?)")
                .params(UUID.randomUUID().toString(), w.id(), event, payload, now.toEpochMilli(), now.toEpochMilli()).update();
    }

    List<Delivery> due(Instant now, int limit) {
        return db.sql("SELECT * FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt <= ? ORDER BY next_attempt LIMIT " + limit)
                .param(now.toEpochMilli()).query(WebhookStore::delivery).list();
    }

    void attempted(Delivery d, Status status, Integer code, String error, Instant nextAttempt) {
        db.sql("UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_code = ?, last_error = ?, next_attempt = ? WHERE id = ?")
                .params(status.name(), code, error, nextAttempt == null ? null : nextAttempt.toEpochMilli(), d.id()).update();
    }

    public List<Delivery> deliveries(String webhookId, int limit) {
        return db.sql("SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id LIMIT " + limit).param(webhookId)
                .query(WebhookStore::delivery).list();
    }

    private static Webhook webhook(ResultSet rs, int i) throws SQLException {
        return new Webhook(rs.getString("id"), rs.getString("project_id"), rs.getString("url"), Arrays.asList(rs.getString("events").split(",")),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Delivery delivery(ResultSet rs, int i) throws SQLException {
        int code = rs.getInt("last_code");
        Integer lastCode = rs.wasNull() ? null : code;
        long next = rs.getLong("next_attempt");
        Instant nextAttempt = rs.wasNull() ? null : Instant.ofEpochMilli(next);
        return new Delivery(rs.getString("id"), rs.getString("webhook_id"), rs.getString("event"), rs.getString("payload"), rs.getInt("attempts"),
                Status.valueOf(rs.getString("status")), lastCode, rs.getString("last_error"), Instant.ofEpochMilli(rs.getLong("created_at")),
                nextAttempt);
    }
}
