package io.siphon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CdcBenchResultTest {

    private final CdcBenchResult result =
            new CdcBenchResult(
                    "tpcb",
                    200_000,
                    Duration.ofSeconds(5),
                    200_000,
                    Duration.ofMillis(2_500),
                    20_000,
                    40,
                    150);

    @Test
    void ratesAndRatioComeFromTheDrainTimes() {
        assertThat(result.nativeEventsPerSecond()).isEqualTo(40_000);
        assertThat(result.siphonEventsPerSecond()).isEqualTo(80_000);
        assertThat(result.ratio()).isEqualTo(2.0);
    }

    @Test
    void jsonIsOneLineWithTheWorkloadAndBothDrainTimes() {
        assertThat(result.json())
                .isEqualTo(
                        "{\"bench\":\"cdc-pg\",\"workload\":\"tpcb\",\"events\":200000,"
                                + "\"native_events_per_s\":40000,\"siphon_events_per_s\":80000,"
                                + "\"ratio\":2.000,\"drain_s\":{\"native\":5.000,\"siphon\":2.500},"
                                + "\"latency_events_per_s\":20000,\"p50_ms\":40,\"p99_ms\":150}");
    }
}
