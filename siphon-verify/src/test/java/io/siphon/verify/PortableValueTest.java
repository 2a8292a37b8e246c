package io.siphon.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import org.junit.jupiter.api.Test;

class PortableValueTest {

    @Test
    void decimalsCompareByValueWhateverTheirScale() {
        assertThat(PortableValue.normalise("1.500", ValueKind.DECIMAL))
                .isEqualTo(PortableValue.normalise("1.5", ValueKind.DECIMAL))
                .isEqualTo("1.5");
        assertThat(PortableValue.normalise("0.000", ValueKind.DECIMAL)).isEqualTo("0");
        assertThat(PortableValue.normalise("1200", ValueKind.DECIMAL)).isEqualTo("1200");
        assertThat(PortableValue.normalise("1.56", ValueKind.DECIMAL))
                .isNotEqualTo(PortableValue.normalise("1.555", ValueKind.DECIMAL));
    }

    @Test
    void integersBeyondSignedLongKeepEveryDigit() {
        assertThat(PortableValue.normalise("18446744073709551615", ValueKind.INTEGER))
                .isEqualTo("18446744073709551615");
    }

    @Test
    void floatsCompareAsDoublesWithNegativeZeroEqualToZero() {
        assertThat(PortableValue.normalise("1e+20", ValueKind.FLOAT))
                .isEqualTo(PortableValue.normalise("100000000000000000000", ValueKind.FLOAT));
        assertThat(PortableValue.normalise("-0", ValueKind.FLOAT)).isEqualTo("0.0");
        assertThat(PortableValue.normalise("Infinity", ValueKind.FLOAT)).isEqualTo("Infinity");
        assertThat(PortableValue.normalise("3.1415927410125732", ValueKind.FLOAT))
                .isNotEqualTo(PortableValue.normalise("3.1415927", ValueKind.FLOAT));
    }

    @Test
    void timesAndWallClockTimestampsDropTrailingFractionZeros() {
        assertThat(PortableValue.normalise("10:00:00.500000", ValueKind.TIME))
                .isEqualTo(PortableValue.normalise("10:00:00.5", ValueKind.TIME))
                .isEqualTo("10:00:00.5");
        assertThat(PortableValue.normalise("2024-03-10 02:30:00.000000", ValueKind.WALL_CLOCK))
                .isEqualTo("2024-03-10 02:30:00");
    }

    @Test
    void instantsAreSecondsSinceTheEpochShownInUtc() {
        assertThat(PortableValue.normalise("1704067200.500000", ValueKind.INSTANT))
                .isEqualTo("2024-01-01 00:00:00.5Z");
        assertThat(PortableValue.normalise("-0.000001", ValueKind.INSTANT))
                .isEqualTo("1969-12-31 23:59:59.999999Z");
    }

    @Test
    void jsonComparesByStructure() {
        assertThat(
                        PortableValue.normalise(
                                "{\"b\": [1, 2.50], \"a\": {\"z\": null}}", ValueKind.JSON))
                .isEqualTo(
                        PortableValue.normalise(
                                "{\"a\":{\"z\":null},\"b\":[1.0,2.5]}", ValueKind.JSON))
                .isEqualTo("{\"a\":{\"z\":null},\"b\":[1,2.5]}");
        assertThat(PortableValue.normalise("[\"a\\\"b\"]", ValueKind.JSON))
                .isEqualTo("[\"a\\\"b\"]");
    }

    @Test
    void textThatDoesNotParseAsItsKindIsKeptAndMarked() {
        assertThat(PortableValue.normalise("838:59:59", ValueKind.TIME))
                .isEqualTo("unparsed:838:59:59");
        assertThat(PortableValue.normalise("{not json", ValueKind.JSON))
                .isEqualTo("unparsed:{not json");
    }

    @Test
    void uuidsCompareInLowerCase() {
        assertThat(PortableValue.normalise("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", ValueKind.UUID))
                .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }

    @Test
    void aBooleanAgainstAnIntegerComparesAsOneAndZero() {
        assertThat(ValueKind.common("flag", ValueKind.BOOLEAN, ValueKind.INTEGER))
                .isEqualTo(ValueKind.INTEGER);
        assertThat(ValueKind.common("doc", ValueKind.TEXT, ValueKind.JSON))
                .isEqualTo(ValueKind.JSON);
    }

    @Test
    void aNumberAgainstTextCannotBeCompared() {
        assertThatThrownBy(() -> ValueKind.common("n", ValueKind.INTEGER, ValueKind.TEXT))
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "Column n holds integers on the left and text on the right: their values"
                                + " cannot be compared. Give the column types of the same meaning"
                                + " on both sides (docs/architecture.md, \"Portable verification\","
                                + " lists the pairs)")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.SCHEMA_MISMATCH);
    }

    @Test
    void spansOfTimeCompareByLengthWhateverTheirPadding() {
        assertThat(PortableValue.normalise("-01:00:00.500000", ValueKind.DURATION))
                .isEqualTo(PortableValue.normalise("-1:00:00.5", ValueKind.DURATION))
                .isEqualTo("-1:00:00.5");
        assertThat(PortableValue.normalise("838:59:59", ValueKind.DURATION)).isEqualTo("838:59:59");
        assertThat(PortableValue.normalise("-00:00:00", ValueKind.DURATION)).isEqualTo("0:00:00");
        assertThat(PortableValue.normalise("1 day 02:00:00", ValueKind.DURATION))
                .isEqualTo("unparsed:1 day 02:00:00");
    }

    @Test
    void mySqlSpansMatchPostgresIntervalsAndTimesBitsMatchNumbersAndSetsMatchTextArrays() {
        assertThat(ValueKind.common("c", ValueKind.DURATION, ValueKind.INTERVAL))
                .isEqualTo(ValueKind.DURATION);
        assertThat(ValueKind.common("c", ValueKind.TIME, ValueKind.DURATION))
                .isEqualTo(ValueKind.DURATION);
        assertThat(ValueKind.common("c", ValueKind.BITS, ValueKind.INTEGER))
                .isEqualTo(ValueKind.INTEGER);
        assertThat(ValueKind.common("c", ValueKind.TEXT, ValueKind.TEXT_ARRAY))
                .isEqualTo(ValueKind.TEXT);
    }
}
