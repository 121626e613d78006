package io.sampan.server.addon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.cluster.CredentialCipher;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.ClusterBinding;
import io.sampan.server.registry.ClusterStore;
import io.sampan.server.registry.Databases;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.ProjectStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The addon tables on H2, PostgreSQL and MariaDB: secrets encrypted at rest, one name per environment, policies, bindings. */
class AddonStoreTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    static List<String> databases() {
        return Databases.kinds();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void instancesPoliciesAndBindings(String kind) throws Exception {
        DataSource ds = Databases.fresh(kind);
        try {
            JdbcClient db = JdbcClient.create(ds);
            CredentialCipher cipher = new CredentialCipher(new byte[32], new SecureRandom());
            ClusterStore clusters = new ClusterStore(db, CLOCK, cipher);
            clusters.create("dc1", "https://10.0.0.1:6443", "apiVersion: v1\nkind: Config\n");
            Project project = new ProjectStore(db, CLOCK).create(new OrganisationStore(db, CLOCK).create("retail", null), "shop", null);
            Environment env = new EnvironmentStore(db, CLOCK, clusters).create(project, "dev", null, List.of(new ClusterBinding("dc1", null, 1, null)),
                    null, null);
            var app = new AppStore(db, CLOCK, new org.springframework.transaction.support.TransactionTemplate(
                    new org.springframework.jdbc.support.JdbcTransactionManager(ds))).apply(project, """
                    apiVersion: sampan.io/v1
                    kind: App
                    metadata: {name: shop}
                    spec:
                      services:
                        web: {image: "r.local/web:1", port: 8080}
                    """, "ann", null).app();
            AddonStore store = new AddonStore(db, CLOCK, cipher);

            AddonInstance draft = new AddonInstance(null, project.id(), env.id(), "shop-db", "mysql", "8.0", "small", Provider.TEMPLATE, false,
                    app.id(), "addon-shop-db", 3306, "app", "app", false, null);
            AddonInstance i = store.create(draft, Map.of("password", "pw-0123456789", "admin-password", "root-0123456789"));
            assertThat(store.create(draft, Map.of("password", "other"))).as("the same name in the environment is the same instance")
                    .isEqualTo(i);
            assertThat(db.sql("SELECT secrets FROM addon_instances WHERE id = ?").param(i.id()).query(String.class).single())
                    .startsWith("v1:").doesNotContain("pw-0123456789");
            assertThat(store.secrets(i.id())).containsEntry("password", "pw-0123456789").containsEntry("admin-password", "root-0123456789");
            assertThat(store.get(env.id(), "shop-db")).isEqualTo(i);
            assertThat(i.createdAt()).isEqualTo(CLOCK.instant());

            store.setPolicy(env.id(), Map.of("mysql", Provider.EXTERNAL, AddonStore.ANY_TYPE, Provider.TEMPLATE));
            assertThat(store.policy(env.id())).containsExactly(Map.entry("*", Provider.TEMPLATE), Map.entry("mysql", Provider.EXTERNAL));

            store.bind(env.id(), app.id(), "db", i);
            store.bind(env.id(), app.id(), "db", i);
            assertThat(store.bound(env.id(), app.id(), "db")).contains(i);
            assertThat(store.bindings(i)).containsExactly("shop:db");
            store.delete(i);
            assertThat(store.of(env.id())).isEmpty();
        } finally {
            Databases.drop(kind, ds);
        }
    }
}
