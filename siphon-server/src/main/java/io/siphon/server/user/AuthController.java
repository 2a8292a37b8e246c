package io.siphon.server.user;

import io.siphon.server.security.TooManySignIns;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Signing in and out: a session for the browser, an API token for the CLI and scripts. */
@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {

    /**
     * The session attribute holding the credentials version of the user when it signed in; the
     * session ends when the user's version moves on (see {@link UserStore.Standing}).
     */
    public static final String CREDENTIALS_VERSION = "siphon.credentialsVersion";

    /** Tokens made by {@code siphon login} work this long unless the caller says otherwise. */
    private static final Duration LOGIN_TOKEN_LIFETIME = Duration.ofDays(90);

    private final AuthenticationManager authentication;
    private final SecurityContextRepository contexts;
    private final UserStore users;
    private final TokenStore tokens;

    AuthController(
            AuthenticationManager authentication,
            SecurityContextRepository contexts,
            UserStore users,
            TokenStore tokens) {
        this.authentication = authentication;
        this.contexts = contexts;
        this.users = users;
        this.tokens = tokens;
    }

    /**
     * Credentials to sign in with.
     *
     * @param username the user
     * @param password the password
     */
    public record Credentials(String username, String password) {}

    /**
     * Credentials and a name for the token they buy.
     *
     * @param username the user
     * @param password the password
     * @param name what to call the token, for example the host it is used from
     * @param expiresInDays how long it works; 90 days when left out
     */
    public record TokenRequest(
            String username, String password, String name, Integer expiresInDays) {}

    /**
     * Who is signed in.
     *
     * @param username the user
     * @param role the role
     */
    public record Me(String username, Role role) {}

    /** Signs in and starts a session (cookie {@code SIPHON_SESSION}). */
    @PostMapping("/login")
    public Me login(
            @RequestBody Credentials credentials,
            HttpServletRequest request,
            HttpServletResponse response) {
        Authentication auth =
                authenticate(credentials.username(), credentials.password(), response);
        HttpSession old = request.getSession(false);
        if (old != null) {
            // A new session id at sign-in: an id planted before it is worthless.
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        session.setAttribute(
                CREDENTIALS_VERSION,
                users.standing(auth.getName())
                        .map(UserStore.Standing::credentialsVersion)
                        .orElse(-1));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return me(auth);
    }

    /** Ends the session. */
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }

    /** The signed-in user. */
    @GetMapping("/me")
    public Me me(Authentication auth) {
        return new Me(auth.getName(), users.get(auth.getName()).role());
    }

    /**
     * Checks credentials and returns a new API token for that user: what {@code siphon login} does.
     */
    @PostMapping("/token")
    @ResponseStatus(HttpStatus.CREATED)
    public ApiToken token(@RequestBody TokenRequest request, HttpServletResponse response) {
        Authentication auth = authenticate(request.username(), request.password(), response);
        Duration lifetime =
                request.expiresInDays() == null
                        ? LOGIN_TOKEN_LIFETIME
                        : TokenController.days(request.expiresInDays());
        String name = request.name() == null || request.name().isBlank() ? "cli" : request.name();
        return tokens.create(auth.getName(), name, lifetime);
    }

    private Authentication authenticate(
            String username, String password, HttpServletResponse response) {
        if (username == null || password == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY, "send both 'username' and 'password'");
        }
        try {
            return authentication.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(username, password));
        } catch (TooManySignIns e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            throw new SiphonException(ErrorCode.TOO_MANY_ATTEMPTS, e.getMessage());
        } catch (AuthenticationException e) {
            throw new SiphonException(
                    ErrorCode.UNAUTHENTICATED, "wrong username or password for '" + username + "'");
        }
    }
}
