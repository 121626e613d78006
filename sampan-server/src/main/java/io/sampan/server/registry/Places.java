package io.sampan.server.registry;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finds an app and an environment of a project by their names in one query, as a status read
 * needs on every request. A name that matches nothing gives empty: the stores' own lookups then
 * say which name it was.
 */
@Repository
public class Places {
    private final JdbcClient db;
    private final EnvironmentStore environments;

    public Places(JdbcClient db, EnvironmentStore environments) {
        this.db = db;
        this.environments = environments;
    }

    /** An app and an environment of one project, with the project and its organisation. */
    public record Place(Organisation org, Project project, App app, Environment env) {
    }

    public Optional<Place> find(String org, String project, String app, String env) {
        record Row(Organisation org, Project project, App app, String envId, long envVersion) {
        }
        return db.sql("SELECT o.id, o.name, o.display_name, o.created_at, o.version, p.id, p.name, p.description, p.created_at, p.version, "
                        + "a.id, a.name, a.created_at, a.version, e.id, e.version FROM organisations o "
                        + "JOIN projects p ON p.org_id = o.id JOIN apps a ON a.project_id = p.id JOIN environments e ON e.project_id = p.id "
                        + "WHERE o.name = ? AND p.name = ? AND a.name = ? AND e.name = ?")
                .params(org, project, app, env)
                .query((rs, i) -> new Row(
                        new Organisation(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5)),
                        new Project(rs.getString(6), rs.getString(1), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                                rs.getLong(10)),
                        new App(rs.getString(11), rs.getString(6), rs.getString(12), Instant.ofEpochMilli(rs.getLong(13)), rs.getLong(14)),
                        rs.getString(15), rs.getLong(16)))
                .optional()
                .map(r -> new Place(r.org(), r.project(), r.app(), environments.at(r.envId(), r.envVersion())));
    }
}
