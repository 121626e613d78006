package io.sampan.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What {@code sampan login} remembers: server, token and organisation, in
 * {@code $SAMPAN_HOME/cli.properties} (default {@code ~/.sampan}), readable by the owner only.
 */
final class ClientConfig {
    private ClientConfig() {
    }

    static Path file() {
        String home = System.getProperty("sampan.home", System.getenv("SAMPAN_HOME"));
        return (home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".sampan")).resolve("cli.properties");
    }

    static Properties load() {
        Properties p = new Properties();
        Path f = file();
        if (Files.isReadable(f)) {
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return p;
    }

    static void save(Properties p) throws IOException {
        Path f = file();
        Files.createDirectories(f.getParent());
        Path tmp = Files.createTempFile(f.getParent(), "cli", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "sampan login");
        }
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
