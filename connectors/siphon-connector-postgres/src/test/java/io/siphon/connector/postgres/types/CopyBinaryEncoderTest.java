package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.TemporalLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Binary COPY values: byte for byte as PostgreSQL reads them, and back through the decoders. */
class CopyBinaryEncoderTest {

    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** The bytes of one field, without its length word. */
    private static byte[] encode(DataType type, long oid, long elementOid, Object value) {
        CopyBinaryEncoder.FieldEncoder encoder = CopyBinaryEncoder.forColumn(type, oid, elementOid);
        assertThat(encoder).as("encoder for %s into oid %d", type, oid).isNotNull();
        CopyBinaryBuffer out = new CopyBinaryBuffer(8);
        encoder.write(out, value);
        int length = (int) INT.get(out.array(), 0);
        assertThat(length).isEqualTo(out.size() - 4);
        return Arrays.copyOfRange(out.array(), 4, out.size());
    }

    private static Object roundTrip(DataType type, long oid, long elementOid, Object value) {
        byte[] bytes = encode(type, oid, elementOid, value);
        return BinaryDecoders.forType(type).decode(bytes, 0, bytes.length);
    }

    private static Object roundTrip(DataType type, long oid, Object value) {
        return roundTrip(type, oid, 0, value);
    }

    private static String hex(DataType type, long oid, Object value) {
        return HexFormat.of().formatHex(encode(type, oid, 0, value));
    }

    private static final DataType NUMERIC = new DataType.DecimalType(20, 4);

    @Test
    void writesNumericsInBase10000WithTheirDisplayScale() {
        // ndigits, weight, sign, dscale, digits
        assertThat(hex(NUMERIC, 1700, new BigDecimal("1.5")))
                .isEqualTo("0002000000000001" + "00011388");
        assertThat(hex(NUMERIC, 1700, new BigDecimal("-0.0001")))
                .isEqualTo("0001ffff40000004" + "0001");
        assertThat(hex(NUMERIC, 1700, new BigDecimal("0.000"))).isEqualTo("0000000000000003");
        assertThat(hex(NUMERIC, 1700, new BigDecimal("10000")))
                .isEqualTo("0001000100000000" + "0001");
        assertThat(hex(NUMERIC, 1700, Double.NaN)).isEqualTo("00000000c0000000");
        assertThat(hex(NUMERIC, 1700, Double.POSITIVE_INFINITY)).isEqualTo("00000000d0000000");
        assertThat(hex(NUMERIC, 1700, Double.NEGATIVE_INFINITY)).isEqualTo("00000000f0000000");
    }

