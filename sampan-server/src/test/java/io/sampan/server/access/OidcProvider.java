package io.sampan.server.access;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small OIDC provider for tests (this module's and the CLI's): its discovery document and JWKS
 * over HTTP, and ID tokens signed (RS256) with its keys. Keys can be rotated; JWKS fetches are counted.
 */
public final class OidcProvider implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final HttpServer server;
    private final List<Map.Entry<String, KeyPair>> keys = new CopyOnWriteArrayList<>();
    public final AtomicInteger jwksFetches = new AtomicInteger();

    public OidcProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", exchange -> reply(exchange, Map.of("issuer", issuer(),
                "jwks_uri", issuer() + "/jwks", "id_token_signing_alg_values_supported", List.of("RS256"))));
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            reply(exchange, Map.of("keys", keys.stream().map(k -> jwk(k.getKey(), (RSAPublicKey) k.getValue().getPublic())).toList()));
        });
        server.start();
        rotate("k1");
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes a new signing key (the old ones stay published); tokens are signed with the newest. */
    public void rotate(String kid) {
        keys.add(Map.entry(kid, newKey()));
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with these claims, signed by the newest key. */
    public String sign(Map<String, Object> claims) {
        var newest = keys.get(keys.size() - 1);
        return sign(claims, newest.getKey(), newest.getValue());
    }

    /** A token with these claims signed by any key, under any key id: to forge. */
    public static String sign(Map<String, Object> claims, String kid, KeyPair key) {
        String header = B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", kid)));
        String body = B64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.getPrivate());
            rsa.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
            return header + "." + body + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> jwk(String kid, RSAPublicKey key) {
        return Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256", "n", unsigned(key.getModulus()), "e", unsigned(key.getPublicExponent()));
    }

    private static String unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        if (b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return B64.encodeToString(b);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
