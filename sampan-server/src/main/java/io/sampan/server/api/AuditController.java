package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.Role;
import io.sampan.server.audit.AuditLog;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Page;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log: every mutation through the API, newest first, with who, from where, what, the
 * outcome and redacted before/after summaries. All of it for platform administrators; a project's
 * own part for its maintainers. Filters: actor, org, project, action (HTTP method, or LOGIN for a user
 * an OIDC login created or linked), path (a part of
 * the target), outcome (succeeded, refused, failed), since and until (ISO-8601 instants), limit.
 */
@RestController
@RequestMapping("/api/v1")
public class AuditController {
    private static final Set<String> ACTIONS = Set.of("POST", "PUT", "PATCH", "DELETE", AuditLog.LOGIN);
    private final AuditLog log;
    private final AccessControl access;
    private final OrganisationStore orgs;

    public AuditController(AuditLog log, AccessControl access, OrganisationStore orgs) {
        this.log = log;
        this.access = access;
        this.orgs = orgs;
    }

    @GetMapping("/audit")
    List<AuditLog.Event> events(Caller caller, @RequestParam(required = false) String actor, @RequestParam(required = false) String org,
            @RequestParam(required = false) String project, @RequestParam(required = false) String action,
            @RequestParam(required = false) String path, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until, @RequestParam(required = false) Integer limit) {
        access.requireAdmin(caller, "reading the audit log");
        return log.find(query(actor, org, project, action, path, outcome, since, until, limit));
    }

    @GetMapping("/orgs/{org}/projects/{project}/audit")
    List<AuditLog.Event> projectEvents(Caller caller, @PathVariable String org, @PathVariable String project,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String path, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until, @RequestParam(required = false) Integer limit) {
        Organisation o = orgs.get(org);
        Project p = access.project(caller, o, project, Role.MAINTAINER, "reading the project's audit log");
        return log.find(query(actor, o.name(), p.name(), action, path, outcome, since, until, limit));
    }

    private static AuditLog.Query query(String actor, String org, String project, String action, String path, String outcome, String since,
            String until, Integer limit) {
        int n = limit == null ? Page.DEFAULT_LIMIT : limit;
        if (n < 1 || n > Page.MAX_LIMIT) {
            throw new RegistryException.Invalid("limit", "limit must be between 1 and " + Page.MAX_LIMIT);
        }
        if (action != null && !ACTIONS.contains(action.toUpperCase(java.util.Locale.ROOT))) {
            throw new RegistryException.Invalid("action", "\"" + action + "\" is not a change: one of POST, PUT, PATCH, DELETE, LOGIN");
        }
        return new AuditLog.Query(actor, org, project, action, path, outcome == null ? null : AuditLog.Outcome.parse(outcome),
                instant("since", since), instant("until", until), n);
    }

    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new RegistryException.Invalid(field, field + " must be an ISO-8601 instant such as 2026-11-24T10:00:00Z");
        }
    }
}
