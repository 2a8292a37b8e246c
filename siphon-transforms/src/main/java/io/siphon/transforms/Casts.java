package io.siphon.transforms;

import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The conversions {@code cast} can make, from one {@link DataType}'s Java value to another's. A
 * conversion that can never work (a UUID to a number) has none, and is refused when the operator is
 * bound; one that works for some values only (text to a number) fails on the row that does not fit,
 * naming it.
 */
final class Casts {

    private Casts() {}

    /** The conversion, or empty when no value of {@code from} can become a {@code to}. */
    static Optional<UnaryOperator<Object>> converter(DataType from, DataType to) {
        if (from.equals(to)) {
            return Optional.of(v -> v);
        }
        if (to instanceof DataType.StringType s) {
            return Optional.of(v -> fitLength(ValueText.of(v, from), s));
        }
        if (from instanceof DataType.ArrayType a && to instanceof DataType.ArrayType b) {
            return converter(a.element(), b.element()).map(Casts::eachElement);
        }
        if (isText(from)) {
            return fromText(to);
        }
        if (isNumber(from) && isNumber(to)) {
            return Optional.of(v -> number(toDecimalOrDouble(v), to));
        }
        if (from instanceof DataType.BooleanType && isWholeNumber(to)) {
            return Optional.of(v -> number(BigDecimal.valueOf((Boolean) v ? 1 : 0), to));
        }
        if (isWholeNumber(from) && to instanceof DataType.BooleanType) {
            return Optional.of(v -> ((Number) v).longValue() != 0);
        }
        return temporal(from, to);
    }

    private static UnaryOperator<Object> eachElement(UnaryOperator<Object> element) {
        return v -> {
            List<Object> out = new ArrayList<>();
            for (Object e : (List<?>) v) {
                out.add(e == null ? null : element.apply(e));
            }
            return Collections.unmodifiableList(out);
        };
    }

    private static boolean isText(DataType t) {
        return t instanceof DataType.StringType
                || t instanceof DataType.JsonType
                || t instanceof DataType.EnumType
                || t instanceof DataType.GeometryType
                || t instanceof DataType.OtherType;
    }

    private static boolean isWholeNumber(DataType t) {
        return t instanceof DataType.Int16
                || t instanceof DataType.Int32
                || t instanceof DataType.Int64
                || t instanceof DataType.UInt64
                || t instanceof DataType.YearType;
    }

    private static boolean isNumber(DataType t) {
        return isWholeNumber(t)
                || t instanceof DataType.DecimalType
                || t instanceof DataType.Float32
                || t instanceof DataType.Float64;
    }

    private static Optional<UnaryOperator<Object>> fromText(DataType to) {
        UnaryOperator<Object> f =
                switch (to) {
                    case DataType.BooleanType t -> v -> bool((String) v);
                    case DataType.Int16 t -> v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.Int32 t -> v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.Int64 t -> v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.UInt64 t -> v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.YearType t ->
                            v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.DurationType t -> v -> Duration.parse(((String) v).strip());
                    case DataType.BitType t -> v -> bits((String) v, t);
                    case DataType.SetType t ->
                            v ->
                                    t.valueOf(
                                            ((String) v).isEmpty()
                                                    ? List.of()
                                                    : List.of(((String) v).split(",", -1)));
                    case DataType.DecimalType t ->
                            v -> number(new BigDecimal(((String) v).strip()), to);
                    case DataType.Float32 t -> v -> Float.parseFloat((String) v);
                    case DataType.Float64 t -> v -> Double.parseDouble((String) v);
                    case DataType.BinaryType t ->
                            v -> ((String) v).getBytes(StandardCharsets.UTF_8);
                    case DataType.DateType t -> v -> LocalDate.parse(((String) v).strip());
                    case DataType.TimeType t -> v -> LocalTime.parse(((String) v).strip());
                    case DataType.TimestampType t ->
                            v -> LocalDateTime.parse(((String) v).strip().replace(' ', 'T'));
                    case DataType.TimestampTzType t ->
                            v ->
                                    OffsetDateTime.parse(((String) v).strip().replace(' ', 'T'))
                                            .withOffsetSameInstant(ZoneOffset.UTC);
                    case DataType.UuidType t -> v -> UUID.fromString(((String) v).strip());
                    case DataType.JsonType t -> v -> v;
                    case DataType.EnumType t ->
                            v -> {
                                if (!t.values().contains((String) v)) {
                                    throw new IllegalArgumentException(
                                            "'" + v + "' is not one of the labels " + t.values());
                                }
                                return v;
                            };
                    case DataType.GeometryType t -> v -> v;
                    case DataType.OtherType t -> v -> v;
                    case DataType.IntervalType t -> null;
                    case DataType.ArrayType t -> null;
                    case DataType.StringType t -> v -> v;
                };
        return Optional.ofNullable(f);
    }

