package io.siphon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    private final BenchResult result =
            new BenchResult(5_000_000, Duration.ofMillis(12_500), Duration.ofMillis(20_000));

    @Test
    void ratesAndRatioComeFromTheTimes() {
        assertThat(result.nativeRowsPerSecond()).isEqualTo(400_000);
        assertThat(result.siphonRowsPerSecond()).isEqualTo(250_000);
        assertThat(result.ratio()).isEqualTo(0.625);
    }

    @Test
    void jsonIsOneLineWithTheAgreedKeys() {
        assertThat(result.json())
                .isEqualTo(
                        "{\"bench\":\"snapshot-pg\",\"rows\":5000000,\"native_rows_per_s\":400000,"
                                + "\"siphon_rows_per_s\":250000,\"ratio\":0.625}");
    }

    @Test
    void withTransformsTheJsonAddsTheirRateAndTheRatioAgainstTheCopyWithoutThem() {
        BenchResult withTransforms =
                new BenchResult(
                        5_000_000,
                        Duration.ofMillis(12_500),
                        Duration.ofMillis(20_000),
                        java.util.List.of("filter", "compute", "mask"),
                        new BenchResult.TransformsLegs(
                                Duration.ofMillis(42_000), Duration.ofMillis(50_000), 2));

        assertThat(withTransforms.transformsRatio()).isEqualTo(0.84);
        assertThat(withTransforms.json())
                .isEqualTo(
                        "{\"bench\":\"snapshot-pg\",\"rows\":5000000,\"native_rows_per_s\":400000,"
                                + "\"siphon_rows_per_s\":250000,\"ratio\":0.625,"
                                + "\"transforms\":\"filter,compute,mask\","
                                + "\"transforms_rows_per_s\":200000,\"transforms_ratio\":0.840,"
                                + "\"transforms_rounds\":2}");
    }
}
