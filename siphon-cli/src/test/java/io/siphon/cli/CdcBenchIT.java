package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code siphon bench cdc-pg}, short, for each workload: both backlogs drained, both targets
 * verified, and the JSON line last.
 */
class CdcBenchIT {

    @ParameterizedTest
    @ValueSource(strings = {"accounts", "tpcb"})
    void benchmarkDrainsTheSameBacklogTwiceVerifiesBothTargetsAndEndsWithItsJsonLine(
            String workload) {
        CliOutcome outcome =
                siphon(
                        "bench",
                        "cdc-pg",
                        "--workload",
                        workload,
                        "--duration",
                        "2",
                        "--rows",
                        "10000",
                        "--clients",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.out())
                .containsPattern("native: backlog of [0-9,]+ events")
                .containsPattern("native logical replication .*: drained [0-9,]+ events")
                .containsPattern("siphon cdc .*: drained [0-9,]+ events")
                .contains("verified native target: ")
                .contains("verified siphon target: ")
                .containsPattern(
                        "siphon latency at [0-9,]+ events/s \\(achieved\\): commit -> visible");
        List<String> lines = outcome.out().lines().toList();
        assertThat(lines.getLast())
                .matches(
                        "\\{\"bench\":\"cdc-pg\",\"workload\":\""
                                + workload
                                + "\",\"events\":[1-9][0-9]*,"
                                + "\"native_events_per_s\":[1-9][0-9]*,"
                                + "\"siphon_events_per_s\":[1-9][0-9]*,\"ratio\":[0-9.]+,"
                                + "\"drain_s\":\\{\"native\":[0-9.]+,\"siphon\":[0-9.]+\\},"
                                + "\"latency_events_per_s\":[0-9]+,"
                                + "\"p50_ms\":-?[0-9]+,\"p99_ms\":-?[0-9]+\\}");
    }

    @Test
    void anUnknownWorkloadIsAUsageErrorNamingTheKnownOnes() {
        CliOutcome outcome = siphon("bench", "cdc-pg", "--workload", "tpcc");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("--workload must be one of accounts, tpcb");
    }
}
