package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The server dies between the two writes that finish a release (its progress, then the end of its
 * "running" mark): both are one transaction, so the restarted server finds the release still
 * running, finishes it, and the next deploy is accepted; a finished release left marked running would
 * refuse every later deploy of the app to the environment ("release 1 ... is still running").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:save-progress-crash;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7", "sampan.data=target/test-data",
        "sampan.release.runner=false", "sampan.webhooks.sender=false"})
class SaveProgressCrashTest {
    /** When set, the next statement ending a release's running mark dies before it runs. */
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean DIED = new AtomicBoolean();

    /** A process death: not a RuntimeException, so nothing on the way catches it. */
    static final class Crash extends Error {
        Crash() {
            super("simulated kill -9");
        }
    }

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        ClusterDrivers instantDrivers() {
            FakeCluster c = new FakeCluster();
            c.autoReady = true;
            return name -> c;
        }

        @Bean
        @Primary
        MutableClock saveProgressClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }

        @Bean
        static BeanPostProcessor dyingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds && !(bean instanceof DelegatingDataSource) ? new Dying(ds) : bean;
                }
            };
        }
    }

    /** Hands out connections that die on the armed statement. */
    static final class Dying extends DelegatingDataSource {
        Dying(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return dying(super.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return dying(super.getConnection(user, password));
        }

        private static Connection dying(Connection c) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                if (m.getName().startsWith("prepare") && args != null && args[0] instanceof String sql
                        && sql.startsWith("DELETE FROM running_releases") && ARMED.compareAndSet(true, false)) {
                    DIED.set(true);
                    throw new Crash();
                }
                try {
                    return m.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;

    @Test
    void aServerKilledBetweenTheWritesThatFinishAReleaseFinishesItAfterRestartAndTakesTheNextDeploy() {
        ApiClient api = new ApiClient(port);
        String base = "/api/v1/orgs/default/projects/sp";
        String releases = base + "/apps/shop/environments/prod/releases";
        assertThat(api.post("/api/v1/orgs/default/projects", "{\"name\":\"sp\"}").status()).isEqualTo(201);
        assertThat(api.unreachableCluster("c1").status()).isEqualTo(201);
        assertThat(api.post(base + "/environments", "{\"name\":\"prod\",\"clusters\":[{\"cluster\":\"c1\"}]}").status()).isEqualTo(201);
        String app = """
                apiVersion: sampan.io/v1
                kind: App
                metadata: {name: shop}
                spec:
                  services:
                    web: {image: "r.local/web:%s", port: 8080, replicas: 2}
                """;
        assertThat(api.yaml(base + "/apps", app.formatted("1")).status()).isEqualTo(201);
        assertThat(api.post(releases, "{}").status()).isEqualTo(201);

        ARMED.set(true);
        for (int pass = 0; pass < 10 && !DIED.get(); pass++) {
            clock.advance(Duration.ofSeconds(1));
            try {
                runner.runOnce();
            } catch (Crash killed) {
                // the process died here; what the database holds is all a restarted server has
            }
        }
        assertThat(DIED).as("the server died between the two writes").isTrue();
        for (int pass = 0; pass < 5 && !"succeeded".equals(api.get(releases + "/1").json().get("phase").asString()); pass++) {
            clock.advance(Duration.ofSeconds(1));
            runner.runOnce();
        }
        assertThat(api.get(releases + "/1").json().get("phase").asString()).isEqualTo("succeeded");

        assertThat(api.yaml(base + "/apps", app.formatted("2")).status()).isEqualTo(201);
        var next = api.post(releases, "{}");
        assertThat(next.status()).as("the next deploy: %s", next.body()).isEqualTo(201);
    }
}
