package io.sampan.server.registry;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.read.AppDocument;
import io.sampan.spec.read.AppReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Apps and their immutable revisions. Applying an app.yaml validates it (base and every declared
 * environment), creates the app on first use, and stores a new revision only when the content
 * differs from every earlier one.
 */
@Repository
public class AppStore {
    private final JdbcClient db;
    private final Clock clock;
    private final TransactionTemplate tx;

    public AppStore(JdbcClient db, Clock clock, TransactionTemplate tx) {
        this.db = db;
        this.clock = clock;
        this.tx = tx;
    }

    /** The outcome of an apply: the revision the content is, whether it is new, and the warnings. */
    public record Applied(App app, AppRevision revision, boolean created, List<Problem> warnings) {
    }

    /** @throws SpecException when the app.yaml has errors (nothing is stored) */
    public Applied apply(Project project, String yaml, String user, String message) {
        String text = yaml.replace("\r\n", "\n");
        AppDocument doc = AppReader.read(text, "app.yaml");
        List<Problem> problems = doc.validateAll();
        if (problems.stream().anyMatch(Problem::isError)) {
            throw new SpecException(problems);
        }
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        String hash = sha256(text);
        App app = findOrCreate(project, doc.name());
        // one writer at a time per app (a row lock), so concurrent applies each get their own number
        return tx.execute(status -> {
            db.sql("SELECT id FROM apps WHERE id = ? FOR UPDATE").param(app.id()).query(String.class).single();
            Optional<AppRevision> existing = db.sql("SELECT * FROM app_revisions WHERE app_id = ? AND content_hash = ?")
                    .params(app.id(), hash).query(AppStore::revision).optional();
            if (existing.isPresent()) {
                return new Applied(app, existing.get(), false, warnings);
            }
            int next = db.sql("SELECT COALESCE(MAX(number), 0) FROM app_revisions WHERE app_id = ?").param(app.id()).query(Integer.class).single() + 1;
            AppRevision rev = new AppRevision(UUID.randomUUID().toString(), app.id(), next, hash, text, user, message, clock.instant());
            db.sql("INSERT INTO app_revisions (id, app_id, number, content_hash, spec, created_by, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(rev.id(), rev.appId(), rev.number(), rev.contentHash(), rev.spec(), rev.createdBy(), rev.message(),
                            rev.createdAt().toEpochMilli()).update();
            return new Applied(app, rev, true, warnings);
        });
    }

    public App get(Project project, String name) {
        return db.sql("SELECT * FROM apps WHERE project_id = ? AND name = ?").params(project.id(), name).query(AppStore::app).optional()
                .orElseThrow(() -> new RegistryException.NotFound("app", project.name() + "/" + name));
    }

    public Page<App> list(Project project, String after, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM apps WHERE project_id = ? AND name > ? ORDER BY name LIMIT " + (n + 1))
                .params(project.id(), after == null ? "" : after).query(AppStore::app).list();
        return Page.of(rows, n, App::name);
    }

    public AppRevision revision(App app, int number) {
        return db.sql("SELECT * FROM app_revisions WHERE app_id = ? AND number = ?").params(app.id(), number).query(AppStore::revision)
                .optional().orElseThrow(() -> new RegistryException.NotFound("revision", app.name() + "#" + number));
    }

    public AppRevision latest(App app) {
        return db.sql("SELECT * FROM app_revisions WHERE app_id = ? ORDER BY number DESC LIMIT 1").param(app.id()).query(AppStore::revision)
                .optional().orElseThrow(() -> new RegistryException.NotFound("revision", app.name() + "#latest"));
    }

    /** Revisions newest first; {@code before} is the number to page below. */
    public Page<AppRevision> revisions(App app, Integer before, Integer limit) {
        int n = Page.limit(limit);
        var rows = db.sql("SELECT * FROM app_revisions WHERE app_id = ? AND number < ? ORDER BY number DESC LIMIT " + (n + 1))
                .params(app.id(), before == null ? Integer.MAX_VALUE : before).query(AppStore::revision).list();
        return Page.of(rows, n, r -> Integer.toString(r.number()));
    }

    private App findOrCreate(Project project, String name) {
        Optional<App> found = db.sql("SELECT * FROM apps WHERE project_id = ? AND name = ?").params(project.id(), name).query(AppStore::app)
                .optional();
        if (found.isPresent()) {
            return found.get();
        }
        App app = new App(UUID.randomUUID().toString(), project.id(), name, clock.instant(), 1);
        try {
            db.sql("INSERT INTO apps (id, project_id, name, created_at, version) VALUES (?, ?, ?, ?, ?)")
                    .params(app.id(), app.projectId(), app.name(), app.createdAt().toEpochMilli(), app.version()).update();
            return app;
        } catch (DuplicateKeyException raced) {
            return get(project, name);
        }
    }

    private static App app(ResultSet rs, int i) throws SQLException {
        return new App(rs.getString("id"), rs.getString("project_id"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getLong("version"));
    }

    private static AppRevision revision(ResultSet rs, int i) throws SQLException {
        return new AppRevision(rs.getString("id"), rs.getString("app_id"), rs.getInt("number"), rs.getString("content_hash"),
                rs.getString("spec"), rs.getString("created_by"), rs.getString("message"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
