package io.siphon.transforms;

import io.siphon.model.DataType;
import io.siphon.model.Interval;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * The text form of a column value, the same on every machine and in every time zone: what {@code
 * cast} to a string gives and what {@code mask: sha256} hashes, so that a masked key is the same
 * wherever it is computed.
 */
public final class ValueText {

    private ValueText() {}

    /**
     * The text of a non-null value: numbers in plain notation (no exponent), bytes as lower-case
     * hex, dates and times in ISO 8601 (instants at UTC, {@code Z}), intervals and durations as ISO
     * 8601 durations ({@code P1M2DT3.5S}, {@code PT838H59M59S}), arrays as {@code [a, b]}, sets as
     * their members joined by commas ({@code a,b}, as MySQL writes them), everything else as
     * carried.
     */
    @SuppressWarnings("unchecked")
    public static String of(Object value, DataType type) {
        return switch (type) {
            case DataType.DecimalType t ->
                    value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case DataType.BinaryType t -> HexFormat.of().formatHex((byte[]) value);
            case DataType.IntervalType t -> interval((Interval) value);
            case DataType.ArrayType t -> {
                StringJoiner out = new StringJoiner(", ", "[", "]");
                for (Object e : (List<?>) value) {
                    out.add(e == null ? "null" : of(e, t.element()));
                }
                yield out.toString();
            }
            case DataType.BooleanType t -> value.toString();
            case DataType.Int16 t -> value.toString();
            case DataType.Int32 t -> value.toString();
            case DataType.Int64 t -> value.toString();
            case DataType.UInt64 t -> value.toString();
            case DataType.YearType t -> value.toString();
            case DataType.DurationType t -> value.toString();
            case DataType.BitType t -> value.toString();
            case DataType.SetType t -> String.join(",", (List<String>) value);
            case DataType.Float32 t -> value.toString();
            case DataType.Float64 t -> value.toString();
            case DataType.StringType t -> value.toString();
            case DataType.DateType t -> value.toString();
            case DataType.TimeType t -> value.toString();
            case DataType.TimestampType t -> value.toString();
            case DataType.TimestampTzType t -> value.toString();
            case DataType.UuidType t -> value.toString();
            case DataType.JsonType t -> value.toString();
            case DataType.EnumType t -> value.toString();
            case DataType.GeometryType t -> value.toString();
            case DataType.OtherType t -> value.toString();
        };
    }

    private static String interval(Interval i) {
        BigDecimal seconds = BigDecimal.valueOf(i.micros(), 6).stripTrailingZeros();
        return "P" + i.months() + "M" + i.days() + "DT" + seconds.toPlainString() + "S";
    }
}
