package io.siphon.transforms;

import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.NativeJSON;
import org.mozilla.javascript.Scriptable;

/**
 * Column values to JavaScript and back. Numbers become JavaScript numbers (a decimal or a 64-bit
 * integer beyond 2^53 loses digits only if the script computes with it: a value handed back
 * untouched keeps its exact Java value), text stays text, bytes become lower-case hex, dates,
 * times, UUIDs, intervals and durations their ISO text ({@link ValueText}), arrays and sets
 * JavaScript arrays (of the members, for a set), bit strings text of 0 and 1. On the way back a
 * value is converted to its column's type as {@code cast} would convert it.
 */
final class JsValues {

    private JsValues() {}

    /** The JavaScript value of a non-unchanged column value; null stays null. */
    static Object toJs(Object value, DataType type, Context cx, Scriptable scope) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case DataType.BooleanType t -> value;
            // Fresh boxes, never cached ones: the sandbox recognises untouched values by identity.
            case DataType.Int16 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.Int32 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.Int64 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.UInt64 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.YearType t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.DecimalType t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.Float32 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.Float64 t -> Double.valueOf(((Number) value).doubleValue());
            case DataType.StringType t -> value;
            case DataType.JsonType t -> value;
            case DataType.EnumType t -> value;
            case DataType.GeometryType t -> value;
            case DataType.OtherType t -> value;
            case DataType.BitType t -> value;
            case DataType.BinaryType t -> ValueText.of(value, type);
            case DataType.DurationType t -> ValueText.of(value, type);
            case DataType.DateType t -> ValueText.of(value, type);
            case DataType.TimeType t -> ValueText.of(value, type);
            case DataType.TimestampType t -> ValueText.of(value, type);
            case DataType.TimestampTzType t -> ValueText.of(value, type);
            case DataType.IntervalType t -> ValueText.of(value, type);
            case DataType.UuidType t -> ValueText.of(value, type);
            case DataType.ArrayType t -> {
                List<?> list = (List<?>) value;
                Object[] elements = new Object[list.size()];
                for (int i = 0; i < elements.length; i++) {
                    elements[i] = toJs(list.get(i), t.element(), cx, scope);
                }
                yield cx.newArray(scope, elements);
            }
            case DataType.SetType t -> cx.newArray(scope, ((List<?>) value).toArray());
        };
    }

    /**
     * The column value of a JavaScript value.
     *
     * @throws IllegalArgumentException when the value cannot become the column's type
     */
    static Object fromJs(Object js, DataType type, Context cx, Scriptable scope) {
        if (js == null) {
            return null;
        }
        if (type instanceof DataType.ArrayType array) {
            if (!(js instanceof NativeArray elements)) {
                throw new IllegalArgumentException("an array is needed");
            }
            List<Object> out = new ArrayList<>();
            for (Object element : elements) {
                out.add(fromJs(element, array.element(), cx, scope));
            }
            return Collections.unmodifiableList(out);
        }
        if (type instanceof DataType.SetType set && js instanceof NativeArray members) {
            List<String> labels = new ArrayList<>();
            for (Object m : members) {
                labels.add(String.valueOf(m));
            }
            return set.valueOf(labels);
        }
        if (type instanceof DataType.JsonType && js instanceof Scriptable object) {
            return NativeJSON.stringify(cx, scope, object, null, null).toString();
        }
        if (js instanceof CharSequence text) {
            if (type instanceof DataType.BinaryType) {
                return HexFormat.of().parseHex(text);
            }
            return convert(
                    new DataType.StringType(DataType.UNBOUNDED, false), type, text.toString());
        }
        if (js instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d)
                    ? convert(new DataType.DecimalType(DataType.UNBOUNDED, 0), type, exact(d))
                    : convert(new DataType.Float64(), type, d);
        }
        if (js instanceof Boolean b) {
            return convert(new DataType.BooleanType(), type, b);
        }
        throw new IllegalArgumentException("a " + typeName(type) + " value is needed");
    }

    /** The shortest decimal that reads back as the double, as JavaScript prints it. */
    private static BigDecimal exact(double d) {
        return new BigDecimal(Double.toString(d)).stripTrailingZeros();
    }

    private static Object convert(DataType from, DataType to, Object value) {
        UnaryOperator<Object> converter =
                Casts.converter(from, to)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "a " + typeName(to) + " cannot be computed"));
        return converter.apply(value);
    }

    /** The type's name as the 'columns' option writes it. */
    static String typeName(DataType type) {
        return TypeNames.name(type);
    }
}
