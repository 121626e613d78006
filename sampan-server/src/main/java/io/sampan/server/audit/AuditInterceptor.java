package io.sampan.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Records every mutating API request (POST, PUT, PATCH, DELETE under /api/) once it is answered,
 * refused ones included: the refusals are what an auditor looks for first.
 */
@Configuration
public class AuditInterceptor implements HandlerInterceptor, WebMvcConfigurer {
    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    private static final Set<String> MUTATIONS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final AuditLog log;

    public AuditInterceptor(AuditLog log) {
        this.log = log;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!MUTATIONS.contains(request.getMethod())) {
            return;
        }
        String message = request.getHeader("X-Sampan-Message");
        try {
            log.record(io.sampan.server.access.CurrentCaller.get(request).name(), request.getRemoteAddr(), request.getMethod(), request.getRequestURI(), response.getStatus(), message);
        } catch (RuntimeException e) {
            LOG.error("could not write the audit event for {} {}", request.getMethod(), request.getRequestURI(), e);
        }
    }
}
