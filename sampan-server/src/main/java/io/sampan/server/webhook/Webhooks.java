package io.sampan.server.webhook;

import io.sampan.server.registry.RegistryException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events of a project, queued for every webhook that wants them. Queuing is a database write, so
 * an event is never lost when the receiver is down; {@link WebhookSender} delivers.
 */
@Component
public class Webhooks {
    public static final Set<String> EVENTS = Set.of("release.started", "release.succeeded", "release.failed", "quota.rejected",
            "cluster.unreachable", "release.step", "release.rolledback");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final WebhookStore store;
    private final Clock clock;
    private final boolean allowPrivate;

    public Webhooks(WebhookStore store, Clock clock, @Value("${sampan.webhooks.allow-private-targets:false}") boolean allowPrivate) {
        this.store = store;
        this.clock = clock;
        this.allowPrivate = allowPrivate;
    }

    /** Queues {@code event} with its details for every webhook of the project that wants it. */
    public void emit(String projectId, String event, Map<String, Object> details) {
        List<WebhookStore.Webhook> hooks = store.of(projectId);
        if (hooks.isEmpty()) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", event);
        payload.put("at", clock.instant().toString());
        payload.putAll(details);
        String body = JSON.writeValueAsString(payload);
        for (WebhookStore.Webhook w : hooks) {
            if (w.wants(event)) {
                store.enqueue(w, event, body);
            }
        }
    }

    /**
     * Checks a target: http or https, and not a loopback, link-local or private address (a webhook
     * must not become a way to reach the platform's own network) unless configuration allows it.
     */
    public void checkTarget(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RegistryException.Invalid("url", "\"" + url + "\" is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new RegistryException.Invalid("url", "a webhook URL is http:// or https:// with a host");
        }
        if (allowPrivate) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                    throw new RegistryException.Invalid("url", uri.getHost() + " is a loopback, link-local or private address; "
                            + "webhooks may not target those unless sampan.webhooks.allow-private-targets is set");
                }
            }
        } catch (UnknownHostException e) {
            throw new RegistryException.Invalid("url", "unknown host " + uri.getHost());
        }
    }
}
