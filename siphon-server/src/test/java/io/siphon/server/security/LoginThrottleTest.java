package io.siphon.server.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void theFifthFailureLocksTheUserForThirtySecondsThenEachMoreDoublesIt() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("Ann", "10.0.0.1");
            assertThatCode(() -> throttle.before("ann", "10.0.0.2")).doesNotThrowAnyException();
        }
        throttle.failed("ann", "10.0.0.1");
        assertThatThrownBy(() -> throttle.before("ANN", "10.0.0.2"))
                .isInstanceOfSatisfying(
                        TooManySignIns.class,
                        e ->
                                org.assertj.core.api.Assertions.assertThat(e.retryAfterSeconds())
                                        .isEqualTo(31));
        assertThatCode(() -> throttle.before("bob", "10.0.0.2")).doesNotThrowAnyException();

        clock.advance(Duration.ofSeconds(30));
        assertThatCode(() -> throttle.before("ann", "10.0.0.2")).doesNotThrowAnyException();
        throttle.failed("ann", "10.0.0.2");
        assertThatThrownBy(() -> throttle.before("ann", "10.0.0.3"))
                .isInstanceOfSatisfying(
                        TooManySignIns.class,
                        e ->
                                org.assertj.core.api.Assertions.assertThat(e.retryAfterSeconds())
                                        .isEqualTo(61));
    }

    @Test
    void aSuccessClearsTheUsersFailuresAndQuietFailuresAreForgotten() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("ann", "10.0.0.1");
        }
        throttle.succeeded("ann");
        throttle.failed("ann", "10.0.0.1");
        assertThatCode(() -> throttle.before("ann", "10.0.0.1")).doesNotThrowAnyException();

        for (int i = 0; i < 3; i++) {
            throttle.failed("cid", "10.0.0.9");
        }
        clock.advance(Duration.ofMinutes(16));
        throttle.failed("cid", "10.0.0.9");
        assertThatCode(() -> throttle.before("cid", "10.0.0.9")).doesNotThrowAnyException();
    }

    @Test
    void twentyFailuresFromOneAddressLockItForEveryUser() {
        for (int i = 0; i < 19; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertThatCode(() -> throttle.before("admin", "192.0.2.7")).doesNotThrowAnyException();
        throttle.failed("user19", "192.0.2.7");
        assertThatThrownBy(() -> throttle.before("admin", "192.0.2.7"))
                .isInstanceOf(TooManySignIns.class)
                .hasMessage(
                        "too many failed sign-ins for 'admin' or from 192.0.2.7; try again in 31"
                                + " seconds");
        assertThatCode(() -> throttle.before("admin", "192.0.2.8")).doesNotThrowAnyException();
    }
}
