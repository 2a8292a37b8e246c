package io.siphon.connector.support.schema;

import io.siphon.model.DataType;

/**
 * Which type changes keep every value exactly, so that a sink may follow them at the target (with
 * {@code ALTER ... TYPE}) instead of refusing them. Pure: no database.
 */
public final class TypeWidening {

    private TypeWidening() {}

    /**
     * Whether a column of type {@code from} can become {@code to} with every value kept exactly:
     * {@code int2 → int4 → int8}, {@code float4 → float8}, {@code numeric(p,s)} to one with at
     * least as many digits on both sides of the point (or unbounded), a string type to a longer one
     * of the same kind ({@code varchar(n) → varchar(m ≥ n)} or {@code text}), times, durations and
     * timestamps to a higher precision, a bit string to a varying one at least as long, a set to
     * one with labels added at the end (MySQL keeps members as bit positions), and arrays of these.
     */
    public static boolean widens(DataType from, DataType to) {
        return switch (from) {
            case DataType.Int16 i -> to instanceof DataType.Int32 || to instanceof DataType.Int64;
            case DataType.Int32 i -> to instanceof DataType.Int64;
            case DataType.Float32 f -> to instanceof DataType.Float64;
            case DataType.DecimalType d -> to instanceof DataType.DecimalType w && decimal(d, w);
            case DataType.StringType s ->
                    to instanceof DataType.StringType w
                            && w.fixed() == s.fixed()
                            && (w.maxLength() == DataType.UNBOUNDED
                                    || (s.maxLength() != DataType.UNBOUNDED
                                            && w.maxLength() >= s.maxLength()));
            case DataType.TimeType t ->
                    to instanceof DataType.TimeType w
                            && digits(w.precision()) >= digits(t.precision());
            case DataType.TimestampType t ->
                    to instanceof DataType.TimestampType w
                            && digits(w.precision()) >= digits(t.precision());
            case DataType.TimestampTzType t ->
                    to instanceof DataType.TimestampTzType w
                            && digits(w.precision()) >= digits(t.precision());
            case DataType.ArrayType a ->
                    to instanceof DataType.ArrayType w && widens(a.element(), w.element());
            case DataType.DurationType t ->
                    to instanceof DataType.DurationType w
                            && digits(w.precision()) >= digits(t.precision());
            case DataType.BitType b ->
                    to instanceof DataType.BitType w
                            && w.varying()
                            && (w.length() == DataType.UNBOUNDED
                                    || (b.length() != DataType.UNBOUNDED
                                            && w.length() >= b.length()));
            case DataType.SetType e ->
                    to instanceof DataType.SetType w
                            && w.values().size() >= e.values().size()
                            && w.values().subList(0, e.values().size()).equals(e.values());
            case DataType.Int64 i -> false;
            case DataType.UInt64 i -> false;
            case DataType.YearType y -> false;
            case DataType.Float64 f -> false;
            case DataType.BooleanType b -> false;
            case DataType.BinaryType b -> false;
            case DataType.DateType d -> false;
            case DataType.IntervalType i -> false;
            case DataType.UuidType u -> false;
            case DataType.JsonType j -> false;
            case DataType.EnumType e -> false;
            case DataType.GeometryType g -> false;
            case DataType.OtherType o -> false;
        };
    }

    private static boolean decimal(DataType.DecimalType from, DataType.DecimalType to) {
        if (to.precision() == DataType.UNBOUNDED) {
            return true;
        }
        if (from.precision() == DataType.UNBOUNDED) {
            return false;
        }
        return to.scale() >= from.scale()
                && to.precision() - to.scale() >= from.precision() - from.scale();
    }

    /** Fractional second digits; PostgreSQL keeps six when none are declared. */
    private static int digits(int precision) {
        return precision == DataType.UNBOUNDED ? 6 : precision;
    }
}
