package io.sampan.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets one set of migrations serve H2, PostgreSQL and MySQL/MariaDB: the few types that differ are
 * Flyway placeholders filled in for the database actually connected.
 */
@Component
public class DatabaseDialectPlaceholders implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.placeholders(placeholders(configuration.getDataSource()));
    }

    public static Map<String, String> placeholders(DataSource dataSource) {
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to prepare migrations: " + e.getMessage(), e);
        }
        String text = product.contains("mysql") || product.contains("mariadb") ? "LONGTEXT"
                : product.contains("postgres") ? "TEXT" : "CLOB";
        return Map.of("text", text);
    }
}
