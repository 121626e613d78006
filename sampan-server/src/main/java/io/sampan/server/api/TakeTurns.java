package io.sampan.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests take turns on the server's few carrier threads. Tomcat serves a kept-alive connection's
 * next request in the same virtual thread when it has already arrived, and a virtual thread keeps
 * its carrier until it blocks; so a client that asks again at once (a script, a CLI polling a
 * status) was served request after request while requests on other connections waited, unseen, to
 * be started: under 50 clients on 2 cores half the status reads took under a millisecond and one in
 * a hundred over 100 ms. Yielding as each request begins puts it behind the requests already
 * waiting, so they are served about in the order they came.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TakeTurns extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
        chain.doFilter(request, response);
    }
}
