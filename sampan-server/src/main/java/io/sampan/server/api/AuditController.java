package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.audit.AuditLog;
import io.sampan.server.registry.Page;
import io.sampan.server.registry.RegistryException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log: every mutation through the API, newest first. */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {
    private final AuditLog log;
    private final AccessControl access;

    public AuditController(AuditLog log, AccessControl access) {
        this.log = log;
        this.access = access;
    }

    @GetMapping
    List<AuditLog.Event> events(Caller caller, @RequestParam(required = false) String since, @RequestParam(required = false) Integer limit) {
        access.requireAdmin(caller, "reading the audit log");
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new RegistryException.Invalid("since", "since must be an ISO-8601 instant such as 2026-11-24T10:00:00Z");
            }
        }
        int n = limit == null ? Page.DEFAULT_LIMIT : limit;
        if (n < 1 || n > Page.MAX_LIMIT) {
            throw new RegistryException.Invalid("limit", "limit must be between 1 and " + Page.MAX_LIMIT);
        }
        return log.since(from, n);
    }
}
