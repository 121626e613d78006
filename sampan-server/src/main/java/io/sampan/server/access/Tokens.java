package io.sampan.server.access;

import io.sampan.server.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * API tokens: {@code spn_<id>_<secret>}. The secret is 32 random bytes shown once at creation; only
 * its SHA-256 is kept (a random secret needs no slow hash). Tokens expire and can be revoked.
 */
@Repository
public class Tokens {
    static final String PREFIX = "spn_";
    private final JdbcClient db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tokens(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A token's public facts; never its secret. */
    public record Token(String id, String userId, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    }

    /** A new token and, once only, its full text. */
    public record Issued(Token token, String text) {
    }

    public Issued issue(String userId, String name, Duration validFor) {
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = HexFormat.of().formatHex(secret);
        return store(userId, name, validFor, id, secretText);
    }

    /** Registers a token whose text was made elsewhere (the bootstrap token {@code sampan up} hands the server). */
    public Issued register(String userId, String name, String text) {
        String[] parts = split(text).orElseThrow(() -> new RegistryException.Invalid("token", "not a Sampan token (spn_<id>_<secret>)"));
        return store(userId, name, null, parts[0], parts[1]);
    }

    private Issued store(String userId, String name, Duration validFor, String id, String secret) {
        Instant now = clock.instant();
        Instant expires = validFor == null ? null : now.plus(validFor);
        db.sql("INSERT INTO tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, userId, name, sha256(secret), now.toEpochMilli(), expires == null ? null : expires.toEpochMilli()).update();
        return new Issued(new Token(id, userId, name, now, expires, null), PREFIX + id + "_" + secret);
    }

    /** The caller an API token stands for (its user read with it, in one query), if the token is valid. */
    public Optional<Caller> caller(String text) {
        Optional<String[]> parts = split(text);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        record Row(Caller caller, String hash, Long expires, Long revoked) {
        }
        Optional<Row> row = db.sql("SELECT t.user_id, u.name, u.admin, t.secret_hash, t.expires_at, t.revoked_at FROM tokens t "
                        + "JOIN users u ON u.id = t.user_id WHERE t.id = ?").param(parts.get()[0])
                .query((rs, i) -> new Row(new Caller(rs.getString(1), rs.getString(2), rs.getBoolean(3)), rs.getString(4), nullable(rs, 5),
                        nullable(rs, 6)))
                .optional();
        if (row.isEmpty() || row.get().revoked() != null
                || row.get().expires() != null && row.get().expires() <= clock.instant().toEpochMilli()) {
            return Optional.empty();
        }
        boolean match = MessageDigest.isEqual(row.get().hash().getBytes(StandardCharsets.US_ASCII),
                sha256(parts.get()[1]).getBytes(StandardCharsets.US_ASCII));
        return match ? Optional.of(row.get().caller()) : Optional.empty();
    }

    public List<Token> of(String userId) {
        return db.sql("SELECT * FROM tokens WHERE user_id = ? ORDER BY created_at, id").param(userId).query(Tokens::row).list();
    }

    public Token get(String id) {
        return db.sql("SELECT * FROM tokens WHERE id = ?").param(id).query(Tokens::row).optional()
                .orElseThrow(() -> new RegistryException.NotFound("token", id));
    }

    public void revoke(String id) {
        db.sql("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(clock.instant().toEpochMilli(), id).update();
    }

    private static Optional<String[]> split(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = text.substring(PREFIX.length()).split("_", 2);
        if (parts.length != 2 || !parts[0].matches("[0-9a-f]{12}") || !parts[1].matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }

    private static Token row(ResultSet rs, int i) throws SQLException {
        Long expires = nullable(rs, "expires_at");
        Long revoked = nullable(rs, "revoked_at");
        return new Token(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")),
                expires == null ? null : Instant.ofEpochMilli(expires), revoked == null ? null : Instant.ofEpochMilli(revoked));
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
