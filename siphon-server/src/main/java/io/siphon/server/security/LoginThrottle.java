package io.siphon.server.security;

import io.siphon.server.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Slows password guessing: after {@value #USER_FAILURES} failed sign-ins in a row for one user, or
 * {@value #ADDRESS_FAILURES} from one address, further attempts for that user or from that address
 * are refused without checking the password, for 30 seconds, doubling with every further failure up
 * to 15 minutes. A success clears the user's count; failures are forgotten 15 minutes after the
 * last one. Every lockout is noted in the audit log and logged.
 *
 * <p>Counts are kept in this server's memory (a server of a cluster counts its own attempts),
 * bounded in size.
 */
final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    static final int USER_FAILURES = 5;
    static final int ADDRESS_FAILURES = 20;
    private static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    private static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Map<String, Failures> users = new ConcurrentHashMap<>();
    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Failed attempts in a row, the last one's time, and until when attempts are refused. */
    private record Failures(int count, Instant last, Instant lockedUntil) {}

    /**
     * The authentication manager that checks the throttle before {@code checked} checks the
     * password, and counts what it decides.
     */
    AuthenticationManager guard(AuthenticationManager checked) {
        return attempt -> {
            String username = attempt.getName();
            String address = currentAddress();
            before(username, address);
            try {
                Authentication ok = checked.authenticate(attempt);
                succeeded(username);
                return ok;
            } catch (AuthenticationException e) {
                failed(username, address);
                throw e;
            }
        };
    }

    private static String currentAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes r
                ? r.getRequest().getRemoteAddr()
                : "an unknown address";
    }

    /**
     * Refuses an attempt while the user or the address is locked.
     *
     * @throws TooManySignIns saying how long to wait
     */
    void before(String username, String address) {
        Instant now = clock.instant();
        Instant until =
                later(lockedUntil(users, key(username), now), lockedUntil(addresses, address, now));
        if (until != null) {
            long seconds = Math.max(1, Duration.between(now, until).toSeconds() + 1);
            throw new TooManySignIns(
                    "too many failed sign-ins for '"
                            + username
                            + "' or from "
                            + address
                            + "; try again in "
                            + seconds
                            + " seconds",
                    seconds);
        }
    }

    /** Counts a failed attempt; may lock the user or the address. */
    void failed(String username, String address) {
        count(users, key(username), USER_FAILURES, "user '" + username + "'");
        count(addresses, address, ADDRESS_FAILURES, "address " + address);
    }

    /** Clears the user's count after a correct password. */
    void succeeded(String username) {
        users.remove(key(username));
    }

    private void count(Map<String, Failures> map, String key, int threshold, String who) {
        Instant now = clock.instant();
        if (map.size() >= MAX_ENTRIES) {
            map.values().removeIf(f -> forgotten(f, now));
        }
        Failures after =
                map.compute(
                        key,
                        (k, f) -> {
                            int count = f == null || forgotten(f, now) ? 1 : f.count() + 1;
                            Instant until =
                                    count >= threshold ? now.plus(lock(count - threshold)) : null;
                            return new Failures(count, now, until);
                        });
        if (after.lockedUntil() != null) {
            String detail =
                    "sign-in locked for "
                            + who
                            + " after "
                            + after.count()
                            + " failures, for "
                            + Duration.between(now, after.lockedUntil()).toSeconds()
                            + " seconds";
            AuditLog.note(detail);
            LOG.warn("{}", detail);
        }
    }

    private static Duration lock(int beyond) {
        Duration lock = FIRST_LOCK.multipliedBy(1L << Math.min(beyond, 10));
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    private static boolean forgotten(Failures f, Instant now) {
        Instant end =
                f.lockedUntil() != null && f.lockedUntil().isAfter(f.last())
                        ? f.lockedUntil()
                        : f.last();
        return end.plus(FORGET_AFTER).isBefore(now);
    }

    private static Instant lockedUntil(Map<String, Failures> map, String key, Instant now) {
        Failures f = map.get(key);
        return f == null || f.lockedUntil() == null || !f.lockedUntil().isAfter(now)
                ? null
                : f.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String key(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }
}
