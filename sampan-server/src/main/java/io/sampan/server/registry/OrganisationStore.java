package io.sampan.server.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class OrganisationStore {
    private final JdbcClient db;
    private final Clock clock;

    public OrganisationStore(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Organisation create(String name, String displayName) {
        Names.check("name", name, 63);
        Organisation org = new Organisation(UUID.randomUUID().toString(), name, displayName, clock.instant(), 1);
        try {
            db.sql("INSERT INTO organisations (id, name, display_name, created_at, version) VALUES (?, ?, ?, ?, ?)")
                    .params(org.id(), org.name(), org.displayName(), org.createdAt().toEpochMilli(), org.version()).update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("organisation", name);
        }
        return org;
    }

    public Organisation get(String name) {
        return db.sql("SELECT * FROM organisations WHERE name = ?").param(name)
                .query((rs, i) -> new Organisation(rs.getString("id"), rs.getString("name"), rs.getString("display_name"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("version")))
                .optional().orElseThrow(() -> new RegistryException.NotFound("organisation", name));
    }

    public Page<Organisation> list(String after, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM organisations WHERE name > ? ORDER BY name LIMIT " + (n + 1)).param(after == null ? "" : after)
                .query((rs, i) -> new Organisation(rs.getString("id"), rs.getString("name"), rs.getString("display_name"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("version")))
                .list();
        return Page.of(rows, n, Organisation::name);
    }
}
