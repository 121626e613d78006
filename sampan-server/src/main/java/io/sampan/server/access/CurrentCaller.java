package io.sampan.server.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API requests by bearer token: a Sampan API token, or (when OIDC login is
 * configured) a JWT of the OIDC provider. Every {@code /api/} request needs a valid token (401
 * otherwise); health, metrics, the OpenAPI document and {@value #OIDC_PROVIDER} are open. The caller is available to
 * the rest of the request through {@link #get}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class CurrentCaller extends OncePerRequestFilter {
    static final String ATTRIBUTE = "sampan.caller";
    /** Open: where clients learn which OIDC provider to log in with. */
    public static final String OIDC_PROVIDER = "/api/v1/login/oidc";
    private final Tokens tokens;
    private final OidcLogin oidc;

    public CurrentCaller(Tokens tokens, OidcLogin oidc) {
        this.tokens = tokens;
        this.oidc = oidc;
    }

    public static Caller get(HttpServletRequest request) {
        Object c = request.getAttribute(ATTRIBUTE);
        return c instanceof Caller caller ? caller : Caller.ANONYMOUS;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || request.getRequestURI().equals(OIDC_PROVIDER);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        Optional<Caller> caller = Optional.empty();
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = header.substring(7).trim();
            caller = OidcVerifier.looksLikeJwt(bearer) ? oidc.authenticate(bearer, request.getRemoteAddr())
                    : tokens.caller(bearer);
        }
        if (caller.isEmpty()) {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"sampan\"");
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"https://sampan.io/problems/unauthenticated\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"" + (header == null ? "an API token is required: send Authorization: Bearer <token> (sampan login)"
                            : "the token is not valid, expired or revoked") + "\"}");
            return;
        }
        request.setAttribute(ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
