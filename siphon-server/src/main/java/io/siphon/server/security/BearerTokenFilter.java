package io.siphon.server.security;

import io.siphon.server.api.Problems;
import io.siphon.server.user.ApiToken;
import io.siphon.server.user.TokenStore;
import io.siphon.spi.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api token>} requests. A token that is unknown,
 * deleted or expired is refused at once with 401, rather than falling through to the other ways of
 * signing in.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final TokenStore tokens;
    private final ProblemResponses problems;
    private final RequestAttributeSecurityContextRepository perRequest =
            new RequestAttributeSecurityContextRepository();

    BearerTokenFilter(TokenStore tokens, ProblemResponses problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiToken> token = tokens.authenticate(header.substring(BEARER.length()).trim());
        if (token.isEmpty()) {
            problems.write(
                    request,
                    response,
                    Problems.of(
                            ErrorCode.UNAUTHENTICATED,
                            "the API token is unknown, deleted or expired; create a new one with"
                                    + " siphon login"));
            return;
        }
        ApiToken t = token.get();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(
                        t.username(),
                        null,
                        List.of(new SimpleGrantedAuthority(t.role().authority()))));
        SecurityContextHolder.setContext(context);
        // For this request only: a token authenticates each call, so no session is made for it.
        perRequest.saveContext(context, request, response);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
