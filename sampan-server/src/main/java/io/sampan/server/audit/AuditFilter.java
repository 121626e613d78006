package io.sampan.server.audit;

import io.sampan.server.access.CurrentCaller;
import io.sampan.server.access.OidcLogin;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Records every mutating API request (POST, PUT, PATCH, DELETE under /api/) of an authenticated
 * caller once it is answered, refused ones included: the refusals are what an auditor looks for
 * first. With it go the organisation and project it touched, the resource before (for a change or a
 * removal, what the API's GET of the same path answers just before, as the same caller) and the answer after, both redacted by
 * {@link Redaction}. Request bodies are never kept: they can hold credentials.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class AuditFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATIONS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern SCOPE = Pattern.compile("^/api/v1/orgs/([^/]+)(?:/projects/([^/]+))?");
    private final AuditLog log;
    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private final ObjectProvider<RequestMappingHandlerAdapter> adapter;

    public AuditFilter(AuditLog log, @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings,
            ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        this.log = log;
        this.mappings = mappings;
        this.adapter = adapter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || !MUTATIONS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String before = request.getMethod().equals("POST") ? null : before(request, response);
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, answer);
        } catch (ServletException | IOException | RuntimeException failed) {
            record(request, answer, before, 500); // answered later by the container's error handling
            throw failed;
        }
        record(request, answer, before, answer.getStatus());
        answer.copyBodyToResponse();
    }

    private void record(HttpServletRequest request, ContentCachingResponseWrapper answer, String before, int status) {
        try {
            Matcher scope = SCOPE.matcher(request.getRequestURI());
            String org = scope.find() ? decode(scope.group(1)) : null;
            String project = org != null && scope.group(2) != null ? decode(scope.group(2)) : null;
            String after = Redaction.summary(new String(answer.getContentAsByteArray(), StandardCharsets.UTF_8));
            log.record(new AuditLog.Entry(CurrentCaller.get(request).name(), request.getRemoteAddr(), request.getMethod(), request.getRequestURI(),
                    status, request.getHeader("X-Sampan-Message"), org, project, before, after));
        } catch (RuntimeException e) {
            LOG.error("could not write the audit event for {} {}", request.getMethod(), request.getRequestURI(), e);
        }
    }

    /** What a GET of the same path answers now, if there is such a GET and it succeeds; else nothing. */
    /** A user created or linked by their first OIDC login is a change too, though no mutating request made it. */
    @EventListener
    public void provisioned(OidcLogin.UserProvisioned p) {
        log.record(new AuditLog.Entry(p.user(), p.source(), AuditLog.LOGIN, "/api/v1/users/" + p.user(), 200,
                "user " + p.change() + " by their first OIDC login (" + p.issuer() + ")", null, null, null, null));
    }

    private String before(HttpServletRequest request, HttpServletResponse response) {
        SnapshotResponse snapshot = new SnapshotResponse(response);
        HttpServletRequest get = new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public String getQueryString() {
                return null;
            }
        };
        java.util.List<String> had = java.util.Collections.list(request.getAttributeNames());
        try {
            ServletRequestPathUtils.parseAndCache(get);
            HandlerExecutionChain handler = mappings.getObject().getHandler(get);
            if (handler == null) {
                return null;
            }
            adapter.getObject().handle(get, snapshot, handler.getHandler());
        } catch (Exception noSuchGetOrNotThere) {
            return null; // e.g. 405 (no GET of this path) or 404
        } finally {
            for (String name : java.util.Collections.list(request.getAttributeNames())) {
                if (!had.contains(name)) {
                    request.removeAttribute(name); // what the GET's handling left, so the real request is handled as if it had not happened
                }
            }
        }
        return snapshot.status() == 200 ? Redaction.summary(snapshot.body()) : null;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
