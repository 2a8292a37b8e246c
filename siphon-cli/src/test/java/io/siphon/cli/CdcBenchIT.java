package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code siphon bench cdc-pg}, short: both targets verified, and the JSON line last. */
class CdcBenchIT {

    @Test
    void benchmarkVerifiesBothTargetsAndEndsWithItsJsonLine() {
        CliOutcome outcome =
                siphon("bench", "cdc-pg", "--duration", "3", "--rows", "10000", "--clients", "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.out())
                .contains("verified native target: ")
                .contains("verified siphon target: ")
                .containsPattern("siphon drain: [0-9,]+ events applied from the backlog")
                .containsPattern(
                        "siphon latency at [0-9,]+ events/s \\(achieved\\): commit -> visible");
        List<String> lines = outcome.out().lines().toList();
        assertThat(lines.getLast())
                .matches(
                        "\\{\"bench\":\"cdc-pg\",\"native_events_per_s\":[1-9][0-9]*,"
                                + "\"siphon_events_per_s\":[1-9][0-9]*,\"ratio\":[0-9.]+,"
                                + "\"p50_ms\":[0-9]+,\"p99_ms\":[0-9]+,"
                                + "\"drain_events_per_s\":[1-9][0-9]*\\}");
    }
}