    @Test
    void numericsSurviveTheRoundTrip() {
        for (String v :
                List.of(
                        "0",
                        "0.00",
                        "-0.0001",
                        "1E-20",
                        "0.00000000000000000001",
                        "12345.67",
                        "-12345.67",
                        "9999.9999",
                        "10000.0001",
                        "123456789012345678901234567890.123456789012345678901234567890",
                        "-99999999999999999999999999999999999999",
                        "999999999999999.999",
                        "1000000000000000.1")) {
            BigDecimal d = new BigDecimal(v);
            Object back = roundTrip(NUMERIC, 1700, d);
            assertThat(back).as(v).isInstanceOf(BigDecimal.class);
            assertThat(((BigDecimal) back).compareTo(d)).as(v).isZero();
            assertThat(((BigDecimal) back).scale()).as(v).isEqualTo(Math.max(0, d.scale()));
        }
        // Negative scales are whole numbers with a display scale of 0.
        assertThat(roundTrip(NUMERIC, 1700, new BigDecimal("1E+10")))
                .isEqualTo(new BigDecimal("10000000000"));
        assertThat(roundTrip(NUMERIC, 1700, 42L)).isEqualTo(new BigDecimal("42"));
        assertThat(roundTrip(NUMERIC, 1700, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(roundTrip(NUMERIC, 1700, Double.NEGATIVE_INFINITY))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void scalarsSurviveTheRoundTrip() {
        assertThat(roundTrip(new DataType.BooleanType(), 16, true)).isEqualTo(true);
        assertThat(roundTrip(new DataType.Int16(), 21, Short.MIN_VALUE)).isEqualTo(Short.MIN_VALUE);
        assertThat(roundTrip(new DataType.Int32(), 23, Integer.MAX_VALUE))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(roundTrip(new DataType.Int64(), 20, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(new DataType.Float32(), 700, -0.0f)).isEqualTo(-0.0f);
        assertThat(roundTrip(new DataType.Float64(), 701, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(roundTrip(new DataType.Float64(), 701, Double.MIN_VALUE))
                .isEqualTo(Double.MIN_VALUE);
        assertThat(roundTrip(DataType.StringType.unbounded(), 25, "žluťoučký 🐴 \\ \t"))
                .isEqualTo("žluťoučký 🐴 \\ \t");
        assertThat(roundTrip(new DataType.StringType(3, true), 1042, "ab ")).isEqualTo("ab ");
        assertThat(roundTrip(new DataType.BinaryType(-1), 17, new byte[] {0, -1, 92}))
                .isEqualTo(new byte[] {0, -1, 92});
        UUID u = UUID.randomUUID();
        assertThat(roundTrip(new DataType.UuidType(), 2950, u)).isEqualTo(u);
        assertThat(roundTrip(new DataType.JsonType(true), 3802, "{\"a\": [1, 2]}"))
                .isEqualTo("{\"a\": [1, 2]}");
        assertThat(encode(new DataType.JsonType(true), 3802, 0, "{}"))
                .isEqualTo(new byte[] {1, '{', '}'});
        assertThat(roundTrip(new DataType.JsonType(false), 114, "[1,2]")).isEqualTo("[1,2]");
        Interval i = new Interval(-14, 3, -3_600_000_001L);
        assertThat(roundTrip(new DataType.IntervalType(), 1186, i)).isEqualTo(i);
    }

    @Test
    void datesAndTimesSurviveTheRoundTrip() {
        DataType date = new DataType.DateType();
        for (LocalDate d :
                List.of(
                        LocalDate.of(2000, 1, 1),
                        LocalDate.of(1999, 12, 31),
                        LocalDate.of(-4712, 1, 1), // 4713 BC
                        LocalDate.of(0, 2, 29), // 1 BC, a leap year
                        LocalDate.MAX,
                        LocalDate.MIN)) {
            assertThat(roundTrip(date, 1082, d)).isEqualTo(d);
        }
        assertThat(hex(date, 1082, LocalDate.MAX)).isEqualTo("7fffffff");
        assertThat(hex(date, 1082, LocalDate.MIN)).isEqualTo("80000000");

        DataType ts = new DataType.TimestampType(6);
        for (LocalDateTime t :
                List.of(
                        LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1_000),
                        LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                        LocalDateTime.of(-4712, 1, 1, 12, 0),
                        LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000),
                        LocalDateTime.MAX,
                        LocalDateTime.MIN)) {
            assertThat(roundTrip(ts, 1114, t)).isEqualTo(t);
        }
        assertThat(hex(ts, 1114, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1_000)))
                .isEqualTo("0000000000000001");
        // Finer than a microsecond: rounded half to even.
        assertThat(roundTrip(ts, 1114, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1_500)))
                .isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2_000));
        assertThat(roundTrip(ts, 1114, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2_500)))
                .isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2_000));
        assertThat(roundTrip(ts, 1114, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2_501)))
                .isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 3_000));

        DataType tz = new DataType.TimestampTzType(6);
        OffsetDateTime prague =
                OffsetDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000, ZoneOffset.ofHours(2));
        assertThat(roundTrip(tz, 1184, prague))
                .isEqualTo(prague.withOffsetSameInstant(ZoneOffset.UTC));
        assertThat(roundTrip(tz, 1184, TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY))
                .isEqualTo(TemporalLimits.TIMESTAMPTZ_POSITIVE_INFINITY);
        assertThat(roundTrip(tz, 1184, TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY))
                .isEqualTo(TemporalLimits.TIMESTAMPTZ_NEGATIVE_INFINITY);

        DataType time = new DataType.TimeType(6);
        assertThat(roundTrip(time, 1083, LocalTime.of(23, 59, 59, 999_999_000)))
                .isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
        assertThat(roundTrip(time, 1083, LocalTime.MAX)).isEqualTo(LocalTime.MAX);
        assertThat(roundTrip(time, 1083, LocalTime.MIDNIGHT)).isEqualTo(LocalTime.MIDNIGHT);
    }

    @Test
    void arraysSurviveTheRoundTripWithNullsAndDimensions() {
        DataType ints = new DataType.ArrayType(new DataType.Int32());
        assertThat(roundTrip(ints, 1007, 23, List.of())).isEqualTo(List.of());
        assertThat(HexFormat.of().formatHex(encode(ints, 1007, 23, List.of())))
                .isEqualTo("000000000000000000000017");
        assertThat(roundTrip(ints, 1007, 23, Arrays.asList(1, null, 3)))
                .isEqualTo(Arrays.asList(1, null, 3));
        List<List<Integer>> matrix = List.of(Arrays.asList(1, null), List.of(3, 4));
        assertThat(roundTrip(ints, 1007, 23, matrix)).isEqualTo(matrix);
        // {{1,NULL},{3,4}}: 2 dimensions, has nulls, int4, 2x2 from 1, then the elements.
        assertThat(HexFormat.of().formatHex(encode(ints, 1007, 23, matrix)))
                .isEqualTo(
                        "00000002"
                                + "00000001"
                                + "00000017"
                                + "0000000200000001"
                                + "0000000200000001"
                                + "0000000400000001"
                                + "ffffffff"
                                + "0000000400000003"
                                + "0000000400000004");
        DataType numerics = new DataType.ArrayType(NUMERIC);
        List<Object> mixed = Arrays.asList(new BigDecimal("-0.0001"), Double.NaN, null);
        assertThat(roundTrip(numerics, 1231, 1700, mixed)).isEqualTo(mixed);
        DataType texts = new DataType.ArrayType(DataType.StringType.unbounded());
        List<String> quoted = List.of("a,b", "{\"}", "NULL", "");
        assertThat(roundTrip(texts, 1009, 25, quoted)).isEqualTo(quoted);
        assertThatThrownBy(() -> encode(ints, 1007, 23, List.of(List.of(1, 2), List.of(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rectangular");
    }

    @Test
    void typesFromOtherSystemsSurviveTheRoundTrip() {
        BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        assertThat(roundTrip(new DataType.UInt64(), 1700, max)).isEqualTo(max);
        assertThat(roundTrip(new DataType.UInt64(), 1700, BigInteger.ZERO))
                .isEqualTo(BigInteger.ZERO);
        Duration mysqlMin = Duration.ofHours(-838).minusMinutes(59).minusSeconds(59);
        assertThat(roundTrip(new DataType.DurationType(6), 1186, mysqlMin)).isEqualTo(mysqlMin);
        Duration fraction = Duration.ofHours(25).plusNanos(1_000);
        assertThat(roundTrip(new DataType.DurationType(6), 1186, fraction)).isEqualTo(fraction);
        assertThat(roundTrip(new DataType.YearType(), 21, (short) 2155)).isEqualTo((short) 2155);
        DataType.SetType set = new DataType.SetType(List.of("red", "green", "blue"));
        assertThat(roundTrip(set, 1009, 25, List.of("red", "blue")))
                .isEqualTo(List.of("red", "blue"));
        assertThat(roundTrip(set, 1009, 25, List.of())).isEqualTo(List.of());
    }

    @Test
    void bitStringsArePackedMostSignificantBitFirst() {
        // bit length 10, then 1010101010 padded to two bytes.
        assertThat(hex(new DataType.BitType(10, false), 1560, "1010101010"))
                .isEqualTo("0000000aaa80");
        assertThat(hex(new DataType.BitType(64, true), 1562, "")).isEqualTo("00000000");
        assertThatThrownBy(() -> encode(new DataType.BitType(3, false), 1560, 0, "102"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesWhatPostgresqlCannotHold() {
        assertThatThrownBy(() -> encode(DataType.StringType.unbounded(), 25, 0, "a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> encode(new DataType.JsonType(true), 3802, 0, "\"\0\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(new DataType.UInt64(), 1700, 0, BigInteger.TWO.pow(64)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> encode(new DataType.DurationType(6), 1186, 0, Duration.ofNanos(1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void refusesIntegersOutOfTheColumnsRangeInsteadOfWrappingThem() {
        assertThatThrownBy(() -> encode(new DataType.Int16(), 21, 0, 40_000))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("smallint");
        assertThatThrownBy(() -> encode(new DataType.Int32(), 23, 0, 1L << 40))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("integer");
        assertThat(roundTrip(new DataType.Int32(), 23, 7L)).isEqualTo(7);
    }

    @Test
    void refusesPairsWithoutAnExactBinaryForm() {
        // int4 values into an int8 column, name (whose binary input does not truncate), domains
        // and types kept as text: the table is written in text format.
        assertThat(CopyBinaryEncoder.forColumn(new DataType.Int32(), 20, 0)).isNull();
        assertThat(CopyBinaryEncoder.forColumn(DataType.StringType.unbounded(), 19, 0)).isNull();
        assertThat(CopyBinaryEncoder.forColumn(DataType.StringType.unbounded(), 16_384, 0))
                .isNull();
        assertThat(CopyBinaryEncoder.forColumn(new DataType.OtherType("inet"), 869, 0)).isNull();
        assertThat(
                        CopyBinaryEncoder.forColumn(
                                new DataType.EnumType("public.mood", List.of("ok")), 16_400, 0))
                .isNull();
        assertThat(
                        CopyBinaryEncoder.forColumn(
                                new DataType.ArrayType(new DataType.OtherType("box")), 1020, 603))
                .isNull();
        assertThat(CopyBinaryEncoder.forColumn(new DataType.JsonType(false), 16_500, 0)).isNull();
    }

    @Test
    void theStreamHasPostgresqlsHeaderAndTrailer() {
        CopyBinaryBuffer out = new CopyBinaryBuffer(8);
        out.header();
        out.tuple(1);
        out.nullField();
        out.trailer();
        assertThat(HexFormat.of().formatHex(out.array(), 0, out.size()))
                .isEqualTo(
                        HexFormat.of().formatHex("PGCOPY\n".getBytes(StandardCharsets.US_ASCII))
                                + "ff0d0a00"
                                + "00000000"
                                + "00000000"
                                + "0001"
                                + "ffffffff"
                                + "ffff");
    }
}
