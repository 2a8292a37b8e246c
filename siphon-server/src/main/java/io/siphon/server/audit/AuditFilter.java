package io.siphon.server.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every mutating call that passed the security filters, with its status, even when it
 * failed. (Calls the security filters refuse are recorded by them; see {@code ProblemResponses}.)
 * Runs inside the security filter chain's scope, so the caller is known.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class AuditFilter extends OncePerRequestFilter {

    private final AuditLog log;

    AuditFilter(AuditLog log) {
        this.log = log;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!request.getRequestURI().startsWith("/api/")) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (AuditLog.recorded(request)) {
                Authentication auth = SecurityContextHolder.getContext().getAuthentication();
                log.record(request, auth == null ? null : auth.getName(), response.getStatus());
            }
        }
    }
}
