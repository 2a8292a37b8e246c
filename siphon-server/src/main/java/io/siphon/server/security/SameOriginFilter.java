package io.siphon.server.security;

import io.siphon.server.api.Problems;
import io.siphon.server.audit.AuditLog;
import io.siphon.spi.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery protection for requests that change something. A browser tells where a
 * request comes from ({@code Origin}, {@code Sec-Fetch-Site}): one from another origin is refused,
 * whatever its credentials (a sibling port or subdomain is another origin, though {@code SameSite}
 * cookies count it as the same site). A request that only the session cookie authenticates must
 * also say it comes from this origin, since the cookie is the one credential a browser adds by
 * itself. API clients with a token or Basic credentials send neither header and need none.
 */
class SameOriginFilter extends OncePerRequestFilter {

    private static final String FETCH_SITE = "Sec-Fetch-Site";

    private final ProblemResponses problems;

    SameOriginFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!AuditLog.mutating(request)) {
            chain.doFilter(request, response);
            return;
        }
        String site = request.getHeader(FETCH_SITE);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean sameOrigin =
                "same-origin".equals(site) || (origin != null && sameOrigin(origin, request));
        boolean crossOrigin =
                (site != null && !site.equals("same-origin") && !site.equals("none"))
                        || (origin != null && !sameOrigin(origin, request));
        boolean cookieOnly =
                request.getHeader(HttpHeaders.AUTHORIZATION) == null
                        && request.getRequestedSessionId() != null;
        if (crossOrigin) {
            refuse(
                    request,
                    response,
                    "a request from another origin ("
                            + (origin != null ? origin : site)
                            + ") may not change anything here; call the API from the server's own"
                            + " pages, or with an API token");
            return;
        }
        if (cookieOnly && !sameOrigin) {
            refuse(
                    request,
                    response,
                    "a request signed in by the session cookie must say where it comes from:"
                            + " send an Origin header of this server (browsers do), or use an API"
                            + " token");
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        problems.write(request, response, Problems.of(ErrorCode.ACCESS_DENIED, message));
    }

    /** Whether an {@code Origin} is the scheme, host and port this request was sent to. */
    static boolean sameOrigin(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme.equalsIgnoreCase(request.getScheme())
                && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }
}
