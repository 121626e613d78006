package io.sampan.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sampan.release.FakeCluster;
import io.sampan.server.api.ApiClient;
import io.sampan.server.deploy.ClusterDrivers;
import io.sampan.server.deploy.MutableClock;
import io.sampan.server.deploy.ReleaseRunner;
import io.sampan.server.registry.RegistryException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Webhooks as a receiver sees them: signed events of a release, retried until accepted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:webhooks;DB_CLOSE_DELAY=-1",
        "sampan.secret-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "sampan.bootstrap-token=spn_0a1b2c3d4e5f_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7",
        "sampan.data=target/test-data", "sampan.release.runner=false", "sampan.webhooks.sender=false",
        "sampan.webhooks.allow-private-targets=true"})
class WebhookTest {
    record Received(String event, String signature, String body) {
    }

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        ClusterDrivers instant() {
            FakeCluster c = new FakeCluster();
            c.autoReady = true;
            return name -> c;
        }

        @Bean
        @Primary
        MutableClock webhookClock() {
            return new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    WebhookSender sender;
    @Autowired
    ReleaseRunner runner;
    @Autowired
    MutableClock clock;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            if (status == 204) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Sampan-Event"),
                        exchange.getRequestHeaders().getFirst("X-Sampan-Signature"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void releaseEventsArriveSignedAndAreRetriedUntilAccepted() {
        ApiClient api = new ApiClient(port);
        String base = "/api/v1/orgs/default/projects/hooks";
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"hooks\"}");
        api.unreachableCluster("wh");
        api.post(base + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"wh\"}]}");
        var hook = api.post(base + "/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        String secret = hook.json().get("secret").asString();
        String id = hook.json().get("id").asString();
        assertThat(api.get(base + "/webhooks").body()).doesNotContain(secret);

        api.yaml(base + "/apps", "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n  services:\n    web: {image: r/w:1, port: 8080}\n");
        api.post(base + "/apps/shop/environments/dev/releases", "{}");
        failNext.set(1);
        assertThat(sender.sendDue()).isEqualTo(1);
        assertThat(received).as("the receiver was down").isEmpty();
        assertThat(sender.sendDue()).as("not before the backoff").isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(sender.sendDue()).isEqualTo(1);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo("release.started");
            assertThat(r.body()).contains("\"app\":\"shop\"").contains("\"release\":1").contains("\"requestedBy\":\"admin\"");
            assertThat(r.signature()).isEqualTo("sha256=" + WebhookSender.sign(secret, r.body()));
        });

        clock.advance(Duration.ofSeconds(1));
        runner.runOnce();
        sender.sendDue();
        assertThat(received).extracting(Received::event).containsExactly("release.started", "release.succeeded");
        var log = api.get(base + "/webhooks/" + id + "/deliveries").json();
        assertThat(log).hasSize(2);
        assertThat(log.get(1).get("attempts").asInt()).isEqualTo(2);
        assertThat(log.get(1).get("status").asString()).isEqualTo("DELIVERED");
        assertThat(api.post(base + "/webhooks", "{\"url\":\"http://127.0.0.1:1/x\",\"events\":[\"release.exploded\"]}").json()
                .get("errors").get(0).get("field").asString()).isEqualTo("events[0]");
    }

    @Test
    void aRollbackThatSucceedsIsAnnouncedToThoseWhoAskedForIt() {
        ApiClient api = new ApiClient(port);
        String base = "/api/v1/orgs/default/projects/back";
        api.post("/api/v1/orgs/default/projects", "{\"name\":\"back\"}");
        api.unreachableCluster("wh2");
        api.post(base + "/environments", "{\"name\":\"dev\",\"clusters\":[{\"cluster\":\"wh2\"}]}");
        String secret = "rollback-hook-secret-0123456789";
        assertThat(api.post(base + "/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\","
                + "\"events\":[\"release.rolledback\",\"release.step\"],\"secret\":\"" + secret + "\"}").status()).isEqualTo(201);
        for (String image : List.of("r/w:1", "r/w:2")) {
            api.yaml(base + "/apps", "apiVersion: sampan.io/v1\nkind: App\nmetadata: {name: shop}\nspec:\n  services:\n    web: {image: " + image
                    + ", port: 8080}\n");
            api.post(base + "/apps/shop/environments/dev/releases", "{}");
            clock.advance(Duration.ofSeconds(1));
            runner.runOnce();
        }
        sender.sendDue();
        assertThat(received).as("plain releases are not rollbacks").isEmpty();

        assertThat(api.post(base + "/apps/shop/environments/dev/releases", "{\"rollbackTo\":1}").status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(1));
        runner.runOnce();
        sender.sendDue();
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo("release.rolledback");
            assertThat(r.body()).contains("\"release\":3").contains("\"rolledBackTo\":1").contains("\"app\":\"shop\"");
            assertThat(r.signature()).as("what the receiver computes with the secret it was given")
                    .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(hmac(secret, r.body())));
        });
    }

    /** HMAC-SHA256 as a receiver computes it, independently of the sender's code. */
    static byte[] hmac(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void targetsOnThePlatformsOwnNetworkAreRefused() {
        Webhooks strict = new Webhooks(null, clock, false);
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.7/x",
                "http://192.168.1.1/x")) {
            assertThatThrownBy(() -> strict.checkTarget(url)).as(url).isInstanceOf(RegistryException.Invalid.class)
                    .hasMessageContaining("loopback, link-local or private");
        }
        assertThatThrownBy(() -> strict.checkTarget("ftp://example.com/x")).hasMessageContaining("http:// or https://");
    }
}
