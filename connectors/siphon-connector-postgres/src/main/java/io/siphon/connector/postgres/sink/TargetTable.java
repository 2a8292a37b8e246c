package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.types.CopyBinaryEncoder;
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
                    + " coalesce(b.typtype, t.typtype) = 'c', a.atttypid::int8,"
                    // The element only of a true array type: point, name and int2vector have an
                    // element type too, but not the array's binary format.
                    + " CASE WHEN e.typarray = a.atttypid THEN t.typelem ELSE 0 END::int8"
                    + " FROM pg_catalog.pg_attribute a"
                    + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_catalog.pg_type b ON b.oid = nullif(t.typbasetype, 0)"
                    + " LEFT JOIN pg_catalog.pg_type e ON e.oid = nullif(t.typelem, 0)"
                    + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped";

    /** Staged row to insert, or overwrite whole by key. */
    static final char UPSERT = 'u';

    /** Staged row whose unchanged columns come from a row at the target. */
    static final char PARTIAL = 'p';

    /** Staged key (or, without a key, whole row) to delete. */
    static final char DELETE = 'd';

    /** Staged row to insert into a table without a key. */
    static final char INSERT = 'i';

    private static final int MAX_DEAD_STAGE_ROWS = 2000;

    final TableSchema schema;
    private final String[] targetTypes;
    private final boolean[] fromJson;
    private final boolean needsConversion;
    private final CopyBinaryEncoder.FieldEncoder[] binary;
    private String stage;
    private int deadStageRows;
    private int stagedRows;

    private TargetTable(
            TableSchema schema,
            String[] targetTypes,
            boolean[] fromJson,
            CopyBinaryEncoder.FieldEncoder[] binary) {
        this.schema = schema;
        this.targetTypes = targetTypes;
        this.fromJson = fromJson;
        boolean any = false;
        for (boolean b : fromJson) {
            any |= b;
        }
        this.needsConversion = any;
        this.binary = binary;
    }

    /** A column as the target declares it. */
    private record TargetColumn(String type, boolean composite, long oid, long elementOid) {}

    /** Reads the target's column types. */
    static TargetTable load(Connection c, TableSchema schema) throws SQLException {
        Map<String, TargetColumn> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMN_TYPES)) {
            ps.setString(1, SqlText.quote(schema.id()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(
                            rs.getString(1),
                            new TargetColumn(
                                    rs.getString(2),
                                    rs.getBoolean(3),
                                    rs.getLong(4),
                                    rs.getLong(5)));
                }
            }
        }
        List<Column> columns = schema.columns();
        String[] types = new String[columns.size()];
        boolean[] fromJson = new boolean[columns.size()];
        CopyBinaryEncoder.FieldEncoder[] binary =
                new CopyBinaryEncoder.FieldEncoder[columns.size()];
        boolean allBinary = true;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn target = found.get(columns.get(i).name());
            if (target == null) {
                missing.add(columns.get(i).name());
                continue;
            }
            types[i] = target.type();
            fromJson[i] = target.composite() && columns.get(i).type() instanceof DataType.JsonType;
            binary[i] =
                    CopyBinaryEncoder.forColumn(
                            columns.get(i).type(), target.oid(), target.elementOid());
            allBinary &= binary[i] != null;
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
        return new TargetTable(schema, types, fromJson, allBinary ? binary : null);
    }

    /** Whether rows must go through the stage table even for plain appends. */
    boolean needsConversion() {
        return needsConversion;
    }

    /** The temporary stage table's name, once created. */
    String stage() {
        return stage;
    }

    /**
     * The encoder of each column for a binary COPY, or null when some column has no exact binary
     * encoding for its target type and the table is written in text format. Decided once per table,
     * from the target's column types; the stage's columns have the same types.
     */
    CopyBinaryEncoder.FieldEncoder[] binaryEncoders() {
        return binary;
    }

    /** {@code COPY "s"."t" ("a", "b") FROM STDIN}: straight into the target. */
    String copyIntoTarget() {
        return "COPY "
                + SqlText.quote(schema.id())
                + " ("
                + SqlText.quoteAll(schema.columnNames())
                + ") FROM STDIN"
                + format();
    }

    /** The COPY option of the format rows are written in. */
    private String format() {
        return binary != null ? " (FORMAT binary)" : "";
    }

    /**
     * Creates the stage: a temporary table with one column per written column ({@code v1}, {@code
     * v2}, ... so that no user column name can clash) in the target's types (JSON for columns
     * converted on the server), the row's position in its batch, and for applied changes what to do
     * with the row ({@link #UPSERT}, ...), which of its columns are unchanged and, for tables with
     * a key, the key of the target row that supplies those ({@code f1}, ...). Emptied at every
     * commit.
     */
    String createStage(String name) {
        this.stage = "pg_temp." + SqlText.quote(name);
        this.deadStageRows = 0;
        this.stagedRows = 0;
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < targetTypes.length; i++) {
            columns.add("v" + (i + 1) + " " + stageType(i));
        }
        columns.add("siphon_ord int8");
        columns.add("siphon_op \"char\"");
        columns.add("siphon_unchanged boolean[]");
        int[] key = schema.keyIndexes();
        for (int k = 0; k < key.length; k++) {
            columns.add("f" + (k + 1) + " " + stageType(key[k]));
        }
        return "CREATE TEMPORARY TABLE "
                + stage
                + " ("
                + String.join(", ", columns)
                + ") ON COMMIT DELETE ROWS";
    }

    private String stageType(int i) {
        return fromJson[i] ? "json" : targetTypes[i];
    }

    /** Forgets the stage (it went with a rolled-back transaction). */
    void forgetStage() {
        stage = null;
    }

    /** Drops the stage, when the table's columns changed and a new stage replaces it. */
    String dropStage() {
        return "DROP TABLE IF EXISTS " + stage;
    }

    String copyIntoStage() {
        return "COPY "
                + stage
                + " ("
                + String.join(", ", stageColumns(false))
                + ") FROM STDIN"
                + format();
    }

    /**
     * The COPY of applied changes: every stage column, in the order {@link PostgresSinkWriter}'s
     * lines carry them.
     */
    String copyChangesIntoStage() {
        return "COPY "
                + stage
                + " ("
                + String.join(", ", stageColumns(true))
                + ") FROM STDIN"
                + format();
    }

    private List<String> stageColumns(boolean changes) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < targetTypes.length; i++) {
            columns.add("v" + (i + 1));
        }
        columns.add("siphon_ord");
        if (changes) {
            columns.add("siphon_op");
            columns.add("siphon_unchanged");
            for (int k = 0; k < schema.primaryKey().size(); k++) {
                columns.add("f" + (k + 1));
            }
        }
        return columns;
    }

    private String only(char op) {
        return " WHERE s.siphon_op = '" + op + "'";
    }

    /** A stage column as the target's value: composites built from their JSON. */
    private String value(String stageColumn, int i) {
        String v = "s." + stageColumn;
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

    private String value(int i) {
        return value("v" + (i + 1), i);
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
        return appendFromStage("");
    }

    /** Appends the staged rows to insert into a table without a key. */
    String insertFromStage() {
        return appendFromStage(only(INSERT));
    }

    private String appendFromStage(String where) {
        return "INSERT INTO "
                + SqlText.quote(schema.id())
                + " ("
                + SqlText.quoteAll(schema.columnNames())
                + ") SELECT "
                + String.join(", ", values())
                + " FROM "
                + stage
                + " s"
                + where;
    }

    /**
     * Upserts the staged rows by key: of rows with the same key only the last in the batch is kept
     * (ON CONFLICT may touch a row once per statement), then every non-key column is overwritten,
     * or nothing happens when all columns are key.
     */
    String upsertFromStage() {
        return upsertFromStage("");
    }

    /** Upserts the staged {@link #UPSERT} rows of applied changes. */
    String upsertChangesFromStage() {
        return upsertFromStage(only(UPSERT));
    }

    private String upsertFromStage(String where) {
        List<String> keyValues = new ArrayList<>();
        for (int k : schema.keyIndexes()) {
            keyValues.add(value(k));
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
                + " s"
                + where
                + " ORDER BY "
                + keys
                + ", s.siphon_ord DESC"
                + onConflictUpdate();
    }

    private String onConflictUpdate() {
        List<String> updates = new ArrayList<>();
        for (String column : schema.columnNames()) {
            if (!schema.primaryKey().contains(column)) {
                String q = SqlText.quote(column);
                updates.add(q + " = EXCLUDED." + q);
            }
        }
        return " ON CONFLICT ("
                + SqlText.quoteAll(schema.primaryKey())
                + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
    }

    /** {@code o."k1" = <f1> AND ...}: the target row {@code o} that a staged row names. */
    private String sourceRowMatch() {
        int[] key = schema.keyIndexes();
        List<String> match = new ArrayList<>();
        for (int k = 0; k < key.length; k++) {
            match.add(
                    "o."
                            + SqlText.quote(schema.primaryKey().get(k))
                            + " = "
                            + value("f" + (k + 1), key[k]));
        }
        return String.join(" AND ", match);
    }

    /**
     * Writes the staged {@link #PARTIAL} rows: each column marked unchanged takes its value from
     * the target row named by the row's {@code f} key (its own key, or its old one when an update
     * changed the key), the others come from the stage. One statement, so every row reads the
     * target as it was before it (PostgreSQL does not show a statement its own writes). Rows whose
     * source row is missing are not written; the update count tells how many were.
     */
    String mergePartialFromStage() {
        List<String> values = new ArrayList<>();
        List<String> key = schema.primaryKey();
        List<Column> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (key.contains(columns.get(i).name())) {
                values.add(value(i));
            } else {
                values.add(
                        "CASE WHEN s.siphon_unchanged["
                                + (i + 1)
                                + "] THEN o."
                                + SqlText.quote(columns.get(i).name())
                                + " ELSE "
                                + value(i)
                                + " END");
            }
        }
        return "INSERT INTO "
                + SqlText.quote(schema.id())
                + " AS t ("
                + SqlText.quoteAll(schema.columnNames())
                + ") SELECT "
                + String.join(", ", values)
                + " FROM "
                + stage
                + " s JOIN "
                + SqlText.quote(schema.id())
                + " o ON "
                + sourceRowMatch()
                + " WHERE s.siphon_op = '"
                + PARTIAL
                + "'"
                + onConflictUpdate();
    }

    /**
     * Up to {@code limit} keys (as text) of staged {@link #PARTIAL} rows whose source row is
     * missing.
     */
    String missingPartialSources(int limit) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < schema.primaryKey().size(); k++) {
            keys.add("s.f" + (k + 1));
        }
        return "SELECT ROW("
                + String.join(", ", keys)
                + ")::text FROM "
                + stage
                + " s WHERE s.siphon_op = '"
                + PARTIAL
                + "' AND NOT EXISTS (SELECT 1 FROM "
                + SqlText.quote(schema.id())
                + " o WHERE "
                + sourceRowMatch()
                + ") ORDER BY s.siphon_ord LIMIT "
                + limit;
    }

    /** Deletes the rows whose keys are staged as {@link #DELETE}. */
    String deleteKeysFromStage() {
        List<String> match = new ArrayList<>();
        for (int k : schema.keyIndexes()) {
            match.add("t." + SqlText.quote(schema.columns().get(k).name()) + " = " + value(k));
        }
        return "DELETE FROM "
                + SqlText.quote(schema.id())
                + " AS t USING "
                + stage
                + " s WHERE s.siphon_op = '"
                + DELETE
                + "' AND "
                + String.join(" AND ", match);
    }

    /**
     * Deletes, for a table without a key, one target row per staged {@link #DELETE} row that equals
     * it: n identical staged rows delete n identical target rows (each picked by its {@code ctid},
     * with its {@code tableoid} because ctids repeat across the partitions of a partitioned table),
     * never more. Rows are compared by the text form of all their values, as {@link
     * #insertMissingFromStage} does.
     */
    String deleteMatchingFromStage() {
        List<String> targetColumns = new ArrayList<>();
        for (String column : schema.columnNames()) {
            targetColumns.add("m." + SqlText.quote(column));
        }
        String targetRow = "ROW(" + String.join(", ", targetColumns) + ")::text";
        return "WITH d AS (SELECT ROW("
                + String.join(", ", values())
                + ")::text AS r, count(*) AS n FROM "
                + stage
                + " s"
                + only(DELETE)
                + " GROUP BY 1), x AS (SELECT m.tableoid AS rel, m.ctid AS id, "
                + targetRow
                + " AS r, row_number() OVER (PARTITION BY "
                + targetRow
                + ") AS rn FROM "
                + SqlText.quote(schema.id())
                + " m WHERE "
                + targetRow
                + " IN (SELECT r FROM d)) DELETE FROM "
                + SqlText.quote(schema.id())
                + " AS t USING x JOIN d ON d.r = x.r"
                + " WHERE t.tableoid = x.rel AND t.ctid = x.id AND x.rn <= d.n";
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

    /**
     * Notes that a merge of {@code rows} staged rows is done: they stay in the stage until the
     * commit empties it ({@code ON COMMIT DELETE ROWS}) or the stage is used again before it
     * ({@link #emptyStage()}), so a flush that stages each table once pays no statement for it.
     */
    void merged(int rows) {
        stagedRows += rows;
    }

    /** Whether merged rows are still in the stage, so it must be emptied before it is used. */
    boolean stageHoldsRows() {
        return stagedRows > 0;
    }

    /** Notes that a commit emptied the stage. */
    void committed() {
        stagedRows = 0;
        deadStageRows = 0;
    }

    /**
     * Empties the stage of the rows merged since it was last emptied. Deleting a few rows costs far
     * less than TRUNCATE, which gives the table new files (measured: a one-row change took 0.3 ms
     * with DELETE, 0.7 to 1.2 ms with TRUNCATE); but deleted rows stay in the table until the
     * commit empties it, and every later merge scans them, so once {@value #MAX_DEAD_STAGE_ROWS}
     * have piled up the stage is truncated.
     */
    String emptyStage() {
        deadStageRows += stagedRows;
        stagedRows = 0;
        if (deadStageRows < MAX_DEAD_STAGE_ROWS) {
            return "DELETE FROM " + stage;
        }
        deadStageRows = 0;
        return "TRUNCATE " + stage;
    }

    /** Empties the target table (a truncate at the source). */
    String truncateTarget() {
        return "TRUNCATE " + SqlText.quote(schema.id());
    }
}
