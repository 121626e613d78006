package io.sampan.server.deploy;

import io.sampan.release.Release;
import io.sampan.release.ReleaseProgress;
import io.sampan.server.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Releases and the one-running-release-per-app-and-environment rule. */
@Repository
public class ReleaseStore {
    private final JdbcClient db;
    private final TransactionTemplate tx;

    public ReleaseStore(JdbcClient db, TransactionTemplate tx) {
        this.db = db;
        this.tx = tx;
    }

    /** The release running for this app and environment, if any. */
    public Optional<ReleaseRecord> running(String appId, String environmentId) {
        return db.sql("SELECT " + ROW.replaceAll("(^|, )", "$1r.") + " FROM releases r JOIN running_releases x ON x.release_id = r.id "
                + "WHERE x.app_id = ? AND x.environment_id = ?")
                .params(appId, environmentId).query(this::row).optional();
    }

    /** Releases to move forward: running and not waiting for approval. */
    public List<String> runningIds() {
        return db.sql("SELECT x.release_id FROM running_releases x JOIN releases r ON r.id = x.release_id "
                + "WHERE r.approval IS NULL OR r.approval <> 'PENDING'").query(String.class).list();
    }

    /** Records an approval (the release starts now) or a rejection (the release ends, failed). */
    public void decide(ReleaseRecord r, boolean approve, String by, Instant now) {
        tx.executeWithoutResult(status -> {
            int updated = db.sql("UPDATE releases SET approval = ?, approved_by = ? WHERE id = ? AND approval = 'PENDING'")
                    .params(approve ? "APPROVED" : "REJECTED", by, r.id()).update();
            if (updated == 0) {
                throw new RegistryException.Conflict("release " + r.number() + " is not waiting for approval any more");
            }
            ReleaseRecord fresh = byId(r.id());
            ReleaseProgress next;
            if (approve) {
                next = ReleaseProgress.start(fresh.content(), now);
            } else {
                var clusters = new java.util.LinkedHashMap<String, ReleaseProgress.ClusterProgress>();
                fresh.progress().clusters().forEach((name, cp) -> clusters.put(name, new ReleaseProgress.ClusterProgress(
                        new ReleaseProgress.Step.Stopped(cp.step()), now, "rejected by " + by, 0, null, "REJECTED")));
                next = new ReleaseProgress(fresh.progress().startedAt(), clusters, now);
            }
            saveProgress(fresh, next);
        });
    }

    public int nextNumber(String appId, String environmentId) {
        return db.sql("SELECT COALESCE(MAX(number), 0) FROM releases WHERE app_id = ? AND environment_id = ?").params(appId, environmentId)
                .query(Integer.class).single() + 1;
    }

    /**
     * Records a new release and marks it running. Refused with a conflict naming the running release
     * unless {@code supersede}, which fails the running one ("superseded by release N") first.
     */
    public ReleaseRecord start(ReleaseRecord r, boolean supersede, Instant now) {
        return tx.execute(status -> {
            Optional<ReleaseRecord> current = running(r.appId(), r.environmentId());
            if (current.isPresent()) {
                if (!supersede) {
                    throw new RegistryException.Conflict("release " + current.get().number() + " of this app is still running in this environment; "
                            + "wait for it, or deploy with supersede to stop it");
                }
                supersede(current.get(), r.number(), now);
            }
            db.sql("INSERT INTO releases (id, app_id, environment_id, number, revision, rollback_of, requested_by, message, inputs, needs, content, "
                    + "progress, phase, created_at, version, approval) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(r.id(), r.appId(), r.environmentId(), r.number(), r.revision(), r.rollbackOf(), r.requestedBy(), r.message(),
                            ReleaseCodec.inputs(r.inputs()), io.sampan.server.quota.QuotaCheck.encode(ReleaseService.needs(r.content())),
                            ReleaseCodec.content(r.content()), ReleaseCodec.progress(r.progress()), r.progress().phase().name(),
                            r.createdAt().toEpochMilli(), r.version(), r.approval().state() == ReleaseRecord.ApprovalState.NONE ? null
                                    : r.approval().state().name())
                    .update();
            try {
                db.sql("INSERT INTO running_releases (app_id, environment_id, release_id) VALUES (?, ?, ?)")
                        .params(r.appId(), r.environmentId(), r.id()).update();
            } catch (DuplicateKeyException raced) {
                status.setRollbackOnly();
                throw new RegistryException.Conflict("another release of this app started in this environment at the same moment; retry");
            }
            return r;
        });
    }

    private void supersede(ReleaseRecord running, int by, Instant now) {
        var clusters = new java.util.LinkedHashMap<String, ReleaseProgress.ClusterProgress>();
        running.progress().clusters().forEach((name, cp) -> clusters.put(name, cp.terminal() ? cp
                : new ReleaseProgress.ClusterProgress(new ReleaseProgress.Step.Stopped(cp.step()), now, "superseded by release " + by, 0, null,
                        "SUPERSEDED")));
        ReleaseProgress stopped = new ReleaseProgress(running.progress().startedAt(), clusters, now);
        saveProgress(running, stopped);
        db.sql("DELETE FROM running_releases WHERE release_id = ?").param(running.id()).update();
    }

