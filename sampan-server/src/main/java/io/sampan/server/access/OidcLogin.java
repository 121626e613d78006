package io.sampan.server.access;

import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * OIDC login, when {@code sampan.oidc.issuer} and {@code sampan.oidc.client-id} are configured: a
 * bearer token that is a JWT from that provider authenticates the user it names (see
 * {@link Users#ofOidc}). {@code sampan login --id-token} trades such a token for a Sampan API token.
 */
@Component
public class OidcLogin {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);
    private final Optional<OidcVerifier> verifier;
    private final Users users;
    private final ApplicationEventPublisher events;

    public OidcLogin(@Value("${sampan.oidc.issuer:}") String issuer, @Value("${sampan.oidc.client-id:}") String clientId, Users users,
            Clock clock, ApplicationEventPublisher events) {
        this.users = users;
        this.events = events;
        if (issuer.isBlank() != clientId.isBlank()) {
            throw new IllegalStateException("OIDC login needs both sampan.oidc.issuer and sampan.oidc.client-id");
        }
        this.verifier = issuer.isBlank() ? Optional.empty() : Optional.of(new OidcVerifier(issuer.strip(), clientId.strip(), clock));
    }

    /** The provider's issuer and the client id, for clients that log in through it. */
    public record Provider(String issuer, String clientId) {
    }

    public Optional<Provider> provider() {
        return verifier.map(v -> new Provider(v.issuer(), v.clientId()));
    }

    /** A login that changed the users: one was created, or linked to its OIDC subject. For the audit log. */
    public record UserProvisioned(String user, String change, String issuer, String source) {
    }

    /**
     * The caller a JWT bearer token from {@code source} (the client's address) stands for; {@code empty}
     * with the reason logged (never the token) when it is not trusted.
     */
    public Optional<Caller> authenticate(String jwt, String source) {
        if (verifier.isEmpty() || !OidcVerifier.looksLikeJwt(jwt)) {
            return Optional.empty();
        }
        try {
            Users.OidcUser login = users.ofOidc(verifier.get().verify(jwt));
            Users.User u = login.user();
            if (login.change() != null) {
                events.publishEvent(new UserProvisioned(u.name(), login.change(), verifier.get().issuer(), source));
            }
            return Optional.of(new Caller(u.id(), u.name(), u.admin()));
        } catch (OidcVerifier.Rejected r) {
            LOG.info("OIDC token refused: {}", r.getMessage());
            return Optional.empty();
        }
    }
}
