package io.sampan.server.addon;

import io.sampan.server.cluster.CredentialCipher;
import io.sampan.server.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Addon instances (their secrets encrypted), environments' provider policies and explicit bindings. */
@Repository
public class AddonStore {
    /** The policy row that applies to every type without its own. */
    public static final String ANY_TYPE = "*";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcClient db;
    private final Clock clock;
    private final CredentialCipher cipher;

    public AddonStore(JdbcClient db, Clock clock, CredentialCipher cipher) {
        this.db = db;
        this.clock = clock;
        this.cipher = cipher;
    }

    /**
     * Stores a new instance with its secrets ({@code password}, and {@code admin-password} for
     * provisioned ones); an instance of that name in the environment already there is returned instead.
     */
    public AddonInstance create(AddonInstance draft, Map<String, String> secrets) {
        AddonInstance i = new AddonInstance(UUID.randomUUID().toString(), draft.projectId(), draft.environmentId(), draft.name(), draft.type(),
                draft.version(), draft.plan(), draft.provider(), draft.shared(), draft.appId(), draft.host(), draft.port(), draft.username(),
                draft.database(), draft.tls(), clock.instant());
        try {
            db.sql("INSERT INTO addon_instances (id, project_id, environment_id, name, addon_type, addon_version, plan, provider, shared, app_id, "
                    + "host, port, username, db_name, tls, secrets, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(i.id(), i.projectId(), i.environmentId(), i.name(), i.type(), i.version(), i.plan(), i.provider().id(), i.shared(),
                            i.appId(), i.host(), i.port(), i.username(), i.database(), i.tls(),
                            cipher.encrypt(JSON.writeValueAsString(new TreeMap<>(secrets))), i.createdAt().toEpochMilli())
                    .update();
            return i;
        } catch (DuplicateKeyException raced) {
            return find(draft.environmentId(), draft.name()).orElseThrow(() -> raced);
        }
    }

    public Optional<AddonInstance> find(String environmentId, String name) {
        return db.sql("SELECT * FROM addon_instances WHERE environment_id = ? AND name = ?").params(environmentId, name)
                .query(AddonStore::instance).optional();
    }

    public AddonInstance get(String environmentId, String name) {
        return find(environmentId, name).orElseThrow(() -> new RegistryException.NotFound("addon", name));
    }

    public Optional<AddonInstance> byId(String id) {
        return db.sql("SELECT * FROM addon_instances WHERE id = ?").param(id).query(AddonStore::instance).optional();
    }

    public List<AddonInstance> of(String environmentId) {
        return db.sql("SELECT * FROM addon_instances WHERE environment_id = ? ORDER BY name").param(environmentId)
                .query(AddonStore::instance).list();
    }

    /** The decrypted secrets of an instance: only ever written into a cluster Secret, never returned or logged. */
    Map<String, String> secrets(String instanceId) {
        String stored = db.sql("SELECT secrets FROM addon_instances WHERE id = ?").param(instanceId).query(String.class).single();
        return JSON.readValue(cipher.decrypt(stored), new TypeReference<Map<String, String>>() { });
    }

    @Transactional
    public void delete(AddonInstance i) {
        db.sql("DELETE FROM addon_bindings WHERE instance_id = ?").param(i.id()).update();
        db.sql("DELETE FROM addon_instances WHERE id = ?").param(i.id()).update();
    }

    // ---- policies

    /** The environment's provider per addon type; {@value #ANY_TYPE} for the rest. */
    public Map<String, Provider> policy(String environmentId) {
        Map<String, Provider> p = new LinkedHashMap<>();
        db.sql("SELECT addon_type, provider FROM addon_policies WHERE environment_id = ? ORDER BY addon_type").param(environmentId)
                .query((rs, n) -> p.put(rs.getString("addon_type"), Provider.of("provider", rs.getString("provider")))).list();
        return p;
    }

    @Transactional
    public void setPolicy(String environmentId, Map<String, Provider> policy) {
        db.sql("DELETE FROM addon_policies WHERE environment_id = ?").param(environmentId).update();
        policy.forEach((type, provider) -> db.sql("INSERT INTO addon_policies (environment_id, addon_type, provider) VALUES (?, ?, ?)")
                .params(environmentId, type, provider.id()).update());
    }

    // ---- bindings

    /** The instance an app's alias is bound to explicitly, if any. */
    public Optional<AddonInstance> bound(String environmentId, String appId, String alias) {
        return db.sql("SELECT i.* FROM addon_bindings b JOIN addon_instances i ON i.id = b.instance_id "
                + "WHERE b.environment_id = ? AND b.app_id = ? AND b.alias = ?").params(environmentId, appId, alias)
                .query(AddonStore::instance).optional();
    }

    @Transactional
    public void bind(String environmentId, String appId, String alias, AddonInstance instance) {
        db.sql("DELETE FROM addon_bindings WHERE environment_id = ? AND app_id = ? AND alias = ?").params(environmentId, appId, alias).update();
        db.sql("INSERT INTO addon_bindings (environment_id, app_id, alias, instance_id) VALUES (?, ?, ?, ?)")
                .params(environmentId, appId, alias, instance.id()).update();
    }

    /** {@code app:alias} of each app bound to the instance. */
    public List<String> bindings(AddonInstance instance) {
        return db.sql("SELECT a.name, b.alias FROM addon_bindings b JOIN apps a ON a.id = b.app_id WHERE b.instance_id = ? ORDER BY a.name, b.alias")
                .param(instance.id()).query((rs, n) -> rs.getString(1) + ":" + rs.getString(2)).list();
    }

    private static AddonInstance instance(ResultSet rs, int n) throws SQLException {
        return new AddonInstance(rs.getString("id"), rs.getString("project_id"), rs.getString("environment_id"), rs.getString("name"),
                rs.getString("addon_type"), rs.getString("addon_version"), rs.getString("plan"), Provider.of("provider", rs.getString("provider")),
                rs.getBoolean("shared"), rs.getString("app_id"), rs.getString("host"), rs.getInt("port"), rs.getString("username"),
                rs.getString("db_name"), rs.getBoolean("tls"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
