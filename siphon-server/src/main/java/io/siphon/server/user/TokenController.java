package io.siphon.server.user;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's API tokens; an admin may list and delete everyone's. */
@RestController
@RequestMapping("/api/v1/tokens")
public class TokenController {

    private final TokenStore tokens;
    private final UserStore users;

    TokenController(TokenStore tokens, UserStore users) {
        this.tokens = tokens;
        this.users = users;
    }

    /**
     * A token to create.
     *
     * @param name what to call it
     * @param expiresInDays how long it works; never expires when left out
     */
    public record NewToken(String name, Integer expiresInDays) {}

    /** The caller's tokens; with {@code all=true}, an admin sees every user's. */
    @GetMapping
    public List<ApiToken> list(
            Authentication auth, @RequestParam(defaultValue = "false") boolean all) {
        if (all) {
            requireAdmin(auth);
            return tokens.list(null);
        }
        return tokens.list(auth.getName());
    }

    /** Creates a token for the caller; its secret is in this answer only. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public ApiToken create(Authentication auth, @RequestBody NewToken request) {
        return tokens.create(
                auth.getName(),
                request.name(),
                request.expiresInDays() == null ? null : days(request.expiresInDays()));
    }

    /** Deletes one of the caller's tokens (an admin: anyone's). */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Authentication auth, @PathVariable String id) {
        ApiToken token = tokens.get(id);
        if (!token.username().equals(auth.getName())) {
            requireAdmin(auth);
        }
        tokens.delete(id);
    }

    private void requireAdmin(Authentication auth) {
        if (users.get(auth.getName()).role() != Role.ADMIN) {
            throw new SiphonException(
                    ErrorCode.ACCESS_DENIED, "only an admin may see or delete others' tokens");
        }
    }

    static Duration days(int days) {
        if (days < 1 || days > 3650) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE, "expiresInDays must be 1 to 3650, not " + days);
        }
        return Duration.ofDays(days);
    }
}
