package io.siphon.engine.jet;

import java.time.Duration;

/**
 * How long the stream reader's next poll may wait for changes: {@link #FIRST} while changes come,
 * doubling with each empty poll up to {@link #LONGEST} while the stream is idle.
 *
 * <p>A poll returns as soon as a change comes, so the wait costs a change no latency. What it
 * bounds is how late the reader looks at anything else: a checkpoint waits for the poll to end (an
 * idle stream's checkpoints, which move nothing, come less often), and so do requests to copy a
 * table again. A cancelled job does not wait: the sources return early when their thread is
 * interrupted. Each empty poll of an idle stream costs a wake-up of the reader, its look for
 * re-copy requests and a checkpoint's work; fewer of them is most of what an idle pipeline saves.
 */
final class IdlePoll {

    /** The wait while changes come, and after the first empty poll. */
    static final Duration FIRST = Duration.ofMillis(250);

    /** The longest wait of an idle stream. */
    static final Duration LONGEST = Duration.ofSeconds(2);

    private Duration next = FIRST;

    /** How long the next poll may wait. */
    Duration timeout() {
        return next;
    }

    /**
     * Notes how the last poll went: an idle one (nothing read, nothing else to do) lets the next
     * wait twice as long, up to {@link #LONGEST}; anything else brings the wait back to {@link
     * #FIRST}.
     */
    void polled(boolean idle) {
        next = idle ? min(next.multipliedBy(2), LONGEST) : FIRST;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
