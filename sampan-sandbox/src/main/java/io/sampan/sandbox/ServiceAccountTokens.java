package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * The TokenRequest API ({@code POST .../serviceaccounts/NAME/token}, what {@code kubectl create token}
 * calls): a JWT for the service account as the API server issues one, signed RS256 with a key the
 * server makes on first use, with the issuer, subject ({@code system:serviceaccount:NS:NAME}),
 * audiences (default the API server's), {@code iat}/{@code nbf}/{@code exp} and the
 * {@code kubernetes.io} claim. Nothing in the sandbox checks tokens: they are for clients that want one.
 */
final class ServiceAccountTokens {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final long DEFAULT_SECONDS = 3600;
    private static final long MIN_SECONDS = 600;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ResourceType TOKEN_REQUEST = new ResourceType("authentication.k8s.io", "v1", "TokenRequest", "tokenrequests", true,
            java.util.List.of(), false, false);
    private KeyPair keys;

    /** Answers a TokenRequest for the service account {@code account} (the stored object) at {@code now}. */
    synchronized ObjectNode issue(ObjectNode account, ObjectNode request, Instant now) {
        String namespace = account.path("metadata").path("namespace").asText();
        String name = account.path("metadata").path("name").asText();
        JsonNode spec = request.path("spec");
        long seconds = spec.path("expirationSeconds").asLong(DEFAULT_SECONDS);
        if (seconds < MIN_SECONDS) {
            FieldErrors errors = new FieldErrors();
            errors.invalid("spec.expirationSeconds", spec.get("expirationSeconds"), "may not specify a duration less than 10 minutes");
            throw errors.toError(TOKEN_REQUEST, name);
        }
        ObjectNode answer = ApiServer.JSON.createObjectNode().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        answer.putObject("metadata").put("name", name).put("namespace", namespace).put("creationTimestamp", now.truncatedTo(ChronoUnit.SECONDS)
                .toString());
        ObjectNode answered = answer.putObject("spec");
        if (spec.path("audiences").isEmpty()) {
            answered.putArray("audiences").add(ISSUER);
        } else {
            answered.set("audiences", spec.get("audiences").deepCopy());
        }
        answered.put("expirationSeconds", seconds);
        answered.set("boundObjectRef", spec.path("boundObjectRef").isObject() ? spec.get("boundObjectRef").deepCopy() : null);
        long iat = now.getEpochSecond();
        ObjectNode claims = ApiServer.JSON.createObjectNode();
        claims.set("aud", answered.get("audiences"));
        claims.put("exp", iat + seconds).put("iat", iat).put("iss", ISSUER).put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io").put("namespace", namespace);
        k8s.putObject("serviceaccount").put("name", name).put("uid", account.path("metadata").path("uid").asText());
        claims.put("nbf", iat).put("sub", "system:serviceaccount:" + namespace + ":" + name);
        answer.putObject("status").put("token", sign(claims)).put("expirationTimestamp", Instant.ofEpochSecond(iat + seconds).toString());
        return answer;
    }

    private String sign(ObjectNode claims) {
        try {
            if (keys == null) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                keys = generator.generateKeyPair();
            }
            String header = B64.encodeToString(ApiServer.JSON.writeValueAsBytes(ApiServer.JSON.createObjectNode().put("alg", "RS256")
                    .put("kid", "sandbox")));
            String payload = B64.encodeToString(ApiServer.JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a service account token", e);
        }
    }
}
