package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.RegistryException;
import io.sampan.server.webhook.WebhookStore;
import io.sampan.server.webhook.Webhooks;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A project's outbound webhooks (maintainers) and their delivery log. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/projects/{project}/webhooks")
public class WebhookController {
    private final OrganisationStore orgs;
    private final AccessControl access;
    private final WebhookStore store;
    private final Webhooks webhooks;
    private final SecureRandom random = new SecureRandom();

    public WebhookController(OrganisationStore orgs, AccessControl access, WebhookStore store, Webhooks webhooks) {
        this.orgs = orgs;
        this.access = access;
        this.store = store;
        this.webhooks = webhooks;
    }

    /** @param events which events (default all); @param secret the signing secret (default: a new random one, returned once) */
    public record NewWebhook(String url, List<String> events, String secret) {
    }

    public record WebhookView(String id, String url, List<String> events, Instant createdAt, String secret) {
        static WebhookView of(WebhookStore.Webhook w, String secret) {
            return new WebhookView(w.id(), w.url(), w.events(), w.createdAt(), secret);
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    WebhookView create(Caller caller, @PathVariable String org, @PathVariable String project, @RequestBody NewWebhook body) {
        Project p = access.project(caller, orgs.get(org), project, Role.MAINTAINER, "adding a webhook");
        if (body == null || body.url() == null) {
            throw new RegistryException.Invalid("url", "\"url\" is required");
        }
        webhooks.checkTarget(body.url());
        List<String> events = body.events() == null || body.events().isEmpty() ? List.of("*") : body.events();
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).equals("*") && !Webhooks.EVENTS.contains(events.get(i))) {
                throw new RegistryException.Invalid("events[" + i + "]", "unknown event \"" + events.get(i) + "\": one of "
                        + String.join(", ", Webhooks.EVENTS.stream().sorted().toList()));
            }
        }
        boolean generated = body.secret() == null || body.secret().isBlank();
        if (!generated && body.secret().length() < 16) {
            throw new RegistryException.Invalid("secret", "a signing secret has at least 16 characters");
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = generated ? HexFormat.of().formatHex(bytes) : body.secret();
        return WebhookView.of(store.create(p.id(), body.url(), events, secret), generated ? secret : null);
    }

    @GetMapping
    List<WebhookView> list(Caller caller, @PathVariable String org, @PathVariable String project) {
        Project p = access.project(caller, orgs.get(org), project, Role.MAINTAINER, "reading webhooks");
        return store.of(p.id()).stream().map(w -> WebhookView.of(w, null)).toList();
    }

    @GetMapping("/{id}/deliveries")
    List<WebhookStore.Delivery> deliveries(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String id) {
        Project p = access.project(caller, orgs.get(org), project, Role.MAINTAINER, "reading webhook deliveries");
        return store.deliveries(store.get(p.id(), id).id(), 100);
    }
}
