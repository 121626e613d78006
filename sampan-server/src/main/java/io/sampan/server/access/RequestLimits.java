package io.sampan.server.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits on API requests: bodies larger than {@code sampan.api.max-body} are refused (413) before
 * they are read, and each token may make {@code sampan.api.rate} requests a second on average with
 * bursts up to {@code sampan.api.burst} (a token bucket); beyond that, 429 with Retry-After.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestLimits extends OncePerRequestFilter {
    private final long maxBody;
    private final double rate;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RequestLimits(@Value("${sampan.api.max-body:1048576}") long maxBody, @Value("${sampan.api.rate:50}") double rate,
            @Value("${sampan.api.burst:200}") double burst, Clock clock) {
        this.maxBody = maxBody;
        this.rate = rate;
        this.burst = burst;
        this.clock = clock;
    }

    /** Tokens of one caller; refilled at {@code rate} a second up to {@code burst}. */
    private final class Bucket {
        private double tokens = burst;
        private long last = clock.millis();

        synchronized long take() {
            long now = clock.millis();
            tokens = Math.min(burst, tokens + (now - last) / 1000.0 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / rate);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBody) {
            problem(response, 413, "too-large", "the request body is " + request.getContentLengthLong() + " bytes; at most " + maxBody + " are accepted");
            return;
        }
        String key = callerKey(request);
        long wait = buckets.computeIfAbsent(key, k -> new Bucket()).take();
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, wait)));
            problem(response, 429, "rate-limited", "too many requests with this token; retry after " + Math.max(1, wait) + "s");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The token's public id when there is one (never its secret), else the client's address. */
    private static String callerKey(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer spn_", 0, 11) && auth.length() >= 23) {
            return "token " + auth.substring(11, 23);
        }
        return "address " + request.getRemoteAddr();
    }

    private static void problem(HttpServletResponse response, int status, String type, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"https://sampan.io/problems/" + type + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }
}
