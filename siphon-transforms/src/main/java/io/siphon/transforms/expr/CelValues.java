package io.siphon.transforms.expr;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.transforms.ValueText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How the Java value of each {@link DataType} is seen by a CEL expression, and how an expression's
 * result is carried back into a column. The one table of this mapping, also in docs/transforms.md:
 *
 * <table>
 *   <caption>DataType to CEL</caption>
 *   <tr><th>DataType</th><th>CEL type</th><th>notes</th></tr>
 *   <tr><td>boolean</td><td>bool</td><td></td></tr>
 *   <tr><td>int16, int32, int64, year</td><td>int</td><td></td></tr>
 *   <tr><td>uint64</td><td>uint</td><td></td></tr>
 *   <tr><td>decimal</td><td>double</td><td>lossy: beyond 15-17 significant digits</td></tr>
 *   <tr><td>float32, float64</td><td>double</td><td></td></tr>
 *   <tr><td>string, json, enum, bit, geometry, other</td><td>string</td><td>bits as {@code
 *       0101}</td></tr>
 *   <tr><td>set</td><td>list of string</td><td>members in declared order</td></tr>
 *   <tr><td>binary</td><td>bytes</td><td></td></tr>
 *   <tr><td>date</td><td>timestamp at 00:00 UTC</td><td></td></tr>
 *   <tr><td>time</td><td>string, {@code 13:45:30.123456}</td><td></td></tr>
 *   <tr><td>timestamp (wall clock)</td><td>timestamp, the wall clock read as UTC</td><td></td></tr>
 *   <tr><td>timestamptz</td><td>timestamp</td><td>CEL keeps nanoseconds; years 1 to 9999
 *       only</td></tr>
 *   <tr><td>interval</td><td>string, ISO 8601 {@code P1M2DT3.5S}</td><td></td></tr>
 *   <tr><td>duration</td><td>string, ISO 8601 {@code PT-838H-59M-59S}</td><td></td></tr>
 *   <tr><td>uuid</td><td>string</td><td></td></tr>
 *   <tr><td>array of T</td><td>list of T's CEL type</td><td></td></tr>
 * </table>
 *
 * <p>A nullable column of a scalar CEL type is declared nullable ({@code row.x == null}
 * type-checks); a null value reaching an operator or function that does not take null is an
 * evaluation error.
 */
public final class CelValues {

    private CelValues() {}

    /** The CEL type an expression sees for a column of this type. */
    public static CelType celType(DataType type, boolean nullable) {
        CelType base =
                switch (type) {
                    case DataType.BooleanType t -> SimpleType.BOOL;
                    case DataType.Int16 t -> SimpleType.INT;
                    case DataType.Int32 t -> SimpleType.INT;
                    case DataType.Int64 t -> SimpleType.INT;
                    case DataType.UInt64 t -> SimpleType.UINT;
                    case DataType.YearType t -> SimpleType.INT;
                    case DataType.DurationType t -> SimpleType.STRING;
                    case DataType.BitType t -> SimpleType.STRING;
                    case DataType.SetType t -> ListType.create(SimpleType.STRING);
                    case DataType.DecimalType t -> SimpleType.DOUBLE;
                    case DataType.Float32 t -> SimpleType.DOUBLE;
                    case DataType.Float64 t -> SimpleType.DOUBLE;
                    case DataType.StringType t -> SimpleType.STRING;
                    case DataType.BinaryType t -> SimpleType.BYTES;
                    case DataType.DateType t -> SimpleType.TIMESTAMP;
                    case DataType.TimeType t -> SimpleType.STRING;
                    case DataType.TimestampType t -> SimpleType.TIMESTAMP;
                    case DataType.TimestampTzType t -> SimpleType.TIMESTAMP;
                    case DataType.IntervalType t -> SimpleType.STRING;
                    case DataType.UuidType t -> SimpleType.STRING;
                    case DataType.JsonType t -> SimpleType.STRING;
                    case DataType.ArrayType t -> ListType.create(celType(t.element(), false));
                    case DataType.EnumType t -> SimpleType.STRING;
                    case DataType.GeometryType t -> SimpleType.STRING;
                    case DataType.OtherType t -> SimpleType.STRING;
                };
        boolean wrappable =
                switch (base.kind()) {
                    case BOOL, INT, UINT, DOUBLE, STRING, BYTES -> true;
                    default -> false;
                };
        return nullable && wrappable ? NullableType.create(base) : base;
    }

