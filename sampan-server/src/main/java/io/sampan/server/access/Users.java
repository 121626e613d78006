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
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    private final JdbcClient db;
    private final Clock clock;

    public Users(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** @param email how the OIDC provider knows them, if they log in through it */
    public record User(String id, String name, String displayName, boolean admin, Instant createdAt, String email) {
    }

    public User create(String name, String displayName, boolean admin) {
        return create(name, displayName, admin, null);
    }

    public User create(String name, String displayName, boolean admin, String email) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RegistryException.Invalid("name", "\"" + name + "\" is not a valid user name: lower-case letters, digits, '-', '.', '_'");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new RegistryException.Invalid("email", "\"" + email + "\" is not an e-mail address");
        }
        User u = new User(UUID.randomUUID().toString(), name, displayName, admin, clock.instant(), email);
        try {
            db.sql("INSERT INTO users (id, name, display_name, admin, created_at, email) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(u.id(), u.name(), u.displayName(), u.admin(), u.createdAt().toEpochMilli(), email).update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("user", name);
        }
        return u;
    }

    /** The user an OIDC identity is, and what its login changed: {@value #CREATED}, {@value #LINKED} or nothing (null). */
    public record OidcUser(User user, String change) {
        public static final String CREATED = "created";
        public static final String LINKED = "linked";
    }

    /**
     * The user an OIDC identity is: the one linked to its subject; else a user created beforehand
     * with its (verified) e-mail and not linked yet, which is linked now; else a new user, with no
     * role anywhere until someone grants one, named after the identity's preferred name or e-mail.
     */
    public synchronized OidcUser ofOidc(OidcVerifier.Identity id) {
        Optional<User> linked = db.sql("SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?").params(id.issuer(), id.subject())
                .query(Users::row).optional();
        if (linked.isPresent()) {
            return new OidcUser(linked.get(), null);
        }
        if (id.email() != null) {
            Optional<User> byEmail = db.sql("SELECT * FROM users WHERE email = ? AND oidc_subject IS NULL").param(id.email()).query(Users::row)
                    .optional();
            if (byEmail.isPresent()) {
                link(byEmail.get().id(), id);
                return new OidcUser(byEmail.get(), OidcUser.LINKED);
            }
        }
        String base = userName(id.preferredName() != null ? id.preferredName() : id.email() != null ? id.email().split("@")[0] : "user");
        String name = base;
        for (int n = 2; db.sql("SELECT COUNT(*) FROM users WHERE name = ?").param(name).query(Integer.class).single() > 0; n++) {
            name = base.substring(0, Math.min(base.length(), 56)) + "-" + n;
        }
        User u = create(name, id.displayName(), false, id.email() != null && EMAIL.matcher(id.email()).matches() ? id.email() : null);
        link(u.id(), id);
        return new OidcUser(u, OidcUser.CREATED);
    }

    private void link(String userId, OidcVerifier.Identity id) {
        db.sql("UPDATE users SET oidc_issuer = ?, oidc_subject = ? WHERE id = ?").params(id.issuer(), id.subject(), userId).update();
    }

    /** A valid user name made from free text: lower-case, other characters as '-', starting with a letter. */
    static String userName(String text) {
        String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^-a-z0-9._]", "-");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            s = "u-" + s;
        }
        return s.length() > 63 ? s.substring(0, 63) : s;
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
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("email"));
    }
}
