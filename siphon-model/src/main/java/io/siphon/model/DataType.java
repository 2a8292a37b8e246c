package io.siphon.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The portable type of a column. Each connector maps its native types to and from these in one
 * table (documented on its docs page); the engine and the transforms only ever see these.
 *
 * <p>The Java value carried for each type (a {@code null} is SQL NULL for every type):
 *
 * <table>
 *   <caption>Java value per type</caption>
 *   <tr><th>type</th><th>Java value</th></tr>
 *   <tr><td>{@link BooleanType}</td><td>{@link Boolean}</td></tr>
 *   <tr><td>{@link Int16}</td><td>{@link Short}</td></tr>
 *   <tr><td>{@link Int32}</td><td>{@link Integer}</td></tr>
 *   <tr><td>{@link Int64}</td><td>{@link Long}</td></tr>
 *   <tr><td>{@link UInt64}</td><td>{@link java.math.BigInteger}, 0 to 2<sup>64</sup>-1</td></tr>
 *   <tr><td>{@link DecimalType}</td><td>{@link java.math.BigDecimal}; {@code NaN} and
 *       {@code ±Infinity} as the {@link Double} constants</td></tr>
 *   <tr><td>{@link Float32}</td><td>{@link Float} (NaN and ±Infinity included)</td></tr>
 *   <tr><td>{@link Float64}</td><td>{@link Double} (NaN and ±Infinity included)</td></tr>
 *   <tr><td>{@link StringType}</td><td>{@link String}</td></tr>
 *   <tr><td>{@link BinaryType}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@link DateType}</td><td>{@link java.time.LocalDate}</td></tr>
 *   <tr><td>{@link TimeType}</td><td>{@link java.time.LocalTime}</td></tr>
 *   <tr><td>{@link DurationType}</td><td>{@link java.time.Duration} (signed, whole
 *       microseconds)</td></tr>
 *   <tr><td>{@link YearType}</td><td>{@link Short} (0 for MySQL's zero year {@code 0000})</td></tr>
 *   <tr><td>{@link TimestampType}</td><td>{@link java.time.LocalDateTime} (wall clock, never
 *       shifted)</td></tr>
 *   <tr><td>{@link TimestampTzType}</td><td>{@link java.time.OffsetDateTime}, always at UTC</td></tr>
 *   <tr><td>{@link IntervalType}</td><td>{@link Interval}</td></tr>
 *   <tr><td>{@link UuidType}</td><td>{@link java.util.UUID}</td></tr>
 *   <tr><td>{@link JsonType}</td><td>{@link String} (JSON text)</td></tr>
 *   <tr><td>{@link ArrayType}</td><td>{@link List} of element values (nested lists for more than
 *       one dimension; elements may be null)</td></tr>
 *   <tr><td>{@link EnumType}</td><td>{@link String} (the label)</td></tr>
 *   <tr><td>{@link SetType}</td><td>{@link List} of {@link String}: the members, each once, in
 *       the set's declared order (empty for the empty set)</td></tr>
 *   <tr><td>{@link BitType}</td><td>{@link String} of {@code '0'} and {@code '1'}, the most
 *       significant bit first, as many characters as the value has bits</td></tr>
 *   <tr><td>{@link GeometryType}</td><td>{@link String} (the source's text form)</td></tr>
 *   <tr><td>{@link OtherType}</td><td>{@link String} (the source's text form of the value)</td></tr>
 * </table>
 *
 * <p>Special date and time values follow {@link TemporalLimits}. Times carry at most microsecond
 * precision. Values are whatever the source holds: a rule that only one system has (PostgreSQL text
 * cannot hold the character U+0000, MySQL has zero dates) is that system's connector's business,
 * and a sink that cannot store a value refuses it with an error naming the table, column and key.
 *
 * <p>{@link Int16}, {@link Int32} and {@link Int64} are signed. An unsigned source type maps to the
 * smallest signed type that holds its whole range (MySQL {@code TINYINT UNSIGNED} to {@link Int16},
 * {@code SMALLINT UNSIGNED} and {@code MEDIUMINT UNSIGNED} to {@link Int32}, {@code INT UNSIGNED}
 * to {@link Int64}), and {@code BIGINT UNSIGNED}, which no signed 64-bit type holds, to {@link
 * UInt64}; {@link Column#nativeType()} keeps the exact declaration for a sink of the same kind.
 */
public sealed interface DataType extends Serializable
        permits DataType.BooleanType,
                DataType.Int16,
                DataType.Int32,
                DataType.Int64,
                DataType.UInt64,
                DataType.DecimalType,
                DataType.Float32,
                DataType.Float64,
                DataType.StringType,
                DataType.BinaryType,
                DataType.DateType,
                DataType.TimeType,
                DataType.DurationType,
                DataType.YearType,
                DataType.TimestampType,
                DataType.TimestampTzType,
                DataType.IntervalType,
                DataType.UuidType,
                DataType.JsonType,
                DataType.ArrayType,
                DataType.EnumType,
                DataType.SetType,
                DataType.BitType,
                DataType.GeometryType,
                DataType.OtherType {

    /** Marks an unbounded length or unspecified precision. */
    int UNBOUNDED = -1;

    /** True or false. */
    record BooleanType() implements DataType {}

    /** 16-bit signed integer. */
    record Int16() implements DataType {}

    /** 32-bit signed integer. */
    record Int32() implements DataType {}

    /** 64-bit signed integer. */
    record Int64() implements DataType {}

    /**
     * 64-bit unsigned integer (MySQL {@code BIGINT UNSIGNED}), 0 to 2<sup>64</sup>-1, carried as a
     * {@link java.math.BigInteger} because a {@code long} holds only half of the range.
     */
    record UInt64() implements DataType {}

    /**
     * Exact decimal.
     *
     * @param precision total digits, or {@link #UNBOUNDED} for a decimal without a declared
     *     precision
     * @param scale digits after the point, or {@link #UNBOUNDED} when the precision is unbounded
     */
    record DecimalType(int precision, int scale) implements DataType {}

    /** IEEE 754 single precision. */
    record Float32() implements DataType {}

    /** IEEE 754 double precision. */
    record Float64() implements DataType {}

    /**
     * Character string.
     *
     * @param maxLength the declared maximum length in characters, or {@link #UNBOUNDED}
     * @param fixed whether values are blank-padded to {@code maxLength} (SQL {@code CHAR(n)})
     */
    record StringType(int maxLength, boolean fixed) implements DataType {
        /** An unbounded variable-length string. */
        public static StringType unbounded() {
            return new StringType(UNBOUNDED, false);
        }
    }

    /**
     * Byte string.
     *
     * @param maxLength the declared maximum length in bytes, or {@link #UNBOUNDED}
     */
    record BinaryType(int maxLength) implements DataType {}

    /** Calendar date. */
    record DateType() implements DataType {}

    /**
     * Time of day without a zone.
     *
     * @param precision fractional second digits (0 to 6), or {@link #UNBOUNDED} for the default
     */
    record TimeType(int precision) implements DataType {}

    /**
     * A signed span of time, carried as a {@link java.time.Duration}: MySQL's {@code TIME}, which
     * holds -838:59:59 to 838:59:59 (an elapsed time as well as a time of day), so that values
     * beyond one day or below zero are not lost. Unlike {@link IntervalType} it has no months or
     * days, only an exact length.
     *
     * @param precision fractional second digits (0 to 6), or {@link #UNBOUNDED} for the default
     */
    record DurationType(int precision) implements DataType {}

    /** A year (MySQL {@code YEAR}: 1901 to 2155, and 0 for its zero year), carried as a Short. */
    record YearType() implements DataType {}

    /**
     * Date and wall-clock time without a zone; never shifted.
     *
     * @param precision fractional second digits (0 to 6), or {@link #UNBOUNDED} for the default
     */
    record TimestampType(int precision) implements DataType {}

    /**
     * An instant (date and time with a zone), carried normalised to UTC.
     *
     * @param precision fractional second digits (0 to 6), or {@link #UNBOUNDED} for the default
     */
    record TimestampTzType(int precision) implements DataType {}

    /** A calendar interval; see {@link Interval}. */
    record IntervalType() implements DataType {}

    /** A 128-bit UUID. */
    record UuidType() implements DataType {}

    /**
     * JSON document.
     *
     * @param binary whether the source stores it parsed (PostgreSQL {@code jsonb}) rather than as
     *     text; a sink may use it to pick the closer native type
     */
    record JsonType(boolean binary) implements DataType {}

    /**
     * Array of one element type.
     *
     * @param element the element type
     */
    record ArrayType(DataType element) implements DataType {
        /** Checks the element type. */
        public ArrayType {
            Objects.requireNonNull(element, "element");
        }
    }

    /**
     * One of a fixed list of labels.
     *
     * @param name the enum type's name at the source (for example {@code public.mood}), so a sink
     *     of the same kind can create the same type; may be null
     * @param values the labels in their declared order
     */
    record EnumType(String name, List<String> values) implements DataType {
        /** Copies the labels. */
        public EnumType {
            values = List.copyOf(values);
        }
    }

    /**
     * Any subset of a fixed list of labels (MySQL {@code SET}).
     *
     * @param values the labels in their declared order
     */
    record SetType(List<String> values) implements DataType {
        /** Copies the labels. */
        public SetType {
            values = List.copyOf(values);
        }

        /**
         * The value holding these members: each once, in declared order.
         *
         * @throws IllegalArgumentException for a member that is not one of the labels
         */
        public List<String> valueOf(java.util.Collection<String> members) {
            for (String m : members) {
                if (!values.contains(m)) {
                    throw new IllegalArgumentException(
                            "'" + m + "' is not one of the labels " + values);
                }
            }
            return values.stream().filter(members::contains).toList();
        }

        /**
         * The value of MySQL's bit mask form, bit {@code i} standing for label {@code i}.
         *
         * @throws IllegalArgumentException for a bit beyond the labels
         */
        public List<String> valueOf(long mask) {
            if (values.size() < Long.SIZE && (mask >>> values.size()) != 0) {
                throw new IllegalArgumentException(
                        "bit mask " + Long.toBinaryString(mask) + " has bits beyond " + values);
            }
            List<String> members = new java.util.ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                if ((mask & (1L << i)) != 0) {
                    members.add(values.get(i));
                }
            }
            return List.copyOf(members);
        }
    }

    /**
     * A string of bits (MySQL {@code BIT(n)}, PostgreSQL {@code bit(n)} and {@code bit
     * varying(n)}).
     *
     * @param length the number of bits ({@code BIT(n)}), the maximum when {@code varying}, or
     *     {@link #UNBOUNDED} for a varying string without a limit
     * @param varying whether values may be shorter than {@code length}; when false every value has
     *     exactly {@code length} bits
     */
    record BitType(int length, boolean varying) implements DataType {}

    /**
     * Spatial value in the source's text form.
     *
     * @param nativeName the source type (for example {@code geometry})
     */
    record GeometryType(String nativeName) implements DataType {}

    /**
     * A type with no portable equivalent, carried as the source's text form; a sink of the same
     * kind writes it back as that type, another sink as text.
     *
     * @param nativeName the source's type name (for example {@code inet}, {@code int4range})
     */
    record OtherType(String nativeName) implements DataType {
        /** Checks the name. */
        public OtherType {
            Objects.requireNonNull(nativeName, "nativeName");
        }
    }
}
