package io.sampan.server.access;

import io.sampan.server.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users and the roles they hold on organisations and projects. */
@Repository
public class Users {
    private static final Pattern NAME = Pattern.compile("[a-z][-a-z0-9._]{0,62}");
    private final JdbcClient db;
    private final Clock clock;

    public Users(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record User(String id, String name, String displayName, boolean admin, Instant createdAt) {
    }

    public User create(String name, String displayName, boolean admin) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RegistryException.Invalid("name", "\"" + name + "\" is not a valid user name: lower-case letters, digits, '-', '.', '_'");
        }
        User u = new User(UUID.randomUUID().toString(), name, displayName, admin, clock.instant());
        try {
            db.sql("INSERT INTO users (id, name, display_name, admin, created_at) VALUES (?, ?, ?, ?, ?)")
                    .params(u.id(), u.name(), u.displayName(), u.admin(), u.createdAt().toEpochMilli()).update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("user", name);
        }
        return u;
    }

    public Optional<User> byId(String id) {
        return db.sql("SELECT * FROM users WHERE id = ?").param(id).query(Users::row).optional();
    }

    public User get(String name) {
        return db.sql("SELECT * FROM users WHERE name = ?").param(name).query(Users::row).optional()
                .orElseThrow(() -> new RegistryException.NotFound("user", name));
    }

    public List<User> list() {
        return db.sql("SELECT * FROM users ORDER BY name").query(Users::row).list();
    }

    public boolean any() {
        return db.sql("SELECT COUNT(*) FROM users").query(Integer.class).single() > 0;
    }

    /** Grants (or changes, or with {@code null} removes) a user's role on an organisation or project. */
    public void grant(String userId, String scopeType, String scopeId, Role role) {
        db.sql("DELETE FROM memberships WHERE user_id = ? AND scope_type = ? AND scope_id = ?").params(userId, scopeType, scopeId).update();
        if (role != null) {
            db.sql("INSERT INTO memberships (user_id, scope_type, scope_id, role) VALUES (?, ?, ?, ?)")
                    .params(userId, scopeType, scopeId, role.id()).update();
        }
    }

    public Optional<Role> role(String userId, String scopeType, String scopeId) {
        return db.sql("SELECT role FROM memberships WHERE user_id = ? AND scope_type = ? AND scope_id = ?").params(userId, scopeType, scopeId)
                .query(String.class).optional().map(r -> Role.parse("role", r));
    }

    /** Ids of the organisations where the user has a role, directly or through one of their projects. */
    public List<String> organisations(String userId) {
        return db.sql("SELECT scope_id FROM memberships WHERE user_id = ? AND scope_type = 'org' UNION "
                + "SELECT p.org_id FROM memberships m JOIN projects p ON p.id = m.scope_id WHERE m.user_id = ? AND m.scope_type = 'project'")
                .params(userId, userId).query(String.class).list();
    }

    private static User row(ResultSet rs, int i) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), rs.getString("display_name"), rs.getBoolean("admin"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
