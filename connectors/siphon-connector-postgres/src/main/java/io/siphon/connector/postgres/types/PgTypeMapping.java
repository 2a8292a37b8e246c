package io.siphon.connector.postgres.types;

import io.siphon.connector.support.jdbc.ColumnMapping;
import io.siphon.connector.support.jdbc.ColumnRole;
import io.siphon.connector.support.jdbc.TypeMapper;
import io.siphon.connector.support.jdbc.WriteMapping;
import io.siphon.model.DataType;
import io.siphon.model.DataType.ArrayType;
import io.siphon.model.DataType.BinaryType;
import io.siphon.model.DataType.BitType;
import io.siphon.model.DataType.BooleanType;
import io.siphon.model.DataType.DateType;
import io.siphon.model.DataType.DecimalType;
import io.siphon.model.DataType.DurationType;
import io.siphon.model.DataType.EnumType;
import io.siphon.model.DataType.Float32;
import io.siphon.model.DataType.Float64;
import io.siphon.model.DataType.GeometryType;
import io.siphon.model.DataType.Int16;
import io.siphon.model.DataType.Int32;
import io.siphon.model.DataType.Int64;
import io.siphon.model.DataType.IntervalType;
import io.siphon.model.DataType.JsonType;
import io.siphon.model.DataType.OtherType;
import io.siphon.model.DataType.SetType;
import io.siphon.model.DataType.StringType;
import io.siphon.model.DataType.TimeType;
import io.siphon.model.DataType.TimestampType;
import io.siphon.model.DataType.TimestampTzType;
import io.siphon.model.DataType.UInt64;
import io.siphon.model.DataType.UuidType;
import io.siphon.model.DataType.YearType;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Map;

/**
 * The one mapping between PostgreSQL types and Siphon {@link DataType}s, both ways. The docs page
 * (docs/connectors/postgres.md) shows the same table; change both together.
 *
 * <p>Reading: built-in scalar types map to their portable twin; domains map as their base type;
 * enums to {@link EnumType}; composite types to {@link JsonType} (the value is the row as JSON);
 * bit strings to {@link BitType}; arrays to {@link ArrayType} of the element's mapping, except
 * arrays of composite types, which stay {@link OtherType} in PostgreSQL's text form; everything
 * else (network, text search, geometric, ranges, {@code timetz}, {@code xml}, oid types, types from
 * extensions) is {@link OtherType} carrying PostgreSQL's text form, so nothing is ever dropped.
 *
 * <p>{@code money} maps to an unbounded {@link DecimalType}: the value is read as {@code
 * money::numeric}, which is exact and does not depend on {@code lc_monetary} the way money's text
 * form does.
 */
public final class PgTypeMapping implements TypeMapper<PgTypeMapping.NativeColumn> {

    /** The PostgreSQL family's {@link TypeMapper}. */
    public static final PgTypeMapping INSTANCE = new PgTypeMapping();

    private static final int VARHDRSZ = 4;
    private static final int NAME_LENGTH = 63;

    private PgTypeMapping() {}

    /**
     * A column's type as the catalog describes it.
     *
     * @param type the column's type
     * @param typmod the column's type modifier ({@code atttypmod}), -1 for none
     * @param types every type the column's type refers to (elements, domain bases), by oid
     */
    public record NativeColumn(PgType type, int typmod, Map<Long, PgType> types) {

        /** Copies the types. */
        public NativeColumn {
            types = Map.copyOf(types);
        }
    }

    @Override
    public String family() {
        return "postgres";
    }

    @Override
    public ColumnMapping toColumnMapping(NativeColumn column) {
        return new ColumnMapping(
                toDataType(column.type(), column.typmod(), column.types()),
                column.type().qualifiedName());
    }

    /**
     * {@link #toPostgresType}, whatever the role: PostgreSQL keys every type it can compare,
     * unbounded {@code text} included.
     */
    @Override
    public WriteMapping toWriteMapping(DataType type, ColumnRole role) {
        return new WriteMapping(toPostgresType(type));
    }

    /**
     * The portable type of a column.
     *
     * @param type the column's type
     * @param typmod the column's type modifier ({@code atttypmod}), -1 for none
     * @param types every type the column's type refers to (elements, domain bases), by oid
     */
    public static DataType toDataType(PgType type, int typmod, Map<Long, PgType> types) {
        return switch (type.kind()) {
            case 'd' -> {
                PgType base = lookup(type.baseOid(), types);
                yield toDataType(
                        base, type.domainTypmod() >= 0 ? type.domainTypmod() : typmod, types);
            }
            case 'e' -> new EnumType(type.qualifiedName(), type.enumLabels());
            case 'c' -> new JsonType(false);
            case 'b' -> type.isArray() ? arrayType(type, typmod, types) : baseType(type, typmod);
            default -> new OtherType(type.qualifiedName());
        };
    }

    private static DataType arrayType(PgType array, int typmod, Map<Long, PgType> types) {
        PgType element = withoutDomains(lookup(array.elementOid(), types), types);
        if (element.kind() == 'c') {
            return new OtherType(element.qualifiedName() + "[]");
        }
        return new ArrayType(toDataType(lookup(array.elementOid(), types), typmod, types));
    }

