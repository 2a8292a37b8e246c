package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.SqlText;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a writer knows about one target table: the target's type of each written column, which
 * columns need converting on the server (JSON into a composite type, which COPY cannot do), and the
 * statements that write to it. Built once per table per writer.
 */
final class TargetTable {

    private static final String COLUMN_TYPES =
            "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
                    + " coalesce(b.typtype, t.typtype) = 'c'"
                    + " FROM pg_catalog.pg_attribute a"
                    + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_catalog.pg_type b ON b.oid = nullif(t.typbasetype, 0)"
                    + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped";

    final TableSchema schema;
    private final String[] targetTypes;
    private final boolean[] fromJson;
    private final boolean needsConversion;
    private String stage;

    private TargetTable(TableSchema schema, String[] targetTypes, boolean[] fromJson) {
        this.schema = schema;
        this.targetTypes = targetTypes;
        this.fromJson = fromJson;
        boolean any = false;
        for (boolean b : fromJson) {
            any |= b;
        }
        this.needsConversion = any;
    }

    /** A column as the target declares it. */
    private record TargetColumn(String type, boolean composite) {}

    /** Reads the target's column types. */
    static TargetTable load(Connection c, TableSchema schema) throws SQLException {
        Map<String, TargetColumn> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMN_TYPES)) {
            ps.setString(1, SqlText.quote(schema.id()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new TargetColumn(rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        List<Column> columns = schema.columns();
        String[] types = new String[columns.size()];
        boolean[] fromJson = new boolean[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn target = found.get(columns.get(i).name());
            if (target == null) {
                missing.add(columns.get(i).name());
                continue;
            }
            types[i] = target.type();
            fromJson[i] = target.composite() && columns.get(i).type() instanceof DataType.JsonType;
        }
        if (!missing.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Table "
                            + schema.id()
                            + " at the target has no columns "
                            + missing
                            + "; it changed after it was prepared. Add the columns or let the"
                            + " pipeline prepare the table again");
        }
        return new TargetTable(schema, types, fromJson);
    }

    /** Whether rows must go through the stage table even for plain appends. */
    boolean needsConversion() {
        return needsConversion;
    }

    /** The temporary stage table's name, once created. */
    String stage() {
        return stage;
    }

    /** {@code COPY "s"."t" ("a", "b") FROM STDIN}: straight into the target. */
    String copyIntoTarget() {
        return "COPY "
                + SqlText.quote(schema.id())
                + " ("
                + SqlText.quoteAll(schema.columnNames())
                + ") FROM STDIN";
    }

    /**
     * Creates the stage: a temporary table with one column per written column ({@code v1}, {@code
     * v2}, ... so that no user column name can clash) in the target's types (JSON for columns
     * converted on the server) and the row's position in its batch, emptied at every commit.
     */
    String createStage(String name) {
        this.stage = "pg_temp." + SqlText.quote(name);
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < targetTypes.length; i++) {
            columns.add("v" + (i + 1) + " " + (fromJson[i] ? "json" : targetTypes[i]));
        }
        columns.add("siphon_ord int8");
        return "CREATE TEMPORARY TABLE "
                + stage
                + " ("
                + String.join(", ", columns)
                + ") ON COMMIT DELETE ROWS";
    }

    /** Forgets the stage (it went with a rolled-back transaction). */
    void forgetStage() {
        stage = null;
    }

    String copyIntoStage() {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < targetTypes.length; i++) {
            columns.add("v" + (i + 1));
        }
        columns.add("siphon_ord");
        return "COPY " + stage + " (" + String.join(", ", columns) + ") FROM STDIN";
    }

    /** The stage column as the target's value: composites built from their JSON. */
    private String value(int i) {
        String v = "s.v" + (i + 1);
        if (!fromJson[i]) {
            return v;
        }
        return "CASE WHEN "
                + v
                + " IS NULL THEN NULL ELSE pg_catalog.json_populate_record(NULL::"
                + targetTypes[i]
                + ", "
                + v
                + ") END";
    }

    private List<String> values() {
        List<String> out = new ArrayList<>(targetTypes.length);
        for (int i = 0; i < targetTypes.length; i++) {
            out.add(value(i));
        }
        return out;
    }

    /** Appends the staged rows as they are. */
    String appendFromStage() {
        return "INSERT INTO "
                + SqlText.quote(schema.id())
                + " ("
                + SqlText.quoteAll(schema.columnNames())
                + ") SELECT "
                + String.join(", ", values())
                + " FROM "
                + stage
                + " s";
    }

    /**
     * Upserts the staged rows by key: of rows with the same key only the last in the batch is kept
     * (ON CONFLICT may touch a row once per statement), then every non-key column is overwritten,
     * or nothing happens when all columns are key.
     */
    String upsertFromStage() {
        List<String> keyValues = new ArrayList<>();
        for (int k : schema.keyIndexes()) {
            keyValues.add(value(k));
        }
        List<String> updates = new ArrayList<>();
        for (String column : schema.columnNames()) {
            if (!schema.primaryKey().contains(column)) {
                String q = SqlText.quote(column);
                updates.add(q + " = EXCLUDED." + q);
            }
        }
        String keys = String.join(", ", keyValues);
        return "INSERT INTO "
                + SqlText.quote(schema.id())
                + " AS t ("
                + SqlText.quoteAll(schema.columnNames())
                + ") SELECT DISTINCT ON ("
                + keys
                + ") "
                + String.join(", ", values())
                + " FROM "
                + stage
                + " s ORDER BY "
                + keys
                + ", s.siphon_ord DESC ON CONFLICT ("
                + SqlText.quoteAll(schema.primaryKey())
                + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
    }

    /**
     * Inserts the staged rows that are not at the target yet, for tables without a key. Rows are
     * compared by the text form of all their values (so every type compares, even those without an
     * equality operator, and NULLs match NULLs); identical rows in one batch are written once.
     */
    String insertMissingFromStage() {
        List<String> names = new ArrayList<>();
        List<String> aliased = new ArrayList<>();
        List<String> values = values();
        for (int i = 0; i < values.size(); i++) {
            names.add("d.v" + (i + 1));
            aliased.add(values.get(i) + " AS v" + (i + 1));
        }
        List<String> targetColumns = new ArrayList<>();
        for (String column : schema.columnNames()) {
            targetColumns.add("t." + SqlText.quote(column));
        }
        return "INSERT INTO "
                + SqlText.quote(schema.id())
                + " ("
                + SqlText.quoteAll(schema.columnNames())
                + ") SELECT DISTINCT ON (d.siphon_row) "
                + String.join(", ", names)
                + " FROM (SELECT "
                + String.join(", ", aliased)
                + ", ROW("
                + String.join(", ", values)
                + ")::text AS siphon_row FROM "
                + stage
                + " s) d WHERE NOT EXISTS (SELECT 1 FROM "
                + SqlText.quote(schema.id())
                + " t WHERE ROW("
                + String.join(", ", targetColumns)
                + ")::text = d.siphon_row)";
    }

    String truncateStage() {
        return "TRUNCATE " + stage;
    }
}
