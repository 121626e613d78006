package io.sampan.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sampan.server.cluster.CredentialCipher;
import io.sampan.spec.SpecException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The registry stores against real H2, PostgreSQL and MariaDB, each with the real migrations. */
class RegistryStoresTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]
            users: [{name: u, user: {token: s3cr3t-token}}]
            contexts: [{name: ctx, context: {cluster: c, user: u}}]
            current-context: ctx
            """;
    static final String APP = """
            apiVersion: sampan.io/v1
            kind: App
            metadata: {name: shop}
            spec:
              services:
                web: {image: "r.local/web:%s", port: 8080}
            """;

    static List<String> databases() {
        return Databases.kinds();
    }

    record Stores(JdbcClient db, OrganisationStore orgs, ProjectStore projects, ClusterStore clusters, EnvironmentStore envs, AppStore apps) {
        static Stores on(DataSource ds) {
            JdbcClient db = JdbcClient.create(ds);
            byte[] key = new byte[32];
            ClusterStore clusters = new ClusterStore(db, CLOCK, new CredentialCipher(key, new SecureRandom()));
            return new Stores(db, new OrganisationStore(db, CLOCK), new ProjectStore(db, CLOCK), clusters,
                    new EnvironmentStore(db, CLOCK, clusters), new AppStore(db, CLOCK,
                    new org.springframework.transaction.support.TransactionTemplate(new org.springframework.jdbc.support.JdbcTransactionManager(ds))));
        }
    }

    interface Body {
        void run(Stores s) throws Exception;
    }

    static void on(String kind, Body body) throws Exception {
        DataSource ds = Databases.fresh(kind);
        try {
            body.run(Stores.on(ds));
        } finally {
            Databases.drop(kind, ds);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void organisationsAndProjectsAreUniqueByNameAndPageByName(String kind) throws Exception {
        on(kind, s -> {
            Organisation retail = s.orgs().create("retail", "Retail");
            assertThatThrownBy(() -> s.orgs().create("retail", null)).isInstanceOf(RegistryException.AlreadyExists.class);
            for (String name : List.of("c", "a", "e", "b", "d")) {
                s.projects().create(retail, name, null);
            }
            Page<Project> first = s.projects().list(retail, null, 2);
            assertThat(first.items()).extracting(Project::name).containsExactly("a", "b");
            assertThat(first.next()).isEqualTo("b");
            Page<Project> rest = s.projects().list(retail, first.next(), 10);
            assertThat(rest.items()).extracting(Project::name).containsExactly("c", "d", "e");
            assertThat(rest.next()).isNull();
            Organisation other = s.orgs().create("other", null);
            assertThatThrownBy(() -> s.projects().get(other, "a")).isInstanceOf(RegistryException.NotFound.class);
            assertThatThrownBy(() -> s.projects().create(retail, "Bad_Name", null)).isInstanceOf(RegistryException.Invalid.class)
                    .hasMessageContaining("Bad_Name");
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void clusterCredentialsAreEncryptedAtRestAndReadBack(String kind) throws Exception {
        on(kind, s -> {
            Cluster c = s.clusters().create("dc1", "https://10.0.0.1:6443", KUBECONFIG);
            String stored = s.db().sql("SELECT credentials FROM clusters WHERE id = ?").param(c.id()).query(String.class).single();
            assertThat(stored).startsWith("v1:").doesNotContain("s3cr3t-token");
            assertThat(s.clusters().kubeconfig(c)).isEqualTo(KUBECONFIG);
            Cluster checked = s.clusters().recordCheck(c, ClusterHealth.UNREACHABLE, "timeout: no answer within 5s", null);
            assertThat(checked.health()).isEqualTo(ClusterHealth.UNREACHABLE);
            assertThat(checked.checkedAt()).isEqualTo(CLOCK.instant());
            assertThat(checked.version()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void environmentsBindClustersAndRefuseAStaleUpdate(String kind) throws Exception {
        on(kind, s -> {
            Project shop = s.projects().create(s.orgs().create("retail", null), "shop", null);
            s.clusters().create("dc1", "https://a", KUBECONFIG);
            s.clusters().create("dc2", "https://b", KUBECONFIG);
            Environment prod = s.envs().create(shop, "prod", new EnvironmentProfile(2.0, 1.0, false, "nginx", "apps.example.com", null, null, null),
                    List.of(new ClusterBinding("dc1", null, 2, "zone-a"), new ClusterBinding("dc2", "shop-live", 1, "zone-b")),
                    io.sampan.server.access.Role.MAINTAINER, new Approval(io.sampan.server.access.Role.OWNER, true));
            Environment read = s.envs().get(shop, "prod");
            assertThat(read.clusters()).containsExactly(new ClusterBinding("dc1", "shop-prod", 2, "zone-a"),
                    new ClusterBinding("dc2", "shop-live", 1, "zone-b"));
            assertThat(read.profile().cpuOvercommit()).isEqualTo(2);
            assertThat(read.deployRole()).isEqualTo(io.sampan.server.access.Role.MAINTAINER);
            assertThat(read.approval()).isEqualTo(new Approval(io.sampan.server.access.Role.OWNER, true));
            // another server on the same database changes it: this store's cached read is not served again
            EnvironmentStore otherServer = new EnvironmentStore(s.db(), CLOCK, s.clusters());
            Environment updated = otherServer.update(shop, "prod", prod.version(), EnvironmentProfile.DEFAULT,
                    List.of(new ClusterBinding("dc2", null, 1, null)), null, null);
            assertThat(s.envs().get(shop, "prod").profile().cpuOvercommit()).isEqualTo(1);
            assertThat(s.envs().get(shop, "prod").deployRole()).isNull();
            assertThat(updated.version()).isEqualTo(2);
            assertThat(s.envs().get(shop, "prod").clusters()).extracting(ClusterBinding::cluster).containsExactly("dc2");
            assertThatThrownBy(() -> s.envs().update(shop, "prod", prod.version(), EnvironmentProfile.DEFAULT, List.of(), null, null))
                    .isInstanceOf(RegistryException.Conflict.class).hasMessageContaining("changed by someone else");
            assertThatThrownBy(() -> s.envs().create(shop, "test", null, List.of(new ClusterBinding("nowhere", null, 1, null)), null, null))
                    .isInstanceOf(RegistryException.NotFound.class).hasMessageContaining("nowhere");
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void applyingStoresARevisionOnlyWhenTheContentChanges(String kind) throws Exception {
        on(kind, s -> {
            Project shop = s.projects().create(s.orgs().create("retail", null), "shop", null);
            AppStore.Applied first = s.apps().apply(shop, APP.formatted("1"), "alice", "first");
            assertThat(first.created()).isTrue();
            assertThat(first.revision().number()).isEqualTo(1);
            AppStore.Applied again = s.apps().apply(shop, APP.formatted("1"), "bob", null);
            assertThat(again.created()).isFalse();
            assertThat(again.revision().number()).isEqualTo(1);
            assertThat(s.apps().apply(shop, APP.formatted("2"), "alice", null).revision().number()).isEqualTo(2);
            assertThat(s.apps().apply(shop, APP.formatted("1"), "alice", null).revision().number()).as("old content is its old revision").isEqualTo(1);
            assertThat(s.apps().revision(first.app(), 1).spec()).isEqualTo(APP.formatted("1"));
            assertThat(s.apps().revisions(first.app(), null, 10).items()).extracting(AppRevision::number).containsExactly(2, 1);
            assertThatThrownBy(() -> s.apps().apply(shop, APP.formatted("1").replace("port:", "prot:"), "alice", null))
                    .isInstanceOf(SpecException.class).hasMessageContaining("did you mean \"port\"");
            assertThat(s.apps().revisions(first.app(), null, 10).items()).hasSize(2);
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void concurrentAppliesOfDifferentContentLoseNothing(String kind) throws Exception {
        on(kind, s -> {
            Project shop = s.projects().create(s.orgs().create("retail", null), "shop", null);
            int writers = 8;
            List<Callable<AppStore.Applied>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String v = "1." + i;
                tasks.add(() -> s.apps().apply(shop, APP.formatted(v), "w", null));
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                List<Future<AppStore.Applied>> results = pool.invokeAll(tasks);
                for (Future<AppStore.Applied> f : results) {
                    assertThat(f.get().created()).isTrue();
                }
            }
            App app = s.apps().get(shop, "shop");
            assertThat(s.apps().revisions(app, null, 100).items()).extracting(AppRevision::number)
                    .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        });
    }
}