    /** The type itself, or the base type at the end of its chain of domains. */
    private static PgType withoutDomains(PgType type, Map<Long, PgType> types) {
        PgType t = type;
        while (t.kind() == 'd') {
            t = lookup(t.baseOid(), types);
        }
        return t;
    }

    private static DataType baseType(PgType type, int typmod) {
        if (!type.builtIn()) {
            return new OtherType(type.qualifiedName());
        }
        return switch (type.name()) {
            case "bool" -> new BooleanType();
            case "int2" -> new Int16();
            case "int4" -> new Int32();
            case "int8" -> new Int64();
            case "numeric" -> numeric(typmod);
            case "money" -> new DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED);
            case "float4" -> new Float32();
            case "float8" -> new Float64();
            case "text" -> StringType.unbounded();
            case "varchar" -> new StringType(length(typmod), false);
            case "bpchar" -> new StringType(length(typmod), true);
            case "name" -> new StringType(NAME_LENGTH, false);
            case "bytea" -> new BinaryType(DataType.UNBOUNDED);
            case "bit" -> new BitType(typmod > 0 ? typmod : 1, false);
            case "varbit" -> new BitType(typmod > 0 ? typmod : DataType.UNBOUNDED, true);
            case "date" -> new DateType();
            case "time" -> new TimeType(precision(typmod));
            case "timestamp" -> new TimestampType(precision(typmod));
            case "timestamptz" -> new TimestampTzType(precision(typmod));
            case "interval" -> new IntervalType();
            case "uuid" -> new UuidType();
            case "json" -> new JsonType(false);
            case "jsonb" -> new JsonType(true);
            default -> new OtherType(type.qualifiedName());
        };
    }

    private static DataType numeric(int typmod) {
        if (typmod < VARHDRSZ) {
            return new DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED);
        }
        int t = typmod - VARHDRSZ;
        int precision = (t >> 16) & 0xffff;
        // The scale is an 11-bit signed field: PostgreSQL 15+ allows negative scales.
        int scale = ((t & 0x7ff) ^ 1024) - 1024;
        return new DecimalType(precision, scale);
    }

    private static int length(int typmod) {
        return typmod >= VARHDRSZ ? typmod - VARHDRSZ : DataType.UNBOUNDED;
    }

    private static int precision(int typmod) {
        return typmod >= 0 ? typmod : DataType.UNBOUNDED;
    }

    private static PgType lookup(long oid, Map<Long, PgType> types) {
        PgType t = types.get(oid);
        if (t == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "type with oid " + oid + " was not loaded");
        }
        return t;
    }

    /**
     * The PostgreSQL type to create for a portable type that did not come from PostgreSQL (or whose
     * native type does not exist at the target): the closest built-in type that holds every value
     * exactly ({@code numeric(20,0)} for an unsigned 64-bit integer, {@code interval} for a
     * duration, {@code smallint} for a year, {@code text[]} for a set), {@code text} for values
     * that are carried as text.
     */
    public static String toPostgresType(DataType type) {
        return switch (type) {
            case BooleanType b -> "boolean";
            case Int16 i -> "smallint";
            case Int32 i -> "integer";
            case Int64 i -> "bigint";
            case UInt64 i -> "numeric(20,0)";
            case YearType y -> "smallint";
            case DecimalType d ->
                    d.precision() > 0 && d.precision() <= 1000
                            ? "numeric(" + d.precision() + "," + Math.max(0, d.scale()) + ")"
                            : "numeric";
            case Float32 f -> "real";
            case Float64 f -> "double precision";
            case StringType s -> stringType(s);
            case BinaryType b -> "bytea";
            case DateType d -> "date";
            case TimeType t -> "time" + precisionSuffix(t.precision()) + " without time zone";
            case DurationType t -> "interval" + precisionSuffix(t.precision());
            case TimestampType t ->
                    "timestamp" + precisionSuffix(t.precision()) + " without time zone";
            case TimestampTzType t ->
                    "timestamp" + precisionSuffix(t.precision()) + " with time zone";
            case IntervalType i -> "interval";
            case UuidType u -> "uuid";
            case JsonType j -> j.binary() ? "jsonb" : "json";
            case ArrayType a -> toPostgresType(a.element()) + "[]";
            case EnumType e -> "text";
            case SetType t -> "text[]";
            case BitType b -> bitType(b);
            case GeometryType g -> "text";
            case OtherType o -> "text";
        };
    }

    private static String stringType(StringType s) {
        // PostgreSQL's limit for a declared length; longer (or unbounded) becomes text.
        int maxDeclared = 10_485_760;
        if (s.maxLength() <= 0 || s.maxLength() > maxDeclared) {
            return s.fixed() && s.maxLength() == DataType.UNBOUNDED ? "bpchar" : "text";
        }
        return (s.fixed() ? "character(" : "character varying(") + s.maxLength() + ")";
    }

    private static String bitType(BitType b) {
        if (b.varying()) {
            return b.length() > 0 ? "bit varying(" + b.length() + ")" : "bit varying";
        }
        return "bit(" + Math.max(1, b.length()) + ")";
    }

    private static String precisionSuffix(int precision) {
        return precision >= 0 ? "(" + Math.min(precision, 6) + ")" : "";
    }
}
