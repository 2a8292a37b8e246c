package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.TemporalLimits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java values become the text PostgreSQL's input functions read back to the same value. */
class CopyTextEncoderTest {

    private static String field(Object value, DataType type) {
        StringBuilder sb = new StringBuilder();
        CopyTextEncoder.appendField(sb, value, type);
        return sb.toString();
    }

    @Test
    void escapesCopySpecialCharactersAndWritesNullAsBackslashN() {
        assertThat(field("a\tb\nc\rd\\e", DataType.StringType.unbounded()))
                .isEqualTo("a\\tb\\nc\\rd\\\\e");
        assertThat(field(null, DataType.StringType.unbounded())).isEqualTo("\\N");
        assertThat(field("\\N", DataType.StringType.unbounded())).isEqualTo("\\\\N");
    }

    @Test
    void writesTypesFromOtherSystemsInAFormPostgresqlReads() {
        assertThat(field(new BigInteger("18446744073709551615"), new DataType.UInt64()))
                .isEqualTo("18446744073709551615");
        DataType duration = new DataType.DurationType(6);
        assertThat(field(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59), duration))
                .isEqualTo("-838:59:59");
        assertThat(field(Duration.ofHours(25).plusNanos(1_000), duration))
                .isEqualTo("25:00:00.000001");
        assertThat(field(Duration.ofSeconds(-1).plusNanos(500_000_000), duration))
                .isEqualTo("-0:00:00.500000");
        assertThat(field((short) 1901, new DataType.YearType())).isEqualTo("1901");
        assertThat(field("0101", new DataType.BitType(4, false))).isEqualTo("0101");
        DataType.SetType set = new DataType.SetType(List.of("a b", "c\\d", "e"));
        assertThat(field(List.of("a b", "c\\d"), set)).isEqualTo("{\"a b\",\"c\\\\\\\\d\"}");
        assertThat(field(List.of(), set)).isEqualTo("{}");
    }

    @Test
    void refusesTextWithNulWhichPostgresqlCannotHold() {
        assertThatThrownBy(() -> field("a\0b", DataType.StringType.unbounded()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> CopyTextEncoder.textForm("\0", new DataType.JsonType(false)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesByteaAsEscapedHex() {
        assertThat(field(new byte[] {0, (byte) 0xff, 0x5c}, new DataType.BinaryType(-1)))
                .isEqualTo("\\\\x00ff5c");
    }

    @Test
    void writesSpecialNumbersAsPostgresSpellsThem() {
        DataType decimal = new DataType.DecimalType(-1, -1);
        assertThat(field(Double.NaN, decimal)).isEqualTo("NaN");
        assertThat(field(Double.POSITIVE_INFINITY, decimal)).isEqualTo("Infinity");
        assertThat(field(Double.NEGATIVE_INFINITY, decimal)).isEqualTo("-Infinity");
        assertThat(field(new BigDecimal("1E+3"), decimal)).isEqualTo("1000");
        assertThat(field(new BigDecimal("1.500"), decimal)).isEqualTo("1.500");
        assertThat(field(-0.0f, new DataType.Float32())).isEqualTo("-0.0");
        assertThat(field(Float.NaN, new DataType.Float32())).isEqualTo("NaN");
        assertThat(field(Double.NEGATIVE_INFINITY, new DataType.Float64())).isEqualTo("-Infinity");
    }

    @Test
    void writesDatesWithBcAndInfinity() {
        DataType date = new DataType.DateType();
        assertThat(field(LocalDate.of(-4712, 1, 1), date)).isEqualTo("4713-01-01 BC");
        assertThat(field(LocalDate.of(0, 3, 15), date)).isEqualTo("0001-03-15 BC");
        assertThat(field(LocalDate.of(5874897, 12, 31), date)).isEqualTo("5874897-12-31");
        assertThat(field(LocalDate.MAX, date)).isEqualTo("infinity");
        assertThat(field(LocalDate.MIN, date)).isEqualTo("-infinity");
    }

    @Test
    void writesTimesWithMicrosecondsAndEndOfDay() {
        DataType time = new DataType.TimeType(-1);
        assertThat(field(LocalTime.MAX, time)).isEqualTo("24:00:00");
        assertThat(field(LocalTime.of(1, 2, 3, 4_000), time)).isEqualTo("01:02:03.000004");
        assertThat(field(LocalTime.MIDNIGHT, time)).isEqualTo("00:00:00");
        assertThat(
                        field(
                                LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000),
                                new DataType.TimestampType(-1)))
                .isEqualTo("2024-02-29 23:59:59.999999");
        assertThat(field(LocalDateTime.MIN, new DataType.TimestampType(-1))).isEqualTo("-infinity");
    }

    @Test
    void writesInstantsAtUtc() {
        DataType tz = new DataType.TimestampTzType(-1);
        assertThat(field(OffsetDateTime.of(2024, 1, 1, 5, 30, 0, 0, ZoneOffset.ofHours(5)), tz))
                .isEqualTo("2024-01-01 00:30:00+00");
        assertThat(field(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY, tz)).isEqualTo("infinity");
        assertThat(field(TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY, tz)).isEqualTo("-infinity");
    }

    @Test
    void writesIntervalsPartByPart() {
        DataType interval = new DataType.IntervalType();
        assertThat(field(new Interval(14, 3, 14_706_789_012L), interval))
                .isEqualTo("14 mons 3 days 4:05:06.789012");
        assertThat(field(new Interval(-1, 2, -1), interval))
                .isEqualTo("-1 mons 2 days -0:00:00.000001");
        assertThat(field(new Interval(0, 0, Long.MIN_VALUE), interval))
                .isEqualTo("0 mons 0 days -2562047788:00:54.775808");
        assertThat(
                        field(
                                new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE),
                                interval))
                .isEqualTo("infinity");
    }

    @Test
    void writesArraysWithEveryElementQuotedAndNestedDimensions() {
        DataType texts = new DataType.ArrayType(DataType.StringType.unbounded());
        assertThat(
                        CopyTextEncoder.textForm(
                                Arrays.asList("a,b", "c\"d", "e\\f", null, "NULL"), texts))
                .isEqualTo("{\"a,b\",\"c\\\"d\",\"e\\\\f\",NULL,\"NULL\"}");
        assertThat(
                        CopyTextEncoder.textForm(
                                List.of(List.of(1, 2), Arrays.asList(3, null)),
                                new DataType.ArrayType(new DataType.Int32())))
                .isEqualTo("{{\"1\",\"2\"},{\"3\",NULL}}");
        assertThat(CopyTextEncoder.textForm(List.of(), texts)).isEqualTo("{}");
        assertThat(
                        CopyTextEncoder.textForm(
                                List.of("(1,1),(0,0)", "(2,2),(1,1)"),
                                new DataType.ArrayType(new DataType.OtherType("box"))))
                .isEqualTo("{\"(1,1),(0,0)\";\"(2,2),(1,1)\"}");
        assertThat(field(List.of("tab\there"), texts)).isEqualTo("{\"tab\\there\"}");
    }
}