    private static Optional<UnaryOperator<Object>> temporal(DataType from, DataType to) {
        UnaryOperator<Object> f = null;
        if (from instanceof DataType.DateType) {
            if (to instanceof DataType.TimestampType) {
                f = v -> ((LocalDate) v).atStartOfDay();
            } else if (to instanceof DataType.TimestampTzType) {
                f = v -> ((LocalDate) v).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
        } else if (from instanceof DataType.TimestampType) {
            // A wall-clock value has no zone: it is taken as UTC, the one zone that never shifts.
            if (to instanceof DataType.DateType) {
                f = v -> ((LocalDateTime) v).toLocalDate();
            } else if (to instanceof DataType.TimeType) {
                f = v -> ((LocalDateTime) v).toLocalTime();
            } else if (to instanceof DataType.TimestampTzType) {
                f = v -> ((LocalDateTime) v).atOffset(ZoneOffset.UTC);
            } else if (to instanceof DataType.TimestampType) {
                f = v -> v;
            }
        } else if (from instanceof DataType.TimestampTzType) {
            if (to instanceof DataType.DateType) {
                f = v -> ((OffsetDateTime) v).toLocalDate();
            } else if (to instanceof DataType.TimeType) {
                f = v -> ((OffsetDateTime) v).toLocalTime();
            } else if (to instanceof DataType.TimestampType) {
                f = v -> ((OffsetDateTime) v).toLocalDateTime();
            } else if (to instanceof DataType.TimestampTzType) {
                f = v -> v;
            }
        } else if (from instanceof DataType.TimeType && to instanceof DataType.TimeType) {
            f = v -> v;
        } else if (from instanceof DataType.TimeType && to instanceof DataType.DurationType) {
            f = v -> Duration.ofNanos(((LocalTime) v).toNanoOfDay());
        } else if (from instanceof DataType.DurationType && to instanceof DataType.DurationType) {
            f = v -> v;
        }
        return Optional.ofNullable(f);
    }

    private static Boolean bool(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> true;
            case "false", "f", "no", "n", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }

    private static Object toDecimalOrDouble(Object v) {
        return switch (v) {
            case BigDecimal d -> d;
            case Double d when d.isNaN() || d.isInfinite() -> d;
            case Float f when f.isNaN() || f.isInfinite() -> f.doubleValue();
            case Double d -> BigDecimal.valueOf(d);
            case BigInteger i -> new BigDecimal(i);
            case Float f -> new BigDecimal(Float.toString(f));
            default -> BigDecimal.valueOf(((Number) v).longValue());
        };
    }

    /** A number (BigDecimal, or a NaN or infinite Double) as a value of a numeric type. */
    private static Object number(Object n, DataType to) {
        if (n instanceof Double d) {
            return switch (to) {
                case DataType.Float32 t -> d.floatValue();
                case DataType.Float64 t -> d;
                case DataType.DecimalType t -> d;
                default -> throw new IllegalArgumentException(d + " has no whole-number value");
            };
        }
        BigDecimal d = (BigDecimal) n;
        try {
            return exact(d, to);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    d.toPlainString() + " is not a whole number within " + TypeNames.name(to), e);
        }
    }

    private static Object exact(BigDecimal d, DataType to) {
        return switch (to) {
            case DataType.Int16 t -> d.shortValueExact();
            case DataType.Int32 t -> d.intValueExact();
            case DataType.Int64 t -> d.longValueExact();
            case DataType.UInt64 t -> unsigned(d.toBigIntegerExact());
            case DataType.YearType t -> d.shortValueExact();
            case DataType.Float32 t -> d.floatValue();
            case DataType.Float64 t -> d.doubleValue();
            case DataType.DecimalType t -> decimal(d, t);
            default -> throw new IllegalArgumentException("not a numeric type: " + to);
        };
    }

    private static BigDecimal decimal(BigDecimal d, DataType.DecimalType t) {
        BigDecimal scaled = t.scale() >= 0 ? d.setScale(t.scale(), RoundingMode.HALF_EVEN) : d;
        if (t.precision() > 0 && scaled.precision() - scaled.scale() > t.precision() - t.scale()) {
            throw new IllegalArgumentException(
                    d.toPlainString() + " does not fit " + TypeNames.name(t));
        }
        return scaled;
    }

    private static BigInteger unsigned(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > Long.SIZE) {
            throw new ArithmeticException(v + " is out of range for uint64");
        }
        return v;
    }

    private static String bits(String s, DataType.BitType t) {
        boolean onlyBits = s.chars().allMatch(c -> c == '0' || c == '1');
        boolean fits =
                t.varying()
                        ? t.length() == DataType.UNBOUNDED || s.length() <= t.length()
                        : s.length() == t.length();
        if (!onlyBits || !fits) {
            throw new IllegalArgumentException("'" + s + "' is not a " + TypeNames.name(t));
        }
        return s;
    }

    private static String fitLength(String s, DataType.StringType t) {
        if (t.maxLength() != DataType.UNBOUNDED && s.length() > t.maxLength()) {
            throw new IllegalArgumentException(
                    "'" + s + "' is longer than " + t.maxLength() + " characters");
        }
        return s;
    }
}
