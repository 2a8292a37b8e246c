package io.siphon.engine.jet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdlePollTest {

    @Test
    void anIdleStreamWaitsTwiceAsLongAfterEachEmptyPollUpToTwoSeconds() {
        IdlePoll poll = new IdlePoll();
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(poll.timeout());
            poll.polled(true);
        }

        assertThat(waits)
                .containsExactly(
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2));
    }

    @Test
    void aPollThatReadSomethingBringsTheWaitBackToAQuarterOfASecond() {
        IdlePoll poll = new IdlePoll();
        for (int i = 0; i < 5; i++) {
            poll.polled(true);
        }

        poll.polled(false);

        assertThat(poll.timeout()).isEqualTo(Duration.ofMillis(250));
    }
}
