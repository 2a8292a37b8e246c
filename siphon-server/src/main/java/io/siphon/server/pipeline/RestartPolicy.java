package io.siphon.server.pipeline;

import io.siphon.spi.Config;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the server does when a pipeline fails: nothing (it stays {@code FAILED} until someone starts
 * it), or start it again after a delay, a limited number of times in a row. Written in the spec as
 * the server-only block {@code restart: { policy: on-failure, delay: 30s, max-attempts: 3 }}.
 *
 * @param onFailure whether to restart a failed pipeline
 * @param delay how long to wait before each restart
 * @param maxAttempts restarts in a row before giving up; a run that streams again resets the count
 */
public record RestartPolicy(boolean onFailure, Duration delay, int maxAttempts) {

    static final Option<String> POLICY =
            Option.choice(
                    "policy",
                    "never: a failed pipeline stays FAILED until started again; on-failure: the"
                            + " server starts it again after 'delay'",
                    "never",
                    "never",
                    "on-failure");
    static final Option<Duration> DELAY =
            Option.duration("delay", "Wait before each automatic restart", Duration.ofSeconds(30));
    static final Option<Integer> MAX_ATTEMPTS =
            Option.integer(
                    "max-attempts",
                    "Automatic restarts in a row before the pipeline is left FAILED (counted"
                            + " again from each start by a user)",
                    3);

    /** Every option of the {@code restart} block. */
    public static final List<Option<?>> OPTIONS = List.of(POLICY, DELAY, MAX_ATTEMPTS);

    /** The default: never restart by itself. */
    public static final RestartPolicy NEVER = new RestartPolicy(false, DELAY.defaultValue(), 0);

    /**
     * Reads a {@code restart} block.
     *
     * @throws SiphonException naming every bad key or value
     */
    static RestartPolicy of(Map<String, ?> block) {
        Config config = Config.of(block, OPTIONS, "restart");
        return new RestartPolicy(
                config.get(POLICY).equals("on-failure"),
                config.get(DELAY),
                config.get(MAX_ATTEMPTS));
    }
}
