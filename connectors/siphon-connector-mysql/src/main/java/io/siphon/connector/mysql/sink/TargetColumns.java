package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.types.MySqlColumnType;
import io.siphon.connector.mysql.types.MySqlTypeMapper;
import io.siphon.connector.support.jdbc.ColumnRole;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ColumnTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which native type each column of a target table is created with, and the {@code CREATE TABLE}
 * that makes it: the one place {@link MySqlSink#prepareTable} and {@link MySqlSchemaApplier} choose
 * types, so that a table created at the start and a column added while streaming agree.
 *
 * <p>A column keeps its native type when it has one that MySQL reads as the same portable type (a
 * MySQL source's {@code int(10) unsigned}, {@code enum(...)}); otherwise, and always for types
 * whose capacity is in bytes ({@code TEXT}, {@code BLOB}: another family's {@code text} is
 * unbounded) and for spatial types (their values travel as WKT text), the family's write mapping
 * decides. A column the sink's {@code column-types} names is created with the type given there,
 * whatever the source's.
 */
final class TargetColumns {

    /** A declaration MySQL can take verbatim: a name, optional arguments, optional flags. */
    private static final Pattern NATIVE =
            Pattern.compile(
                    "[a-z]+(\\((\\d+(,\\d+)?|('([^']|'')*')(,'([^']|'')*')*)\\))?( unsigned)?( zerofill)?");

    /** Types whose capacity is counted in bytes, which a source of another family may exceed. */
    private static final Set<String> BYTE_LIMITED =
            Set.of("tinytext", "text", "mediumtext", "tinyblob", "blob", "mediumblob");

    private final MySqlTypeMapper types;
    private final ColumnTypes overrides;

    TargetColumns(MySqlTypeMapper types, ColumnTypes overrides) {
        this.types = types;
        this.overrides = overrides;
    }

    /** The native type of a column of target table {@code target}, as DDL text. */
    String typeOf(TableId target, Column column, boolean key, boolean nativeAllowed) {
        String override = overrides.forTable(target).get(column.name());
        if (override != null) {
            return override;
        }
        if (nativeAllowed && nativeTypeFits(column)) {
            return column.nativeType();
        }
        return types.toWriteMapping(column.type(), key ? ColumnRole.KEY : ColumnRole.VALUE)
                .nativeType();
    }

    /** Whether the column's native type means the same here. */
    boolean nativeTypeFits(Column column) {
        String declared = column.nativeType();
        if (declared == null || !NATIVE.matcher(declared).matches()) {
            return false;
        }
        String name = declared.split("[( ]", 2)[0].toLowerCase(Locale.ROOT);
        if (BYTE_LIMITED.contains(name)) {
            return false;
        }
        DataType read = types.toColumnMapping(MySqlColumnType.of(name, declared)).type();
        // Spatial values travel as WKT text, which a spatial column refuses: they land as text.
        return read.equals(column.type()) && !(read instanceof DataType.GeometryType);
    }

    /** The type mapping this chooses by. */
    MySqlTypeMapper types() {
        return types;
    }

    /**
     * The column as the target holds it once created: its native type there, and the portable type
     * MySQL reads that native type as.
     */
    Column asCreated(TableId target, Column column, boolean key, boolean nativeAllowed) {
        String declared = typeOf(target, column, key, nativeAllowed);
        String name = declared.split("[( ]", 2)[0].toLowerCase(Locale.ROOT);
        return new Column(
                column.name(),
                types.toColumnMapping(MySqlColumnType.of(name, declared)).type(),
                column.nullable(),
                declared);
    }

    /** The definition of one column: name, type, nullability. */
    String definition(TableId target, Column column, boolean key, boolean nativeAllowed) {
        return SqlText.quote(column.name())
                + " "
                + typeOf(target, column, key, nativeAllowed)
                + (column.nullable() && !key ? " NULL" : " NOT NULL");
    }

    /**
     * {@code CREATE TABLE} for a source schema under the target's name: InnoDB (transactions),
     * utf8mb4 with the binary collation, the source's primary key.
     */
    String createTable(TableSchema source, TableId target, boolean nativeAllowed) {
        List<String> parts = new ArrayList<>();
        for (Column column : source.columns()) {
            parts.add(
                    definition(
                            target,
                            column,
                            source.primaryKey().contains(column.name()),
                            nativeAllowed));
        }
        if (source.hasPrimaryKey()) {
            parts.add("PRIMARY KEY (" + SqlText.quoteAll(source.primaryKey()) + ")");
        }
        return "CREATE TABLE "
                + SqlText.quote(target)
                + " ("
                + String.join(", ", parts)
                + ") ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE "
                + types.flavor().binaryCollation();
    }
}
