package io.sampan.server.access;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies OIDC ID tokens (and JWT access tokens) of one provider: signed RS256 by a key of the
 * provider's JWKS (found through its discovery document and cached; fetched again when a token names
 * a key not seen yet, at most every {@value #REFETCH_SECONDS} s, or when the cache is an hour old),
 * issued by the configured issuer, for the configured client id, not expired and already valid
 * (with {@value #SKEW_SECONDS} s of clock skew allowed). Any other token is refused with the reason.
 */
public final class OidcVerifier {
    static final long SKEW_SECONDS = 60;
    static final long REFETCH_SECONDS = 30;
    static final Duration KEYS_TTL = Duration.ofHours(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private final String issuer;
    private final String clientId;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;

    public OidcVerifier(String issuer, String clientId, Clock clock) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clock = clock;
    }

    /** Who a verified token is about. */
    public record Identity(String issuer, String subject, String email, String preferredName, String displayName) {
    }

    /** A token that is not to be trusted; the message says why (safe to show: it names no secret). */
    public static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    /** Whether a bearer text is shaped like a JWT (three base64url parts). */
    public static boolean looksLikeJwt(String text) {
        return text != null && text.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    public Identity verify(String jwt) throws Rejected {
        if (!looksLikeJwt(jwt)) {
            throw new Rejected("not a JWT");
        }
        String[] parts = jwt.split("\\.");
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "claims");
        if (!"RS256".equals(header.path("alg").asString(""))) {
            throw new Rejected("the token is signed with " + header.path("alg").asString("nothing") + "; only RS256 is accepted");
        }
        PublicKey key = key(header.path("kid").asString(""));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(B64.decode(parts[2]))) {
                throw new Rejected("the token's signature does not verify with the provider's key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Rejected("the token's signature does not verify with the provider's key");
        }
        if (!issuer.equals(claims.path("iss").asString(""))) {
            throw new Rejected("the token was issued by \"" + claims.path("iss").asString("") + "\", not by " + issuer);
        }
        if (!audienceIncludes(claims.path("aud"))) {
            throw new Rejected("the token is not for client " + clientId);
        }
        long now = clock.instant().getEpochSecond();
        if (!claims.path("exp").isNumber() || claims.path("exp").asLong() + SKEW_SECONDS <= now) {
            throw new Rejected("the token has expired");
        }
        if (claims.path("nbf").isNumber() && claims.path("nbf").asLong() - SKEW_SECONDS > now) {
            throw new Rejected("the token is not valid yet");
        }
        String subject = claims.path("sub").asString("");
        if (subject.isEmpty()) {
            throw new Rejected("the token names no subject");
        }
        boolean emailVerified = !claims.has("email_verified") || claims.path("email_verified").asBoolean(false);
        return new Identity(issuer, subject, emailVerified ? text(claims, "email") : null, text(claims, "preferred_username"), text(claims, "name"));
    }

    private boolean audienceIncludes(JsonNode aud) {
        if (aud.isString()) {
            return clientId.equals(aud.asString());
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (clientId.equals(a.asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }

    private PublicKey key(String kid) throws Rejected {
        Instant now = clock.instant();
        PublicKey k = keys.get(kid);
        boolean stale = fetchedAt.plus(KEYS_TTL).isBefore(now);
        if ((k == null || stale) && fetchedAt.plusSeconds(REFETCH_SECONDS).isBefore(now)) {
            refresh(now);
            k = keys.get(kid);
        }
        if (k == null) {
            throw new Rejected("the token is signed with key \"" + kid + "\", which the provider does not publish");
        }
        return k;
    }

    private synchronized void refresh(Instant now) throws Rejected {
        if (!fetchedAt.plusSeconds(REFETCH_SECONDS).isBefore(now)) {
            return; // another thread just did
        }
        fetchedAt = now;
        try {
            JsonNode discovery = get(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
            String jwksUri = discovery.path("jwks_uri").asString("");
            if (jwksUri.isEmpty()) {
                throw new Rejected("the provider's discovery document has no jwks_uri");
            }
            Map<String, PublicKey> fresh = new HashMap<>();
            for (JsonNode jwk : get(jwksUri).path("keys")) {
                if ("RSA".equals(jwk.path("kty").asString("")) && !"enc".equals(jwk.path("use").asString(""))) {
                    rsaKey(jwk).ifPresent(pk -> fresh.put(jwk.path("kid").asString(""), pk));
                }
            }
            keys = Map.copyOf(fresh);
        } catch (java.io.IOException | JacksonException | IllegalArgumentException e) {
            throw new Rejected("the provider's keys could not be fetched: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejected("interrupted while fetching the provider's keys");
        }
    }

    private static Optional<PublicKey> rsaKey(JsonNode jwk) {
        try {
            BigInteger n = new BigInteger(1, B64.decode(jwk.path("n").asString("")));
            BigInteger e = new BigInteger(1, B64.decode(jwk.path("e").asString("")));
            return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
        } catch (GeneralSecurityException | IllegalArgumentException bad) {
            return Optional.empty();
        }
    }

    private JsonNode get(String url) throws java.io.IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new java.io.IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode json(String part, String what) throws Rejected {
        try {
            JsonNode n = JSON.readTree(new String(B64.decode(part), StandardCharsets.UTF_8));
            if (!n.isObject()) {
                throw new Rejected("the token's " + what + " is not a JSON object");
            }
            return n;
        } catch (IllegalArgumentException | JacksonException e) {
            throw new Rejected("the token's " + what + " is not base64url JSON");
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode v = claims.path(name);
        return v.isString() && !v.asString().isBlank() ? v.asString() : null;
    }
}
