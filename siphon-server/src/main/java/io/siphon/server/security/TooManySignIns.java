package io.siphon.server.security;

import org.springframework.security.core.AuthenticationException;

/** A sign-in refused before its password was checked: too many failed ones came before it. */
public final class TooManySignIns extends AuthenticationException {

    private final long retryAfterSeconds;

    TooManySignIns(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** How long to wait before trying again, for the {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
