package io.siphon.connector.mysql.types;

import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.support.jdbc.ColumnMapping;
import io.siphon.connector.support.jdbc.ColumnRole;
import io.siphon.connector.support.jdbc.TypeMapper;
import io.siphon.connector.support.jdbc.WriteMapping;
import io.siphon.model.DataType;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.stream.Collectors;

/**
 * The type mapping of the MySQL family (MySQL 8 and MariaDB), both ways; the table in {@code
 * docs/connectors/mysql.md} is this class in prose.
 *
 * <p>The write side creates columns that hold every value of their portable type exactly, or says
 * why not: strings in utf8mb4 with a binary collation without padding, so that keys compare as
 * PostgreSQL's ({@code 'a'}, {@code 'A'} and {@code 'a '} are three keys); instants ({@link
 * DataType.TimestampTzType}) as {@code TIMESTAMP}, or by the sink's choice as {@code DATETIME} in
 * UTC, since {@code TIMESTAMP} ends in 2038; types MySQL lacks (intervals, arrays, geometry as
 * text, other types) as text or JSON. Key columns need a bounded type: unbounded text and bytes
 * become {@code VARCHAR(n)}/{@code VARBINARY(n)} with n the {@code key-text-length} option (255
 * unless set).
 */
public final class MySqlTypeMapper implements TypeMapper<MySqlColumnType> {

    /** InnoDB indexes at most 3072 bytes of a key column: 768 characters of utf8mb4. */
    public static final int MAX_KEY_CHARS = 768;

    /** InnoDB indexes at most this many bytes of a key column. */
    public static final int MAX_KEY_BYTES = 3072;

    /** Longest {@code VARCHAR} created; longer strings become text types (rows are 64 KB max). */
    static final int MAX_VARCHAR = 1024;

    /** The widest {@code DECIMAL}: 65 digits, 30 of them after the point. */
    public static final int MAX_DECIMAL_PRECISION = 65;

    /** The most digits after the point of a {@code DECIMAL}. */
    public static final int MAX_DECIMAL_SCALE = 30;

    private final ServerFlavor flavor;
    private final int keyTextLength;
    private final boolean instantsAsTimestamp;