    /** The type without its nullable wrapper. */
    public static CelType unwrap(CelType type) {
        return type instanceof NullableType n ? n.targetType() : type;
    }

    /**
     * The column type for an expression's result type, when it has one: int becomes int64, double
     * float64, string an unbounded string, timestamp a timestamptz, duration an interval, a list an
     * array.
     */
    public static Optional<DataType> dataType(CelType type) {
        CelType t = unwrap(type);
        return switch (t.kind()) {
            case BOOL -> Optional.of(new DataType.BooleanType());
            case INT -> Optional.of(new DataType.Int64());
            case UINT -> Optional.of(new DataType.DecimalType(20, 0));
            case DOUBLE -> Optional.of(new DataType.Float64());
            case STRING -> Optional.of(DataType.StringType.unbounded());
            case BYTES -> Optional.of(new DataType.BinaryType(DataType.UNBOUNDED));
            case TIMESTAMP -> Optional.of(new DataType.TimestampTzType(6));
            case DURATION -> Optional.of(new DataType.IntervalType());
            case LIST ->
                    t instanceof ListType l && l.hasElemType()
                            ? dataType(l.elemType()).map(DataType.ArrayType::new)
                            : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Whether the CEL result type is one a column of {@code type} can take without a change. */
    public static boolean fits(CelType result, DataType type) {
        return unwrap(result).equals(unwrap(celType(type, false)));
    }

    /** The CEL value for a column value. */
    public static Object toCel(Object value, DataType type) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        return switch (type) {
            case DataType.BooleanType t -> value;
            case DataType.Int16 t -> ((Number) value).longValue();
            case DataType.Int32 t -> ((Number) value).longValue();
            case DataType.Int64 t -> value;
            case DataType.UInt64 t -> UnsignedLong.valueOf((BigInteger) value);
            case DataType.YearType t -> ((Number) value).longValue();
            case DataType.DurationType t -> ValueText.of(value, type);
            case DataType.BitType t -> value;
            case DataType.SetType t -> value;
            case DataType.DecimalType t -> ((Number) value).doubleValue();
            case DataType.Float32 t -> ((Number) value).doubleValue();
            case DataType.Float64 t -> value;
            case DataType.StringType t -> value;
            case DataType.BinaryType t -> CelByteString.of((byte[]) value);
            case DataType.DateType t ->
                    ((LocalDate) value).atStartOfDay(ZoneOffset.UTC).toInstant();
            case DataType.TimeType t -> ValueText.of(value, type);
            case DataType.TimestampType t -> ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
            case DataType.TimestampTzType t -> ((OffsetDateTime) value).toInstant();
            case DataType.IntervalType t -> ValueText.of(value, type);
            case DataType.UuidType t -> value.toString();
            case DataType.JsonType t -> value;
            case DataType.ArrayType t -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) value) {
                    out.add(toCel(e, t.element()));
                }
                yield out;
            }
            case DataType.EnumType t -> value;
            case DataType.GeometryType t -> value;
            case DataType.OtherType t -> value;
        };
    }

    /**
     * The column value for a CEL result, for a column of {@code type}.
     *
     * @throws IllegalArgumentException when the value does not fit the type (out of range, not a
     *     UUID, a label not in the enum); the caller names the row and the expression
     */
    public static Object fromCel(Object value, DataType type) {
        if (value == null || value instanceof NullValue) {
            return null;
        }
        return switch (type) {
            case DataType.BooleanType t -> (Boolean) value;
            case DataType.Int16 t ->
                    (short) inRange(wholeNumber(value), Short.MIN_VALUE, Short.MAX_VALUE);
            case DataType.Int32 t ->
                    (int) inRange(wholeNumber(value), Integer.MIN_VALUE, Integer.MAX_VALUE);
            case DataType.Int64 t -> wholeNumber(value);
            case DataType.UInt64 t -> unsigned(value);
            case DataType.YearType t ->
                    (short) inRange(wholeNumber(value), Short.MIN_VALUE, Short.MAX_VALUE);
            case DataType.DurationType t -> Duration.parse((String) value);
            case DataType.BitType t -> {
                String bits = (String) value;
                if (!bits.chars().allMatch(c -> c == '0' || c == '1')) {
                    throw new IllegalArgumentException("'" + bits + "' is not a string of bits");
                }
                yield bits;
            }
            case DataType.SetType t -> {
                List<String> members = new ArrayList<>();
                for (Object e : (List<?>) value) {
                    members.add((String) e);
                }
                yield t.valueOf(members);
            }
            case DataType.DecimalType t -> decimal(value, t);
            case DataType.Float32 t -> ((Number) value).floatValue();
            case DataType.Float64 t -> ((Number) value).doubleValue();
            case DataType.StringType t -> (String) value;
            case DataType.BinaryType t -> ((CelByteString) value).toByteArray();
            case DataType.DateType t -> LocalDate.ofInstant((Instant) value, ZoneOffset.UTC);
            case DataType.TimeType t -> LocalTime.parse((String) value);
            case DataType.TimestampType t ->
                    LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
            case DataType.TimestampTzType t ->
                    OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
            case DataType.IntervalType t -> interval(value);
            case DataType.UuidType t -> UUID.fromString((String) value);
            case DataType.JsonType t -> (String) value;
            case DataType.ArrayType t -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) value) {
                    out.add(fromCel(e, t.element()));
                }
                yield java.util.Collections.unmodifiableList(out);
            }
            case DataType.EnumType t -> {
                String label = (String) value;
                if (!t.values().contains(label)) {
                    throw new IllegalArgumentException(
                            "'" + label + "' is not one of the labels " + t.values());
                }
                yield label;
            }
            case DataType.GeometryType t -> (String) value;
            case DataType.OtherType t -> (String) value;
        };
    }

    private static long wholeNumber(Object value) {
        if (value instanceof UnsignedLong u) {
            if (u.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException(u + " does not fit in 64 bits");
            }
            return u.longValue();
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite() || d != Math.rint(d)) {
                throw new IllegalArgumentException(d + " is not a whole number");
            }
            return inRange(d.longValue(), Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return (Long) value;
    }

    private static BigInteger unsigned(Object value) {
        if (value instanceof UnsignedLong u) {
            return u.bigIntegerValue();
        }
        long v = wholeNumber(value);
        if (v < 0) {
            throw new IllegalArgumentException(v + " is below 0, the least uint64");
        }
        return BigInteger.valueOf(v);
    }

    private static long inRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private static Object decimal(Object value, DataType.DecimalType t) {
        BigDecimal d;
        if (value instanceof Double x) {
            if (x.isNaN() || x.isInfinite()) {
                return x; // the model carries NaN and ±Infinity of a decimal as Double constants
            }
            d = BigDecimal.valueOf(x);
        } else if (value instanceof UnsignedLong u) {
            d = new BigDecimal(u.bigIntegerValue());
        } else {
            d = BigDecimal.valueOf((Long) value);
        }
        return t.scale() >= 0 ? d.setScale(t.scale(), RoundingMode.HALF_EVEN) : d;
    }

    private static Interval interval(Object value) {
        Duration d = (Duration) value;
        return new Interval(0, 0, d.getSeconds() * 1_000_000L + d.getNano() / 1_000);
    }
}
