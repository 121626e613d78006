package io.sampan.server.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ProjectStore {
    private final JdbcClient db;
    private final Clock clock;

    public ProjectStore(JdbcClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Project create(Organisation org, String name, String description) {
        Names.check("name", name, 63);
        Project p = new Project(UUID.randomUUID().toString(), org.id(), name, description, clock.instant(), 1);
        try {
            db.sql("INSERT INTO projects (id, org_id, name, description, created_at, version) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(p.id(), p.orgId(), p.name(), p.description(), p.createdAt().toEpochMilli(), p.version()).update();
        } catch (DuplicateKeyException e) {
            throw new RegistryException.AlreadyExists("project", org.name() + "/" + name);
        }
        return p;
    }

    public Project get(Organisation org, String name) {
        return db.sql("SELECT * FROM projects WHERE org_id = ? AND name = ?").params(org.id(), name).query(ProjectStore::row)
                .optional().orElseThrow(() -> new RegistryException.NotFound("project", org.name() + "/" + name));
    }

    public Page<Project> list(Organisation org, String after, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM projects WHERE org_id = ? AND name > ? ORDER BY name LIMIT " + (n + 1))
                .params(org.id(), after == null ? "" : after).query(ProjectStore::row).list();
        return Page.of(rows, n, Project::name);
    }

    private static Project row(ResultSet rs, int i) throws SQLException {
        return new Project(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), rs.getString("description"),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("version"));
    }
}
