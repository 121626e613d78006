package io.sampan.server;

import io.sampan.server.cluster.CredentialCipher;
import io.sampan.server.cluster.CredentialKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The Sampan control plane: registry of projects, environments, clusters and apps, over a REST API. */
@SpringBootApplication
public class SampanServer {

    public static void main(String[] args) {
        SpringApplication.run(SampanServer.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Cluster credentials are encrypted with a key from SAMPAN_SECRET_KEY (base64 of 32 bytes) or,
     * failing that, a key file created once under the data directory (owner-only permissions).
     */
    @Bean
    CredentialCipher credentialCipher(@Value("${sampan.secret-key:${SAMPAN_SECRET_KEY:}}") String key, @Value("${sampan.data}") Path data) {
        return new CredentialCipher(CredentialKey.load(key, data.resolve("secret.key")), new SecureRandom());
    }
}
