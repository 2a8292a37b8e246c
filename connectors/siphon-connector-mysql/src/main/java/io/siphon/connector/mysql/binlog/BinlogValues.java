package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import io.siphon.connector.mysql.binlog.BinlogTable.BinlogColumn;
import io.siphon.connector.mysql.binlog.BinlogTemporal.ZeroDate;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Turns a binlog cell (as the client library and {@link BinlogTemporal} decode it) into the Java
 * value of its column's {@link DataType}. The binlog carries integers signed (an {@code UNSIGNED}
 * column's are reinterpreted here), text as bytes in the column's charset, {@code ENUM} as a
 * 1-based index, {@code SET} as a bit mask, {@code BIT} as bits, MySQL's {@code JSON} in its binary
 * form and MariaDB's as text, and spatial values as an SRID and WKB.
 */
final class BinlogValues {

    private BinlogValues() {}

    /**
     * The value of a cell, or the cell's {@link ZeroDate} itself when the column is a date or time
     * and the cell a zero date: the caller applies the zero-dates policy, knowing the row's key.
     */
    static Object decode(TableId table, Column column, BinlogColumn binlog, Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof ZeroDate) {
            return raw;
        }
        try {
            return decode(column.type(), binlog, raw);
        } catch (SiphonException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw unexpected(table, column, binlog, raw, e);
        }
    }

    private static Object decode(DataType type, BinlogColumn binlog, Object raw)
            throws IOException {
        return switch (type) {
            case DataType.BooleanType b -> integer(binlog, raw).signum() != 0;
            case DataType.Int16 i -> integer(binlog, raw).shortValueExact();
            case DataType.Int32 i -> integer(binlog, raw).intValueExact();
            case DataType.Int64 i -> integer(binlog, raw).longValueExact();
            case DataType.UInt64 u -> integer(binlog, raw);
            case DataType.DecimalType d ->
                    raw instanceof BigDecimal big ? big : new BigDecimal(integer(binlog, raw));
            case DataType.Float32 f -> ((Number) raw).floatValue();
            case DataType.Float64 f -> ((Number) raw).doubleValue();
            case DataType.StringType s -> text(binlog, raw);
            case DataType.BinaryType b -> bytes(binlog, raw);
            case DataType.DateType d -> (LocalDate) raw;
            case DataType.TimeType t -> time(raw);
            case DataType.DurationType d -> (Duration) raw;
            case DataType.YearType y -> ((Number) raw).shortValue();
            case DataType.TimestampType t -> (LocalDateTime) raw;
            case DataType.TimestampTzType t -> ((Instant) raw).atOffset(ZoneOffset.UTC);
            case DataType.SetType set -> members(binlog, raw);
            case DataType.BitType bit -> bitText(binlog, (BitSet) raw);
            case DataType.JsonType j -> json(binlog, raw);
            case DataType.EnumType e -> text(binlog, raw);
            case DataType.GeometryType g -> Wkb.toText((byte[]) raw);
            case DataType.OtherType o -> text(binlog, raw);
            case DataType.IntervalType i -> throw unsupported(type);
            case DataType.UuidType u -> throw unsupported(type);
            case DataType.ArrayType a -> throw unsupported(type);
        };
    }

    /** An integer cell (or {@code BIT}, or {@code YEAR}) as its exact value. */
    private static BigInteger integer(BinlogColumn binlog, Object raw) {
        if (raw instanceof BitSet bits) {
            return new BigInteger(1, bitBytes(bits, binlog.meta()));
        }
        long v = ((Number) raw).longValue();
        if (!binlog.unsigned() || v >= 0) {
            return BigInteger.valueOf(v);
        }
        return switch (binlog.type()) {
            case TINY -> BigInteger.valueOf(v & 0xFFL);
            case SHORT -> BigInteger.valueOf(v & 0xFFFFL);
            case INT24 -> BigInteger.valueOf(v & 0xFFFFFFL);
            case LONG -> BigInteger.valueOf(v & 0xFFFFFFFFL);
            case LONGLONG -> new BigInteger(Long.toUnsignedString(v));
            default -> BigInteger.valueOf(v);
        };
    }

    /** Text: decoded bytes, or an {@code ENUM}'s / {@code SET}'s labels. */
    private static String text(BinlogColumn binlog, Object raw) throws IOException {
        if (binlog.type() == ColumnType.ENUM) {
            int index = ((Number) raw).intValue();
            // 0 is the empty "error value" MySQL stores for an invalid label in non-strict mode.
            return index == 0 ? "" : binlog.labels().get(index - 1);
        }
        if (binlog.type() == ColumnType.SET) {
            return String.join(",", members(binlog, raw));
        }
        if (binlog.type() == ColumnType.JSON) {
            return JsonBinary.parseAsString((byte[]) raw);
        }
        if (raw instanceof byte[] bytes) {
            return new String(
                    bytes, binlog.charset() == null ? StandardCharsets.UTF_8 : binlog.charset());
        }
        return raw.toString();
    }

    /** A {@code SET}'s members in declared order. */
    private static List<String> members(BinlogColumn binlog, Object raw) {
        long mask = ((Number) raw).longValue();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < binlog.labels().size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(binlog.labels().get(i));
            }
        }
        return List.copyOf(out);
    }

    /** A {@code BIT(n)} value as n characters '0' and '1', the most significant first. */
    private static String bitText(BinlogColumn binlog, BitSet bits) {
        int n = (binlog.meta() >> 8) * 8 + (binlog.meta() & 0xFF);
        StringBuilder out = new StringBuilder(n);
        for (int i = n - 1; i >= 0; i--) {
            out.append(bits.get(i) ? '1' : '0');
        }
        return out.toString();
    }

    private static byte[] bytes(BinlogColumn binlog, Object raw) {
        if (raw instanceof BitSet bits) {
            return bitBytes(bits, binlog.meta());
        }
        byte[] bytes = (byte[]) raw;
        if (binlog.type() == ColumnType.STRING && binlog.charset() == null) {
            // The log drops a BINARY(n) value's trailing zero bytes; the column holds all n.
            int length = fixedLength(binlog.meta());
            if (bytes.length < length) {
                return java.util.Arrays.copyOf(bytes, length);
            }
        }
        return bytes;
    }

    /** The byte length of a {@code CHAR}/{@code BINARY} column from its table-map metadata. */
    private static int fixedLength(int meta) {
        if (meta < 256) {
            return meta;
        }
        int meta0 = meta >> 8;
        int meta1 = meta & 0xFF;
        return (meta0 & 0x30) != 0x30 ? meta1 | (((meta0 & 0x30) ^ 0x30) << 4) : meta1;
    }

    /** A {@code BIT(n)} value as {@code ceil(n / 8)} bytes, most significant first (as JDBC). */
    private static byte[] bitBytes(BitSet bits, int meta) {
        int length = (meta >> 8) + ((meta & 0xFF) > 0 ? 1 : 0);
        byte[] out = new byte[length];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out[length - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
        return out;
    }

    private static String json(BinlogColumn binlog, Object raw) throws IOException {
        if (binlog.type() == ColumnType.JSON) {
            return JsonBinary.parseAsString((byte[]) raw);
        }
        return text(binlog, raw);
    }

    private static Object time(Object raw) {
        Duration d = (Duration) raw;
        if (d.isNegative() || d.compareTo(Duration.ofDays(1)) >= 0) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "TIME value " + d + " is outside one day, which a time of day cannot hold");
        }
        return LocalTime.ofNanoOfDay(d.toNanos());
    }

    private static SiphonException unsupported(DataType type) {
        return new SiphonException(
                ErrorCode.TYPE_UNSUPPORTED, "a MySQL binlog has no values of type " + type);
    }

    private static SiphonException unexpected(
            TableId table, Column column, BinlogColumn binlog, Object raw, Exception e) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "Cannot read a "
                        + binlog.type()
                        + " binlog value of column "
                        + column.name()
                        + " of "
                        + table
                        + " as "
                        + column.type()
                        + " ("
                        + raw.getClass().getSimpleName()
                        + "): "
                        + e.getMessage(),
                e);
    }
}
