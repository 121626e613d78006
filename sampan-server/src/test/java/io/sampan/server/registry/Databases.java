package io.sampan.server.registry;

import io.sampan.server.store.DatabaseDialectPlaceholders;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The three databases Sampan runs on, for store tests: embedded H2, and the PostgreSQL and MariaDB
 * servers of this machine (127.0.0.1, the {@code test} database). Each call makes a fresh schema
 * and runs the real migrations in it.
 */
public final class Databases {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Databases() {
    }

    public static List<String> kinds() {
        return List.of("h2", "postgresql", "mariadb");
    }

    /** A migrated, empty database of the given kind; {@link #drop} removes it. */
    public static DataSource fresh(String kind) throws SQLException {
        String schema = "sampan_t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        DriverManagerDataSource ds = switch (kind) {
            case "h2" -> new DriverManagerDataSource("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1", "sa", "");
            case "postgresql" -> {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                    c.createStatement().execute("CREATE SCHEMA " + schema);
                }
                yield new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, "postgres", "");
            }
            case "mariadb" -> {
                try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", "root", "")) {
                    c.createStatement().execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
                }
                yield new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:3306/" + schema, "root", "");
            }
            default -> throw new IllegalArgumentException(kind);
        };
        Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .placeholders(DatabaseDialectPlaceholders.placeholders(ds)).load().migrate();
        return ds;
    }

    public static void drop(String kind, DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            switch (kind) {
                case "h2" -> c.createStatement().execute("DROP ALL OBJECTS");
                case "postgresql" -> c.createStatement().execute("DROP SCHEMA " + c.getSchema() + " CASCADE");
                default -> c.createStatement().execute("DROP DATABASE " + c.getCatalog());
            }
        }
    }
}
