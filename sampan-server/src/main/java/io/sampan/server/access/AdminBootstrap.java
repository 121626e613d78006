package io.sampan.server.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A new Sampan has one user, the platform administrator {@value #ADMIN}. Its first token is the
 * one given in {@code sampan.bootstrap-token} (how {@code sampan up} hands its own to the server),
 * or else a new one written to {@code <data>/admin.token}, readable by the owner only. The token is
 * never logged.
 */
@Component
@Order(0)
public class AdminBootstrap implements ApplicationRunner {
    public static final String ADMIN = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private final Users users;
    private final Tokens tokens;
    private final String bootstrapToken;
    private final Path data;

    public AdminBootstrap(Users users, Tokens tokens, @Value("${sampan.bootstrap-token:}") String bootstrapToken,
            @Value("${sampan.data}") Path data) {
        this.users = users;
        this.tokens = tokens;
        this.bootstrapToken = bootstrapToken;
        this.data = data;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (users.any()) {
            return;
        }
        Users.User admin = users.create(ADMIN, "Platform administrator", true);
        if (!bootstrapToken.isBlank()) {
            tokens.register(admin.id(), "bootstrap", bootstrapToken);
            LOG.info("created the platform administrator '{}' with the bootstrap token it was given", ADMIN);
            return;
        }
        Tokens.Issued issued = tokens.issue(admin.id(), "bootstrap", Duration.ofDays(365));
        Path file = data.resolve("admin.token");
        Files.createDirectories(data);
        Files.writeString(file, issued.text() + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort
        }
        LOG.info("created the platform administrator '{}'; its token is in {} (readable by you only)", ADMIN, file);
    }
}
