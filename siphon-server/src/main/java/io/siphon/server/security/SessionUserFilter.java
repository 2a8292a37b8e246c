package io.siphon.server.security;

import io.siphon.server.api.Problems;
import io.siphon.server.user.AuthController;
import io.siphon.server.user.UserStore;
import io.siphon.spi.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes a session follow its user: on every request it compares the user's credentials version
 * (which grows with each change of password or role) with the one the session was signed in with. A
 * deleted user, a new role or a new password ends the session at once, as deleting a token ends the
 * token.
 */
class SessionUserFilter extends OncePerRequestFilter {

    private final UserStore users;
    private final ProblemResponses problems;

    SessionUserFilter(UserStore users, ProblemResponses problems) {
        this.users = users;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session == null
                || !(session.getAttribute(
                                HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                        instanceof SecurityContext context)
                || context.getAuthentication() == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<UserStore.Standing> standing =
                users.standing(context.getAuthentication().getName());
        if (standing.isPresent()
                && Objects.equals(
                        session.getAttribute(AuthController.CREDENTIALS_VERSION),
                        standing.get().credentialsVersion())) {
            chain.doFilter(request, response);
            return;
        }
        session.invalidate();
        SecurityContextHolder.clearContext();
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            // Other credentials came with the request: they decide.
            chain.doFilter(request, response);
            return;
        }
        problems.write(
                request,
                response,
                Problems.of(
                        ErrorCode.UNAUTHENTICATED,
                        "your session has ended: your user was deleted, or its role or password"
                                + " changed; sign in again"));
    }
}