    /**
     * Saves new progress if nobody else did since {@code r} was read; finishes the release when it is
     * terminal. One transaction: a process killed between the two writes must not leave a finished
     * release marked running (it would refuse every later deploy of the app to the environment).
     */
    public boolean saveProgress(ReleaseRecord r, ReleaseProgress progress) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int updated = db.sql("UPDATE releases SET progress = ?, phase = ?, finished_at = ?, version = version + 1 WHERE id = ? AND version = ?")
                    .params(ReleaseCodec.progress(progress), progress.phase().name(),
                            progress.finishedAt() == null ? null : progress.finishedAt().toEpochMilli(), r.id(), r.version())
                    .update();
            if (updated == 1 && progress.phase() != ReleaseProgress.Phase.RUNNING) {
                db.sql("DELETE FROM running_releases WHERE release_id = ?").param(r.id()).update();
            }
            return updated == 1;
        }));
    }

    /**
     * Saves progress changed by a person (pause, promote, abort, retry) on the freshest copy,
     * retrying when the runner saved in between; {@code change} may refuse with a conflict.
     */
    public ReleaseRecord change(String id, java.util.function.UnaryOperator<ReleaseProgress> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            ReleaseRecord fresh = byId(id);
            ReleaseProgress next = change.apply(fresh.progress());
            if (next.equals(fresh.progress()) || saveProgress(fresh, next)) {
                return byId(id);
            }
        }
        throw new RegistryException.Conflict("the release changed too often to apply this; retry");
    }

    /**
     * Puts a failed release back to running (a retry), unless another release of the app now runs in
     * the environment.
     */
    public ReleaseRecord restart(ReleaseRecord r, ReleaseProgress progress) {
        return tx.execute(status -> {
            Optional<ReleaseRecord> current = running(r.appId(), r.environmentId());
            if (current.isPresent()) {
                throw new RegistryException.Conflict("release " + current.get().number() + " of this app runs in this environment now; "
                        + "retry is only for the latest release");
            }
            if (!saveProgress(r, progress)) {
                throw new RegistryException.Conflict("release " + r.number() + " changed meanwhile; retry");
            }
            try {
                db.sql("INSERT INTO running_releases (app_id, environment_id, release_id) VALUES (?, ?, ?)")
                        .params(r.appId(), r.environmentId(), r.id()).update();
            } catch (DuplicateKeyException raced) {
                status.setRollbackOnly();
                throw new RegistryException.Conflict("another release of this app started in this environment at the same moment");
            }
            return byId(r.id());
        });
    }

    /** The last release that succeeded, if any: what a new release replaces and an automatic rollback returns to. */
    public Optional<ReleaseRecord> lastSucceeded(String appId, String environmentId) {
        return db.sql("SELECT " + ROW + " FROM releases WHERE app_id = ? AND environment_id = ? AND phase = 'SUCCEEDED' ORDER BY number DESC LIMIT 1")
                .params(appId, environmentId).query(this::row).optional();
    }

    /** One transition of a release, as recorded. */
    public record Event(long seq, Instant at, String actor, String cluster, String step, String message) {
    }

    static final int EVENT_MESSAGE = 2000;

    /** Records transitions (in order) of a release, by {@code actor} ("sampan" for the engine). */
    public void recordEvents(String releaseId, String actor, Instant at, List<ReleaseProgress.Transition> transitions) {
        for (ReleaseProgress.Transition t : transitions) {
            String message = t.message() == null ? "" : t.message();
            for (int attempt = 0; ; attempt++) {
                // seq numbers a release's events in order; a concurrent writer taking the same one makes this retry
                long seq = db.sql("SELECT COALESCE(MAX(seq), 0) FROM release_events WHERE release_id = ?").param(releaseId).query(Long.class).single() + 1;
                try {
                    db.sql("INSERT INTO release_events (id, release_id, seq, happened_at, actor, cluster, step, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                            .params(newId(), releaseId, seq, at.toEpochMilli(), actor, t.cluster(), t.step(),
                                    message.length() > EVENT_MESSAGE ? message.substring(0, EVENT_MESSAGE - 1) + "…" : message)
                            .update();
                    break;
                } catch (DuplicateKeyException taken) {
                    if (attempt >= 10) {
                        throw taken;
                    }
                }
            }
        }
    }

    /** A release's events, oldest first, after sequence {@code after} (0 for all). */
    public List<Event> events(String releaseId, long after) {
        return db.sql("SELECT * FROM release_events WHERE release_id = ? AND seq > ? ORDER BY seq, id").params(releaseId, after)
                .query((rs, i) -> new Event(rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("happened_at")), rs.getString("actor"), rs.getString("cluster"),
                        rs.getString("step"), rs.getString("message")))
                .list();
    }

    public ReleaseRecord byId(String id) {
        return db.sql("SELECT " + ROW + " FROM releases WHERE id = ?").param(id).query(this::row).optional()
                .orElseThrow(() -> new RegistryException.NotFound("release", id));
    }

    public ReleaseRecord get(String appId, String environmentId, int number) {
        return db.sql("SELECT " + ROW + " FROM releases WHERE app_id = ? AND environment_id = ? AND number = ?").params(appId, environmentId, number)
                .query(this::row).optional().orElseThrow(() -> new RegistryException.NotFound("release", Integer.toString(number)));
    }

    public Optional<ReleaseRecord> latest(String appId, String environmentId) {
        return db.sql("SELECT " + ROW + " FROM releases WHERE app_id = ? AND environment_id = ? ORDER BY number DESC LIMIT 1")
                .params(appId, environmentId).query(this::row).optional();
    }

    public List<ReleaseRecord> list(String appId, String environmentId, int before, int limit) {
        return db.sql("SELECT " + ROW + " FROM releases WHERE app_id = ? AND environment_id = ? AND number < ? ORDER BY number DESC LIMIT " + limit)
                .params(appId, environmentId, before).query(this::row).list();
    }

    /** The project an app belongs to. */
    public String projectOf(String appId) {
        return db.sql("SELECT project_id FROM apps WHERE id = ?").param(appId).query(String.class).single();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Parsed release contents by release id: contents never change, so parsing once is enough. */
    private final Map<String, Release> contents = lru();
    static final int CONTENT_CACHE = 2000;

    /**
     * The columns a release record is read from: the small ones. {@code content} and {@code inputs}
     * never change and are parsed once per release ({@link #contents}, {@link #inputs}); {@code progress}
     * changes with {@code version}, so it is parsed once per version ({@link #progress}). The large text
     * columns are read only on a cache miss: a status read of a release that did not move reads one row
     * of small columns and parses nothing.
     */
    private static final String ROW = "id, app_id, environment_id, number, revision, rollback_of, requested_by, message, "
            + "created_at, version, approval, approved_by";

    private final Map<String, ReleaseRecord.Inputs> inputs = lru();
    private final Map<String, VersionedProgress> progress = lru();

    private record VersionedProgress(long version, ReleaseProgress progress) {
    }

    private static <V> Map<String, V> lru() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CONTENT_CACHE;
            }
        });
    }

    private Release content(String id) {
        Release cached = contents.get(id);
        if (cached != null) {
            return cached;
        }
        Release parsed = ReleaseCodec.content(db.sql("SELECT content FROM releases WHERE id = ?").param(id).query(String.class).single());
        contents.put(id, parsed);
        return parsed;
    }

    /** The release's inputs and its progress at {@code version}, read from the database only when not cached. */
    private Map.Entry<ReleaseRecord.Inputs, ReleaseProgress> inputsAndProgress(String id, long version) {
        ReleaseRecord.Inputs in = inputs.get(id);
        VersionedProgress p = progress.get(id);
        if (in != null && p != null && p.version() == version) {
            return Map.entry(in, p.progress());
        }
        var row = db.sql("SELECT inputs, progress, version FROM releases WHERE id = ?").param(id)
                .query((rs, i) -> new Object[] {ReleaseCodec.inputs(rs.getString("inputs")), rs.getString("progress"), rs.getLong("version")})
                .single();
        ReleaseRecord.Inputs readInputs = (ReleaseRecord.Inputs) row[0];
        inputs.put(id, readInputs);
        ReleaseProgress readProgress = ReleaseCodec.progress((String) row[1]);
        long readVersion = (Long) row[2];
        // a writer may have moved the release on between the two reads: the newer progress is what
        // is cached, and the record is read again so that its version and progress agree
        if (!org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            // what a transaction reads may yet be rolled back, and its version be taken by another writer
            progress.merge(id, new VersionedProgress(readVersion, readProgress), (a, b) -> b.version() >= a.version() ? b : a);
        }
        if (readVersion != version) {
            return null;
        }
        return Map.entry(readInputs, readProgress);
    }

    private ReleaseRecord row(ResultSet rs, int i) throws SQLException {
        int rollbackOf = rs.getInt("rollback_of");
        Integer rollback = rs.wasNull() ? null : rollbackOf;
        String id = rs.getString("id");
        long version = rs.getLong("version");
        var inputsAndProgress = inputsAndProgress(id, version);
        while (inputsAndProgress == null) {
            // moved on since the row was read: take the version the cache now holds
            version = db.sql("SELECT version FROM releases WHERE id = ?").param(id).query(Long.class).single();
            inputsAndProgress = inputsAndProgress(id, version);
        }
        return new ReleaseRecord(id, rs.getString("app_id"), rs.getString("environment_id"), rs.getInt("number"),
                rs.getInt("revision"), rollback, rs.getString("requested_by"), rs.getString("message"), inputsAndProgress.getKey(),
                content(id), inputsAndProgress.getValue(), Instant.ofEpochMilli(rs.getLong("created_at")), version, rs.getString("approval") == null ? ReleaseRecord.Approval.NONE
                        : new ReleaseRecord.Approval(ReleaseRecord.ApprovalState.valueOf(rs.getString("approval")), rs.getString("approved_by")));
    }
}
