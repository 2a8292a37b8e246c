package io.siphon.engine.jet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriterWakeupTest {

    private static final long FAR = TimeUnit.MINUTES.toNanos(10);

    @Test
    void aRingAfterTheCountWasTakenWakesTheWriter() throws Exception {
        WriterWakeup wakeup = new WriterWakeup();
        long seen = wakeup.rings();
        CompletableFuture<Void> asleep =
                CompletableFuture.runAsync(
                        () -> wakeup.awaitRingAfter(seen, System.nanoTime() + FAR));

        wakeup.ring();

        asleep.get(1, TimeUnit.MINUTES);
        assertThat(wakeup.rings()).isEqualTo(seen + 1);
    }

    @Test
    void aRingBeforeTheWaitIsNotMissed() {
        WriterWakeup wakeup = new WriterWakeup();
        long seen = wakeup.rings();
        wakeup.ring();

        // Returns at once: the item queued with that ring is what the writer must take next.
        wakeup.awaitRingAfter(seen, System.nanoTime() + FAR);

        assertThat(wakeup.rings()).isEqualTo(seen + 1);
    }

    @Test
    void theWaitEndsAtItsDeadlineWithoutARing() {
        WriterWakeup wakeup = new WriterWakeup();

        wakeup.awaitRingAfter(wakeup.rings(), System.nanoTime());

        assertThat(wakeup.rings()).isZero();
    }
}
