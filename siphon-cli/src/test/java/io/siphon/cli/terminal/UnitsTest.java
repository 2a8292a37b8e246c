package io.siphon.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void countsHaveThousandsSeparators() {
        assertThat(Units.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(Units.count(0)).isEqualTo("0");
    }

    @Test
    void durationsReadNaturally() {
        assertThat(Units.duration(Duration.ofMillis(840))).isEqualTo("0.8s");
        assertThat(Units.duration(Duration.ofMillis(42_049))).isEqualTo("42.0s");
        assertThat(Units.duration(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(Units.duration(Duration.ofMinutes(62))).isEqualTo("1h 02m");
    }

    @Test
    void clockCountsMinutesAndSeconds() {
        assertThat(Units.clock(Duration.ofSeconds(75))).isEqualTo("01:15");
        assertThat(Units.clock(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
    }

    @Test
    void rateOfNoTimeIsZero() {
        assertThat(Units.perSecond(1000, Duration.ZERO)).isZero();
        assertThat(Units.perSecond(1000, Duration.ofMillis(250))).isEqualTo(4000);
    }

    @Test
    void sizesInPowersOf1024() {
        assertThat(Units.bytes(512)).isEqualTo("512 B");
        assertThat(Units.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(Units.bytes(42L * 1024 * 1024)).isEqualTo("42.0 MB");
    }
}
