package io.sampan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OIDC login against a small provider in the test: its ID tokens authenticate the user they name
 * (created on first login, with no role until one is granted) and trade for a Sampan token; a token
 * from another issuer, for another client, expired, or not signed by the provider's key is 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:oidc;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false",
        "sampan.oidc.client-id=sampan-cli"})
class OidcTest {
    static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
    static OidcProvider provider;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) throws IOException {
        provider = new OidcProvider();
        registry.add("sampan.oidc.issuer", provider::issuer);
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @TestConfiguration
    static class Clock {
        @Bean
        @Primary
        MutableClock oidcClock() {
            return new MutableClock(START);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    Map<String, Object> claims(String sub, String name, String email) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", provider.issuer());
        c.put("aud", "sampan-cli");
        c.put("sub", sub);
        c.put("iat", clock.instant().getEpochSecond());
        c.put("exp", clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond());
        c.put("preferred_username", name);
        c.put("email", email);
        c.put("email_verified", true);
        return c;
    }

    @Test
    void idTokensOfTheProviderLogInAndOthersAreRefused() {
        ApiClient admin = new ApiClient(port);
        assertThat(admin.as(null).get("/api/v1/login/oidc").json().get("issuer").asString()).isEqualTo(provider.issuer());

        String erin = provider.sign(claims("sub-erin", "Erin", "erin@example.com"));
        ApiClient asErin = admin.as(erin);
        var me = asErin.get("/api/v1/whoami");
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("name").asString()).isEqualTo("erin");
        assertThat(me.json().get("admin").asBoolean()).isFalse();
        assertThat(asErin.get("/api/v1/orgs/default").status()).as("no role until one is granted").isEqualTo(404);
        admin.send("PUT", "/api/v1/orgs/default/members/erin", "application/json", "{\"role\":\"viewer\"}");
        assertThat(asErin.get("/api/v1/orgs/default").status()).isEqualTo(200);
        assertThat(admin.as(provider.sign(claims("sub-erin", "Erin", "erin@example.com"))).get("/api/v1/whoami").json().get("name").asString())
                .as("the same subject is the same user").isEqualTo("erin");

        var traded = asErin.post("/api/v1/tokens", "{\"name\":\"laptop\",\"validDays\":30}");
        assertThat(traded.status()).isEqualTo(201);
        assertThat(admin.as(traded.json().get("token").asString()).get("/api/v1/whoami").json().get("name").asString()).isEqualTo("erin");

        admin.post("/api/v1/users", "{\"name\":\"frank\",\"email\":\"frank@example.com\"}");
        admin.send("PUT", "/api/v1/orgs/default/members/frank", "application/json", "{\"role\":\"developer\"}");
        ApiClient asFrank = admin.as(provider.sign(claims("sub-f", "fbloggs", "frank@example.com")));
        assertThat(asFrank.get("/api/v1/whoami").json().get("name").asString()).as("a user made beforehand by e-mail").isEqualTo("frank");
        assertThat(asFrank.get("/api/v1/orgs/default").status()).isEqualTo(200);
        assertThat(admin.as(provider.sign(claims("sub-other-erin", "erin", null))).get("/api/v1/whoami").json().get("name").asString())
                .as("a name already taken gets a suffix").isEqualTo("erin-2");

        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("another issuer", with("iss", "https://evil.example.com"));
        bad.put("another client", with("aud", List.of("someone-else")));
        bad.put("expired", with("exp", clock.instant().minus(Duration.ofMinutes(5)).getEpochSecond()));
        bad.put("no expiry", with("exp", null));
        for (var b : bad.entrySet()) {
            var r = admin.as(provider.sign(b.getValue())).get("/api/v1/whoami");
            assertThat(r.status()).as(b.getKey()).isEqualTo(401);
            assertThat(r.body()).contains("not valid");
        }
        String forged = OidcProvider.sign(claims("sub-erin", "erin", "erin@example.com"), "k1", OidcProvider.newKey());
        assertThat(admin.as(forged).get("/api/v1/whoami").status()).as("signed by another key").isEqualTo(401);
        String[] parts = erin.split("\\.");
        String noneAlg = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes())
                + "." + parts[1] + "." + parts[2];
        assertThat(admin.as(noneAlg).get("/api/v1/whoami").status()).as("alg none").isEqualTo(401);
        assertThat(admin.as(parts[0] + "." + parts[1] + ".AAAA").get("/api/v1/whoami").status()).as("a mangled signature").isEqualTo(401);

        clock.advance(Duration.ofMinutes(11));
        assertThat(asErin.get("/api/v1/whoami").status()).as("erin's first token has expired by now").isEqualTo(401);

        List<String> provisioned = new java.util.ArrayList<>();
        admin.get("/api/v1/audit?action=LOGIN").json().forEach(e -> provisioned.add(e.get("actor").asString() + ": "
                + e.get("detail").asString().split(" by ")[0]));
        assertThat(provisioned).as("the users logins made or linked, each once").filteredOn(p -> !p.startsWith("gil"))
                .containsExactlyInAnyOrder("erin: user created", "frank: user linked", "erin-2: user created");
    }

    @Test
    void keysAreCachedAndFetchedAgainWhenTheProviderRotates() {
        ApiClient api = new ApiClient(port);
        assertThat(api.as(provider.sign(claims("sub-gil", "gil", null))).get("/api/v1/whoami").status()).isEqualTo(200);
        int fetches = provider.jwksFetches.get();
        for (int i = 0; i < 5; i++) {
            assertThat(api.as(provider.sign(claims("sub-gil", "gil", null))).get("/api/v1/whoami").status()).isEqualTo(200);
        }
        assertThat(provider.jwksFetches.get()).as("cached").isEqualTo(fetches);
        provider.rotate("k2");
        clock.advance(Duration.ofSeconds(OidcVerifier.REFETCH_SECONDS + 1));
        assertThat(api.as(provider.sign(claims("sub-gil", "gil", null))).get("/api/v1/whoami").status()).isEqualTo(200);
        assertThat(provider.jwksFetches.get()).isEqualTo(fetches + 1);
    }

    Map<String, Object> with(String claim, Object value) {
        Map<String, Object> c = claims("sub-mallory", "mallory", "mallory@example.com");
        if (value == null) {
            c.remove(claim);
        } else {
            c.put(claim, value);
        }
        return c;
    }
}
