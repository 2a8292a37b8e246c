package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.types.CompositeJson.Array;
import io.siphon.connector.postgres.types.CompositeJson.Bool;
import io.siphon.connector.postgres.types.CompositeJson.Composite;
import io.siphon.connector.postgres.types.CompositeJson.Date;
import io.siphon.connector.postgres.types.CompositeJson.Field;
import io.siphon.connector.postgres.types.CompositeJson.Json;
import io.siphon.connector.postgres.types.CompositeJson.Numeric;
import io.siphon.connector.postgres.types.CompositeJson.Text;
import io.siphon.connector.postgres.types.CompositeJson.Timestamp;
import io.siphon.connector.postgres.types.CompositeJson.TimestampTz;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's text forms (as a session set up by PostgresEndpoint writes them) decode to the
 * values of the DataType table. TextAndBinaryDecodersAgreeIT checks the same against the server.
 */
class PgTextDecodersTest {

    private static Object decode(DataType type, String text) {
        return PgTextDecoders.forType(type).decode(text);
    }

    @Test
    void decodesTheColumnsASinkCreatesForTypesFromOtherSystems() {
        assertThat(decode(new DataType.UInt64(), "18446744073709551615"))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(decode(new DataType.DurationType(6), "-838:59:59"))
                .isEqualTo(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59));
        assertThat(decode(new DataType.DurationType(6), "25:00:00.000001"))
                .isEqualTo(Duration.ofHours(25).plusNanos(1_000));
        assertThat(decode(new DataType.DurationType(6), "1 day 01:00:00"))
                .isEqualTo(Duration.ofHours(25));
        assertThatThrownBy(() -> decode(new DataType.DurationType(6), "1 mon"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(decode(new DataType.YearType(), "2155")).isEqualTo((short) 2155);
        assertThat(decode(new DataType.BitType(4, false), "0101")).isEqualTo("0101");
        assertThat(decode(new DataType.SetType(List.of("a b", "c")), "{\"a b\",c}"))
                .isEqualTo(List.of("a b", "c"));
    }

    @Test
    void decodesBooleansAndIntegers() {
        assertThat(decode(new DataType.BooleanType(), "t")).isEqualTo(true);
        assertThat(decode(new DataType.BooleanType(), "f")).isEqualTo(false);
        assertThat(decode(new DataType.Int16(), "-32768")).isEqualTo((short) -32768);
        assertThat(decode(new DataType.Int32(), "2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(decode(new DataType.Int64(), "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> decode(new DataType.BooleanType(), "true"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesNumericsWithTheirScaleAndSpecialsAsDoubles() {
        DataType numeric = new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED);
        assertThat(decode(numeric, "1.500")).isEqualTo(new BigDecimal("1.500"));
        assertThat(decode(numeric, "0.00000")).isEqualTo(BigDecimal.valueOf(0, 5));
        assertThat(decode(numeric, "NaN")).isEqualTo(Double.NaN);
        assertThat(decode(numeric, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decode(numeric, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void decodesMoneyInTheCLocale() {
        TextDecoder money = PgTextDecoders.money();
        assertThat(money.decode("$12.34")).isEqualTo(new BigDecimal("12.34"));
        assertThat(money.decode("-$92,233,720,368,547,758.08"))
                .isEqualTo(new BigDecimal("-92233720368547758.08"));
        assertThat(money.decode("$0.00")).isEqualTo(new BigDecimal("0.00"));
        assertThat(money.decode("($1.00)")).isEqualTo(new BigDecimal("-1.00"));
        assertThat(PgTextDecoders.arrayOf(money, ',').decode("{\"$1,000.00\",-$0.01,NULL}"))
                .isEqualTo(Arrays.asList(new BigDecimal("1000.00"), new BigDecimal("-0.01"), null));
    }

    @Test
    void decodesFloatsWithTheirSpecials() {
        assertThat(decode(new DataType.Float32(), "3.4028235e+38")).isEqualTo(Float.MAX_VALUE);
        assertThat(decode(new DataType.Float32(), "-0")).isEqualTo(-0.0f);
        assertThat(decode(new DataType.Float32(), "NaN")).isEqualTo(Float.NaN);
        assertThat(decode(new DataType.Float64(), "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(decode(new DataType.Float64(), "5e-324")).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void decodesHexBytea() {
        assertThat(decode(new DataType.BinaryType(-1), "\\xdeadBEEF"))
                .isEqualTo(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        assertThat(decode(new DataType.BinaryType(-1), "\\x")).isEqualTo(new byte[0]);
        assertThatThrownBy(() -> decode(new DataType.BinaryType(-1), "abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesDatesIncludingBcLargeYearsAndInfinity() {
        DataType date = new DataType.DateType();
        assertThat(decode(date, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(decode(date, "4713-01-01 BC")).isEqualTo(LocalDate.of(-4712, 1, 1));
        assertThat(decode(date, "0001-01-01 BC")).isEqualTo(LocalDate.of(0, 1, 1));
        assertThat(decode(date, "5874897-12-31")).isEqualTo(LocalDate.of(5874897, 12, 31));
        assertThat(decode(date, "infinity")).isEqualTo(LocalDate.MAX);
        assertThat(decode(date, "-infinity")).isEqualTo(LocalDate.MIN);
    }

    @Test
    void decodesTimesWithMicrosAndTheEndOfDay() {
        DataType time = new DataType.TimeType(-1);
        assertThat(decode(time, "12:34:56.789012"))
                .isEqualTo(LocalTime.of(12, 34, 56, 789_012_000));
        assertThat(decode(time, "01:02:03.4")).isEqualTo(LocalTime.of(1, 2, 3, 400_000_000));
        assertThat(decode(time, "00:00:00")).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(decode(time, "24:00:00")).isEqualTo(LocalTime.MAX);
    }

    @Test
    void decodesTimestampsWithoutShiftingThem() {
        DataType ts = new DataType.TimestampType(-1);
        assertThat(decode(ts, "2024-02-29 12:34:56.123456"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000));
        assertThat(decode(ts, "0044-03-15 12:00:00 BC"))
                .isEqualTo(LocalDateTime.of(-43, 3, 15, 12, 0));
        assertThat(decode(ts, "294276-12-31 23:59:59.999999"))
                .isEqualTo(LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(decode(ts, "infinity")).isEqualTo(LocalDateTime.MAX);
        assertThat(decode(ts, "-infinity")).isEqualTo(LocalDateTime.MIN);
    }

    @Test
    void decodesInstantsAtUtcWhateverTheOffset() {
        DataType tz = new DataType.TimestampTzType(-1);
        assertThat(decode(tz, "2024-02-29 11:34:56.123456+00"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 11, 34, 56, 123_456_000, ZoneOffset.UTC));
        assertThat(decode(tz, "2024-02-29 12:34:56+05:30"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 7, 4, 56, 0, ZoneOffset.UTC));
        assertThat(decode(tz, "2024-02-29 12:34:56-03:30:15"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 16, 5, 11, 0, ZoneOffset.UTC));
        assertThat(decode(tz, "4713-01-01 00:00:00+00 BC"))
                .isEqualTo(OffsetDateTime.of(-4712, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(decode(tz, "infinity")).isEqualTo(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY);
        assertThat(decode(tz, "-infinity")).isEqualTo(TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY);
    }

    @Test
    void decodesIntervalsInThePostgresStyle() {
        DataType interval = new DataType.IntervalType();
        assertThat(decode(interval, "1 year 2 mons 3 days 04:05:06.789012"))
                .isEqualTo(new Interval(14, 3, ((4 * 60 + 5) * 60 + 6) * 1_000_000L + 789_012));
        assertThat(decode(interval, "-178000000 years"))
                .isEqualTo(new Interval(-2_136_000_000, 0, 0));
        assertThat(decode(interval, "-1 mons +2 days -00:00:00.000001"))
                .isEqualTo(new Interval(-1, 2, -1));
        assertThat(decode(interval, "2147483647 days 2562047788:00:54.775807"))
                .isEqualTo(new Interval(0, Integer.MAX_VALUE, Long.MAX_VALUE));
        assertThat(decode(interval, "-2562047788:00:54.775808"))
                .isEqualTo(new Interval(0, 0, Long.MIN_VALUE));
        assertThat(decode(interval, "00:00:00")).isEqualTo(Interval.ZERO);
        assertThat(decode(interval, "1 day")).isEqualTo(new Interval(0, 1, 0));
        assertThat(decode(interval, "infinity"))
                .isEqualTo(new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE));
        assertThat(decode(interval, "-infinity"))
                .isEqualTo(new Interval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE));
    }

    @Test
    void decodesUuidsAndKeepsTextTypesAsTheyAre() {
        assertThat(decode(new DataType.UuidType(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                .isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(decode(new DataType.JsonType(true), "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
        assertThat(decode(new DataType.OtherType("inet"), "::1")).isEqualTo("::1/128");
        assertThat(decode(new DataType.OtherType("inet"), "10.1.2.3")).isEqualTo("10.1.2.3/32");
        assertThat(decode(new DataType.OtherType("inet"), "10.0.0.0/8")).isEqualTo("10.0.0.0/8");
        assertThat(decode(new DataType.OtherType("cidr"), "::/0")).isEqualTo("::/0");
        assertThat(decode(new DataType.EnumType("public.mood", List.of("ok")), "ok"))
                .isEqualTo("ok");
    }

    @Test
    void decodesArraysWithQuotingEscapesNullsAndDimensions() {
        DataType texts = new DataType.ArrayType(DataType.StringType.unbounded());
        assertThat(
                        decode(
                                texts,
                                "{\"a,b\",\"c\\\"d\",\"e\\\\f\",NULL,\"NULL\",\"\",\"x y\",\"{}\"}"))
                .isEqualTo(Arrays.asList("a,b", "c\"d", "e\\f", null, "NULL", "", "x y", "{}"));
        assertThat(decode(texts, "{{a,b},{c,NULL}}"))
                .isEqualTo(List.of(List.of("a", "b"), Arrays.asList("c", null)));
        assertThat(decode(texts, "{null,NuLl,\\NULL}"))
                .isEqualTo(Arrays.asList(null, null, "NULL"));
        assertThat(decode(texts, "{}")).isEqualTo(List.of());
        DataType ints = new DataType.ArrayType(new DataType.Int32());
        assertThat(decode(ints, "[0:2]={1,2,3}")).isEqualTo(List.of(1, 2, 3));
        assertThat(decode(ints, "{{{1,2}},{{3,4}}}"))
                .isEqualTo(List.of(List.of(List.of(1, 2)), List.of(List.of(3, 4))));
        DataType boxes = new DataType.ArrayType(new DataType.OtherType("box"));
        assertThat(decode(boxes, "{(1,1),(0,0);NULL}"))
                .isEqualTo(Arrays.asList("(1,1),(0,0)", null));
        assertThatThrownBy(() -> decode(ints, "{1,2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesCompositesAsToJsonDoes() {
        Composite address =
                new Composite(
                        List.of(
                                new Field("street", new Text()),
                                new Field("number", new Numeric()),
                                new Field("amount", new Numeric()),
                                new Field("verified", new Bool()),
                                new Field("since", new Date())));
        TextDecoder decoder = CompositeJson.decoder(address);
        assertThat(decoder.decode("(\"Main \"\"St\"\"\",42,1.50,t,2020-01-01)"))
                .isEqualTo(
                        "{\"street\":\"Main \\\"St\\\"\",\"number\":42,\"amount\":1.50,"
                                + "\"verified\":true,\"since\":\"2020-01-01\"}");
        assertThat(decoder.decode("(,,,,)"))
                .isEqualTo(
                        "{\"street\":null,\"number\":null,\"amount\":null,\"verified\":null,"
                                + "\"since\":null}");
        assertThat(decoder.decode("(\"\",0,NaN,f,\"4713-01-01 BC\")"))
                .isEqualTo(
                        "{\"street\":\"\",\"number\":0,\"amount\":\"NaN\",\"verified\":false,"
                                + "\"since\":\"4713-01-01 BC\"}");
        assertThat(decoder.decode("(\"back\\\\slash\ttab \u0001\",1,-0,t,infinity)"))
                .isEqualTo(
                        "{\"street\":\"back\\\\slash\\ttab \\u0001\",\"number\":1,"
                                + "\"amount\":-0,\"verified\":true,\"since\":\"infinity\"}");
    }

    @Test
    void writesNestedCompositesArraysTimestampsAndJson() {
        Composite inner = new Composite(List.of(new Field("x", new Numeric())));
        Composite outer =
                new Composite(
                        List.of(
                                new Field("at", new Timestamp()),
                                new Field("tz", new TimestampTz()),
                                new Field("tags", new Array(new Text(), ',')),
                                new Field("inner", inner),
                                new Field("doc", new Json())));
        String text =
                "(\"2020-01-01 10:00:00.5\",\"2020-01-01 10:00:00+00\",\"{a,\"\"b c\"\",NULL}\","
                        + "\"(7)\",\"{\"\"k\"\": [1, 2]}\")";
        assertThat(CompositeJson.decoder(outer).decode(text))
                .isEqualTo(
                        "{\"at\":\"2020-01-01T10:00:00.5\",\"tz\":\"2020-01-01T10:00:00+00:00\","
                                + "\"tags\":[\"a\",\"b c\",null],\"inner\":{\"x\":7},"
                                + "\"doc\":{\"k\": [1, 2]}}");
        assertThat(
                        CompositeJson.decoder(outer)
                                .decode(
                                        "(\"0044-03-15 12:00:00 BC\",\"2020-01-01 10:00:00+05:30\",{},,)"))
                .isEqualTo(
                        "{\"at\":\"0044-03-15T12:00:00 BC\",\"tz\":\"2020-01-01T10:00:00+05:30\","
                                + "\"tags\":[],\"inner\":null,\"doc\":null}");
    }
}
