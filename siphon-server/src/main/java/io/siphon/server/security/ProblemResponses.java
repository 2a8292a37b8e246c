package io.siphon.server.security;

import io.siphon.server.api.Problems;
import io.siphon.server.audit.AuditLog;
import io.siphon.spi.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes 401 and 403 answers from the security filters, which run before Spring MVC and so before
 * {@link io.siphon.server.api.ApiErrors}, in the same problem+json form.
 */
@Component
class ProblemResponses {

    private final JsonMapper json;
    private final AuditLog audit;

    ProblemResponses(JsonMapper json, AuditLog audit) {
        this.json = json;
        this.audit = audit;
    }

    AuthenticationEntryPoint unauthenticated() {
        return (request, response, e) -> {
            if (e instanceof TooManySignIns throttled) {
                response.setHeader(
                        HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
                write(request, response, Problems.of(ErrorCode.TOO_MANY_ATTEMPTS, e.getMessage()));
                return;
            }
            if (forBrowser(request.getRequestURI())) {
                // The API answers without a challenge (no login pop-up in a web app that calls
                // it); the Swagger UI is a page a person opens, so the browser asks for a login.
                response.setHeader("WWW-Authenticate", "Basic realm=\"Siphon\"");
            }
            write(
                    request,
                    response,
                    Problems.of(
                            ErrorCode.UNAUTHENTICATED,
                            "sign in first: send 'Authorization: Bearer <api token>' (siphon"
                                    + " login creates one), HTTP Basic credentials, or the"
                                    + " session cookie of POST /api/v1/auth/login"));
        };
    }

    private static boolean forBrowser(String path) {
        return path.startsWith("/api/v1/docs")
                || path.startsWith("/api/v1/swagger-ui")
                || path.startsWith("/swagger-ui");
    }

    AccessDeniedHandler denied() {
        return (request, response, e) ->
                write(
                        request,
                        response,
                        Problems.of(
                                ErrorCode.ACCESS_DENIED,
                                "your role does not allow "
                                        + request.getMethod()
                                        + " "
                                        + request.getRequestURI()
                                        + "; ask an admin for a stronger role"));
    }

    /**
     * Writes a refusal, and records it in the audit log when the call would have changed something.
     */
    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        if (AuditLog.recorded(request)) {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            audit.record(
                    request,
                    auth == null || !auth.isAuthenticated() ? null : auth.getName(),
                    problem.getStatus());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
