package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.Release;
import io.sampan.release.ReleaseProgress;
import io.sampan.server.registry.App;
import io.sampan.server.registry.AppStore;
import io.sampan.server.registry.ClusterBinding;
import io.sampan.server.registry.ClusterStore;
import io.sampan.server.registry.Databases;
import io.sampan.server.registry.Environment;
import io.sampan.server.registry.EnvironmentProfile;
import io.sampan.server.registry.EnvironmentStore;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.ProjectStore;
import io.sampan.server.cluster.CredentialCipher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Release records are read with their progress cached per version: a reader never serves progress
 * another server has moved on, and a stale record still loses its optimistic-lock race.
 */
class ReleaseStoreTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    static List<String> databases() {
        return Databases.kinds();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void progressWrittenByAnotherServerIsWhatTheNextReadReturns(String kind) throws Exception {
        DataSource ds = Databases.fresh(kind);
        try {
            JdbcClient db = JdbcClient.create(ds);
            TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(ds));
            ClusterStore clusters = new ClusterStore(db, CLOCK, new CredentialCipher(new byte[32], new SecureRandom()));
            clusters.create("dc1", "https://a", """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "https://a"}}]
                    users: [{name: u, user: {token: t}}]
                    contexts: [{name: ctx, context: {cluster: c, user: u}}]
                    current-context: ctx
                    """);
            Project shop = new ProjectStore(db, CLOCK).create(new OrganisationStore(db, CLOCK).create("retail", null), "shop", null);
            Environment dev = new EnvironmentStore(db, CLOCK, clusters).create(shop, "dev", null, List.of(new ClusterBinding("dc1", null, 1, null)),
                    null, null);
            App app = new AppStore(db, CLOCK, tx).apply(shop, """
                    apiVersion: sampan.io/v1
                    kind: App
                    metadata: {name: web}
                    spec:
                      services:
                        web: {image: "r.local/web:1", port: 8080}
                    """, "ann", null).app();

            Release content = new Release("web", "dev", 1, Map.of("dc1", new Release.ClusterTarget("shop-dev", List.of())),
                    Map.of("sampan.io/app", "web"), Duration.ofMinutes(5));
            ReleaseStore here = new ReleaseStore(db, tx);
            ReleaseStore otherServer = new ReleaseStore(db, tx);
            ReleaseRecord started = here.start(new ReleaseRecord(ReleaseStore.newId(), app.id(), dev.id(), 1, 1, null, "ann", "first",
                    new ReleaseRecord.Inputs(EnvironmentProfile.DEFAULT, dev.clusters()), content, ReleaseProgress.start(content, CLOCK.instant()),
                    CLOCK.instant(), 1, ReleaseRecord.Approval.NONE), false, CLOCK.instant());

            ReleaseRecord read = here.latest(app.id(), dev.id()).orElseThrow();
            assertThat(read.progress()).isEqualTo(started.progress());
            assertThat(read.inputs().clusters()).isEqualTo(dev.clusters());

            ReleaseProgress paused = read.progress().withControl(new ReleaseProgress.Control(true, java.util.Set.of(), false, null));
            assertThat(otherServer.saveProgress(otherServer.byId(read.id()), paused)).isTrue();

            ReleaseRecord again = here.latest(app.id(), dev.id()).orElseThrow();
            assertThat(again.version()).isEqualTo(read.version() + 1);
            assertThat(again.progress()).isEqualTo(paused);
            assertThat(here.running(app.id(), dev.id()).orElseThrow().progress()).isEqualTo(paused);
            assertThat(here.saveProgress(read, read.progress())).as("the record read before the other server's write is stale").isFalse();
            assertThat(otherServer.byId(read.id()).progress()).isEqualTo(paused);
        } finally {
            Databases.drop(kind, ds);
        }
    }
}
