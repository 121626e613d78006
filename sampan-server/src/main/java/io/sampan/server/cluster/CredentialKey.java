package io.sampan.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Where the key that encrypts cluster credentials comes from. */
public final class CredentialKey {
    private CredentialKey() {
    }

    /** The configured key (base64), else the key file, created with a fresh random key if absent. */
    public static byte[] load(String configured, Path keyFile) {
        if (configured != null && !configured.isBlank()) {
            try {
                return Base64.getDecoder().decode(configured.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("SAMPAN_SECRET_KEY is not base64 (expected 32 random bytes, base64-encoded)");
            }
        }
        try {
            if (Files.exists(keyFile)) {
                return Base64.getDecoder().decode(Files.readString(keyFile).trim());
            }
            Files.createDirectories(keyFile.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = Files.createTempFile(keyFile.getParent(), "secret", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on file systems without POSIX permissions
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key));
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the credential key file " + keyFile, e);
        }
    }
}
