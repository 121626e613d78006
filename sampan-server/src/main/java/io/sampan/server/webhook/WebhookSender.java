package io.sampan.server.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers queued webhook events: a JSON POST with {@code X-Sampan-Event}, {@code X-Sampan-Delivery}
 * and {@code X-Sampan-Signature: sha256=<HMAC-SHA256 of the body with the webhook's secret>}. A 2xx
 * answer delivers it; anything else is retried with backoff (10 s doubling to an hour) up to
 * {@value #MAX_ATTEMPTS} attempts, then marked failed. Every attempt is in the delivery log.
 */
@Component
public class WebhookSender implements SmartLifecycle {
    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    private final WebhookStore store;
    private final Clock clock;
    private final boolean enabled;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final io.sampan.server.PeriodicLoop loop;

    public WebhookSender(WebhookStore store, Clock clock, @Value("${sampan.webhooks.tick:1s}") Duration interval,
            @Value("${sampan.webhooks.sender:true}") boolean enabled) {
        this.store = store;
        this.clock = clock;
        this.enabled = enabled;
        this.loop = new io.sampan.server.PeriodicLoop("webhook-sender", interval, this::sendDue);
    }

    /** One pass over the due deliveries; returns how many were attempted. */
    public int sendDue() {
        int n = 0;
        for (WebhookStore.Delivery d : store.due(clock.instant(), 100)) {
            attempt(d);
            n++;
        }
        return n;
    }

    private void attempt(WebhookStore.Delivery d) {
        Integer code = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(store.url(d.webhookId()))).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("User-Agent", "Sampan-Webhook/1")
                    .header("X-Sampan-Event", d.event()).header("X-Sampan-Delivery", d.id())
                    .header("X-Sampan-Signature", "sha256=" + sign(store.secret(d.webhookId()), d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
            code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (code != null && code >= 200 && code < 300) {
            store.attempted(d, WebhookStore.Status.DELIVERED, code, null, null);
            return;
        }
        int attempts = d.attempts() + 1;
        if (attempts >= MAX_ATTEMPTS) {
            store.attempted(d, WebhookStore.Status.FAILED, code, error, null);
            return;
        }
        long backoff = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << (attempts - 1));
        Instant next = clock.instant().plusMillis(backoff);
        store.attempted(d, WebhookStore.Status.PENDING, code, error == null ? "HTTP " + code : error, next);
    }

    /** HMAC-SHA256 of the body with the secret, hex: what a receiver recomputes to trust a delivery. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void start() {
        if (enabled) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
