package io.siphon.transforms;

import io.siphon.model.DataType;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of {@link DataType}s in a pipeline spec ({@code cast}) and in messages: {@code
 * boolean}, {@code int16}, {@code int32}, {@code int64}, {@code uint64}, {@code year}, {@code
 * decimal(p,s)}, {@code float32}, {@code float64}, {@code string}, {@code varchar(n)}, {@code
 * char(n)}, {@code binary}, {@code date}, {@code time}, {@code duration}, {@code timestamp}, {@code
 * timestamptz}, {@code interval}, {@code uuid}, {@code json}, {@code jsonb}, and {@code T[]} for an
 * array; the usual SQL synonyms are accepted.
 */
public final class TypeNames {

    private static final Pattern SIZED =
            Pattern.compile("([a-z]+)\\s*\\((\\d+)(?:\\s*,\\s*(\\d+))?\\)");

    private TypeNames() {}

    /**
     * Parses a type name.
     *
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} listing the names there are
     */
    public static DataType parse(String text) {
        return tryParse(text.strip().toLowerCase(Locale.ROOT))
                .orElseThrow(
                        () ->
                                new SiphonException(
                                        ErrorCode.TRANSFORM_INVALID,
                                        "'"
                                                + text
                                                + "' is not a type; use one of boolean, int16,"
                                                + " int32, int64, uint64, year, decimal(p,s),"
                                                + " float32, float64,"
                                                + " string, varchar(n), char(n), binary, date,"
                                                + " time, duration, timestamp, timestamptz,"
                                                + " interval, uuid,"
                                                + " json, jsonb, or T[] for an array"));
    }

    private static Optional<DataType> tryParse(String t) {
        if (t.endsWith("[]")) {
            return tryParse(t.substring(0, t.length() - 2).strip()).map(DataType.ArrayType::new);
        }
        Matcher m = SIZED.matcher(t);
        if (m.matches()) {
            int a = Integer.parseInt(m.group(2));
            int b = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return switch (m.group(1)) {
                case "decimal", "numeric" -> Optional.of(new DataType.DecimalType(a, b));
                case "varchar" -> Optional.of(new DataType.StringType(a, false));
                case "char" -> Optional.of(new DataType.StringType(a, true));
                case "timestamp" -> Optional.of(new DataType.TimestampType(a));
                case "timestamptz" -> Optional.of(new DataType.TimestampTzType(a));
                case "time" -> Optional.of(new DataType.TimeType(a));
                default -> Optional.empty();
            };
        }
        return Optional.ofNullable(
                switch (t) {
                    case "boolean", "bool" -> new DataType.BooleanType();
                    case "int16", "smallint" -> new DataType.Int16();
                    case "int32", "int", "integer" -> new DataType.Int32();
                    case "int64", "bigint" -> new DataType.Int64();
                    case "uint64" -> new DataType.UInt64();
                    case "year" -> new DataType.YearType();
                    case "duration" -> new DataType.DurationType(DataType.UNBOUNDED);
                    case "decimal", "numeric" ->
                            new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED);
                    case "float32", "real" -> new DataType.Float32();
                    case "float64", "double", "double precision" -> new DataType.Float64();
                    case "string", "text", "varchar" -> DataType.StringType.unbounded();
                    case "binary", "bytes", "bytea" -> new DataType.BinaryType(DataType.UNBOUNDED);
                    case "date" -> new DataType.DateType();
                    case "time" -> new DataType.TimeType(DataType.UNBOUNDED);
                    case "timestamp" -> new DataType.TimestampType(DataType.UNBOUNDED);
                    case "timestamptz" -> new DataType.TimestampTzType(DataType.UNBOUNDED);
                    case "interval" -> new DataType.IntervalType();
                    case "uuid" -> new DataType.UuidType();
                    case "json" -> new DataType.JsonType(false);
                    case "jsonb" -> new DataType.JsonType(true);
                    default -> null;
                });
    }

    /** The name of a type as {@link #parse} reads it; other types by their kind. */
    public static String name(DataType type) {
        return switch (type) {
            case DataType.BooleanType t -> "boolean";
            case DataType.Int16 t -> "int16";
            case DataType.Int32 t -> "int32";
            case DataType.Int64 t -> "int64";
            case DataType.UInt64 t -> "uint64";
            case DataType.YearType t -> "year";
            case DataType.DurationType t -> "duration";
            case DataType.BitType t -> (t.varying() ? "varbit(" : "bit(") + t.length() + ")";
            case DataType.SetType t -> "set";
            case DataType.DecimalType t ->
                    t.precision() == DataType.UNBOUNDED
                            ? "decimal"
                            : "decimal(" + t.precision() + "," + t.scale() + ")";
            case DataType.Float32 t -> "float32";
            case DataType.Float64 t -> "float64";
            case DataType.StringType t ->
                    t.maxLength() == DataType.UNBOUNDED
                            ? "string"
                            : (t.fixed() ? "char(" : "varchar(") + t.maxLength() + ")";
            case DataType.BinaryType t -> "binary";
            case DataType.DateType t -> "date";
            case DataType.TimeType t -> "time";
            case DataType.TimestampType t -> "timestamp";
            case DataType.TimestampTzType t -> "timestamptz";
            case DataType.IntervalType t -> "interval";
            case DataType.UuidType t -> "uuid";
            case DataType.JsonType t -> t.binary() ? "jsonb" : "json";
            case DataType.ArrayType t -> name(t.element()) + "[]";
            case DataType.EnumType t -> "enum" + (t.name() == null ? "" : " " + t.name());
            case DataType.GeometryType t -> t.nativeName();
            case DataType.OtherType t -> t.nativeName();
        };
    }
}