    /**
     * The mapping for a server.
     *
     * @param keyTextLength characters of a key column of unbounded text (bytes of unbounded binary)
     * @param instantsAsTimestamp whether instants become {@code TIMESTAMP} (else {@code DATETIME}
     *     holding the UTC wall clock)
     */
    public MySqlTypeMapper(ServerFlavor flavor, int keyTextLength, boolean instantsAsTimestamp) {
        if (keyTextLength < 1 || keyTextLength > MAX_KEY_CHARS) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "'key-text-length' is "
                            + keyTextLength
                            + " but must be between 1 and "
                            + MAX_KEY_CHARS
                            + " (InnoDB indexes at most 3072 bytes of a key column, 4 per"
                            + " character in utf8mb4)");
        }
        this.flavor = flavor;
        this.keyTextLength = keyTextLength;
        this.instantsAsTimestamp = instantsAsTimestamp;
    }

    /** Whether instants from other systems become {@code TIMESTAMP} columns. */
    public boolean instantsAsTimestamp() {
        return instantsAsTimestamp;
    }

    @Override
    public String family() {
        return "mysql";
    }

    /** The server flavor this mapping writes for. */
    public ServerFlavor flavor() {
        return flavor;
    }

    @Override
    public ColumnMapping toColumnMapping(MySqlColumnType t) {
        return new ColumnMapping(readType(t), t.columnType());
    }

    private DataType readType(MySqlColumnType t) {
        if (t.json()) {
            return new DataType.JsonType(false);
        }
        return switch (t.dataType()) {
            case "boolean", "bool" -> new DataType.BooleanType();
            case "tinyint" ->
                    t.columnType().startsWith("tinyint(1)") && !t.unsigned()
                            ? new DataType.BooleanType()
                            : new DataType.Int16();
            case "smallint" -> t.unsigned() ? new DataType.Int32() : new DataType.Int16();
            case "mediumint" -> new DataType.Int32();
            case "int", "integer" -> t.unsigned() ? new DataType.Int64() : new DataType.Int32();
            case "bigint" -> t.unsigned() ? new DataType.UInt64() : new DataType.Int64();
            case "decimal", "numeric" -> {
                var args = t.arguments();
                yield new DataType.DecimalType(
                        args.isEmpty() ? 10 : args.get(0), args.size() > 1 ? args.get(1) : 0);
            }
            case "float" -> new DataType.Float32();
            case "double", "real" -> new DataType.Float64();
            case "bit" -> new DataType.BitType(t.argument(1), false);
            case "char" -> new DataType.StringType(t.argument(1), true);
            case "varchar" -> new DataType.StringType(t.argument(DataType.UNBOUNDED), false);
            case "set" -> new DataType.SetType(t.labels());
            case "tinytext", "text", "mediumtext", "longtext" -> DataType.StringType.unbounded();
            case "binary", "varbinary" -> new DataType.BinaryType(t.argument(1));
            case "tinyblob", "blob", "mediumblob", "longblob" ->
                    new DataType.BinaryType(DataType.UNBOUNDED);
            case "date" -> new DataType.DateType();
            // TIME spans -838:59:59 to 838:59:59: an elapsed time, not only a time of day.
            case "time" -> new DataType.DurationType(t.argument(0));
            case "datetime" -> new DataType.TimestampType(t.argument(0));
            case "timestamp" -> new DataType.TimestampTzType(t.argument(0));
            case "year" -> new DataType.YearType();
            case "json" -> new DataType.JsonType(flavor == ServerFlavor.MYSQL);
            case "enum" -> new DataType.EnumType(t.columnType(), t.labels());
            case "uuid" -> new DataType.UuidType();
            case "geometry",
                    "point",
                    "linestring",
                    "polygon",
                    "multipoint",
                    "multilinestring",
                    "multipolygon",
                    "geometrycollection",
                    "geomcollection" ->
                    new DataType.GeometryType(t.dataType());
            default -> new DataType.OtherType(t.columnType());
        };
    }

    @Override
    public WriteMapping toWriteMapping(DataType type, ColumnRole role) {
        boolean key = role == ColumnRole.KEY;
        return new WriteMapping(
                switch (type) {
                    case DataType.BooleanType b -> "boolean";
                    case DataType.Int16 i -> "smallint";
                    case DataType.Int32 i -> "int";
                    case DataType.Int64 i -> "bigint";
                    case DataType.UInt64 i -> "bigint unsigned";
                    case DataType.DurationType d -> "time(" + fraction(d.precision()) + ")";
                    case DataType.YearType y -> "year";
                    case DataType.BitType b -> bits(b, key);
                    case DataType.SetType e -> set(e);
                    case DataType.DecimalType d -> decimal(d);
                    case DataType.Float32 f -> "float";
                    case DataType.Float64 f -> "double";
                    case DataType.StringType s -> text(s.maxLength(), key) + collation();
                    case DataType.BinaryType b -> binary(b.maxLength(), key);
                    case DataType.DateType d -> "date";
                    case DataType.TimeType t -> "time(" + fraction(t.precision()) + ")";
                    case DataType.TimestampType t -> "datetime(" + fraction(t.precision()) + ")";
                    // TIMESTAMP holds only 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC; the
                    // alternative is the UTC wall clock in a DATETIME.
                    case DataType.TimestampTzType t ->
                            (instantsAsTimestamp ? "timestamp(" : "datetime(")
                                    + fraction(t.precision())
                                    + ")";
                    // ISO 8601 text (P1Y2M3DT4H5M6.5S): MySQL has no interval type.
                    case DataType.IntervalType i -> "varchar(64)" + collation();
                    // Text on both: MariaDB's UUID type refuses values whose version and
                    // variant bits it does not know, which a PostgreSQL uuid may hold.
                    case DataType.UuidType u -> "char(36) character set ascii collate ascii_bin";
                    case DataType.JsonType j -> unkeyable(type, key, "json");
                    case DataType.ArrayType a -> unkeyable(type, key, "json");
                    case DataType.EnumType e -> enumeration(e);
                    case DataType.GeometryType g -> unkeyable(type, key, "longtext") + collation();
                    case DataType.OtherType o -> text(DataType.UNBOUNDED, key) + collation();
                });
    }

    private String collation() {
        return " character set utf8mb4 collate " + flavor.binaryCollation();
    }

    private static String decimal(DataType.DecimalType d) {
        if (d.precision() == DataType.UNBOUNDED) {
            return "decimal(" + MAX_DECIMAL_PRECISION + "," + MAX_DECIMAL_SCALE + ")";
        }
        if (d.precision() > MAX_DECIMAL_PRECISION
                || d.scale() > MAX_DECIMAL_SCALE
                || d.scale() < 0) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "numeric("
                            + d.precision()
                            + ","
                            + d.scale()
                            + ") does not fit MySQL's DECIMAL, which holds at most "
                            + MAX_DECIMAL_PRECISION
                            + " digits, "
                            + MAX_DECIMAL_SCALE
                            + " of them after the point; narrow the column at the source, or"
                            + " cast it to text with a transform");
        }
        return "decimal(" + d.precision() + "," + d.scale() + ")";
    }

    private String text(int maxLength, boolean key) {
        if (key) {
            if (maxLength == DataType.UNBOUNDED) {
                return "varchar(" + keyTextLength + ")";
            }
            if (maxLength > MAX_KEY_CHARS) {
                throw new SiphonException(
                        ErrorCode.TYPE_UNSUPPORTED,
                        "a primary-key column of varchar("
                                + maxLength
                                + ") does not fit a MySQL key, which indexes at most "
                                + MAX_KEY_CHARS
                                + " characters of utf8mb4; key the table on other columns");
            }
            return "varchar(" + maxLength + ")";
        }
        if (maxLength == DataType.UNBOUNDED) {
            return "longtext";
        }
        if (maxLength <= MAX_VARCHAR) {
            return "varchar(" + maxLength + ")";
        }
        // TEXT holds 65535 bytes, MEDIUMTEXT 16 MB: four bytes per character in utf8mb4.
        return maxLength <= 16_383 ? "text" : maxLength <= 4_194_303 ? "mediumtext" : "longtext";
    }

    private String binary(int maxLength, boolean key) {
        if (key) {
            if (maxLength == DataType.UNBOUNDED) {
                return "varbinary(" + keyTextLength + ")";
            }
            if (maxLength > MAX_KEY_BYTES) {
                throw new SiphonException(
                        ErrorCode.TYPE_UNSUPPORTED,
                        "a primary-key column of "
                                + maxLength
                                + " bytes does not fit a MySQL key, which indexes at most "
                                + MAX_KEY_BYTES
                                + " bytes; key the table on other columns");
            }
            return "varbinary(" + maxLength + ")";
        }
        if (maxLength == DataType.UNBOUNDED) {
            return "longblob";
        }
        if (maxLength <= MAX_VARCHAR) {
            return "varbinary(" + maxLength + ")";
        }
        return maxLength <= 65_535 ? "blob" : maxLength <= 16_777_215 ? "mediumblob" : "longblob";
    }

    private String enumeration(DataType.EnumType e) {
        if (e.values().isEmpty()) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "enum type " + e.name() + " has no labels; MySQL needs at least one");
        }
        return "enum("
                + e.values().stream().map(SqlText::literal).collect(Collectors.joining(","))
                + ")"
                + collation();
    }

    /**
     * Whether a bit string becomes MySQL's {@code BIT(n)}: fixed strings of 1 to 64 bits. Others
     * (PostgreSQL's {@code bit varying}, longer strings) are kept as text of 0s and 1s.
     */
    public static boolean nativeBit(DataType.BitType b) {
        return !b.varying() && b.length() >= 1 && b.length() <= 64;
    }

    private String bits(DataType.BitType b, boolean key) {
        if (nativeBit(b)) {
            return "bit(" + b.length() + ")";
        }
        return (b.length() == DataType.UNBOUNDED
                        ? (key ? "varchar(" + keyTextLength + ")" : "longtext")
                        : text(b.length(), key))
                + " character set ascii collate ascii_bin";
    }

    private String set(DataType.SetType e) {
        if (e.values().isEmpty() || e.values().size() > 64) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "a set of "
                            + e.values().size()
                            + " labels cannot be created in MySQL, which takes 1 to 64");
        }
        return "set("
                + e.values().stream().map(SqlText::literal).collect(Collectors.joining(","))
                + ")"
                + collation();
    }

    private static String unkeyable(DataType type, boolean key, String nativeType) {
        if (key) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "a primary-key column of type "
                            + type
                            + " cannot be created in MySQL, which cannot index "
                            + nativeType
                            + "; key the table on other columns");
        }
        return nativeType;
    }

    /** Digits of fraction: 6 when unspecified, at most MySQL's 6. */
    static int fraction(int precision) {
        return precision == DataType.UNBOUNDED ? 6 : Math.min(precision, 6);
    }
}
