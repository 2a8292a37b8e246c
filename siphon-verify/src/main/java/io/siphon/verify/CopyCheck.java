package io.siphon.verify;

import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.TableFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares a source table with its copy in a sink that reads its rows back (Redis, OpenSearch):
 * every row of the source, read through the source connector's snapshot, must be a row the sink
 * keeps, value for value, and the sink must keep no other row of the table. The rows are compared
 * as the change model carries them (one text per row, sorted, then SHA-256), so a value the sink
 * stored in any other form than it read back shows as a difference.
 */
public final class CopyCheck {

    private static final int MAX_DIFFERENCES = 5;
    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .build();

    private CopyCheck() {}

    /**
     * Compares a source table with the rows a sink keeps for its target.
     *
     * @param source a connector to the source (with a snapshot source)
     * @param table the source table
     * @param sink what the sink is called in differences ("Redis")
     * @param target the table's target name
     * @param copy the rows the sink keeps for a target table's schema
     */
    public static Comparison compare(
            Connector source,
            TableId table,
            String sink,
            TableId target,
            Function<TableSchema, List<Row>> copy) {
        TableSchema schema =
                source.discover(
                                TableFilter.of(
                                        List.of(
                                                TableId.quote(table.schema())
                                                        + "."
                                                        + TableId.quote(table.table())),
                                        List.of()))
                        .getFirst();
        TreeSet<String> left = texts(schema, read(source, schema));
        TreeSet<String> right = texts(schema, copy.apply(schema.withId(target)));
        List<String> differences = new ArrayList<>();
        for (String row : left) {
            if (!right.contains(row) && differences.size() < MAX_DIFFERENCES) {
                differences.add("only in the source: " + shortened(row));
            }
        }
        for (String row : right) {
            if (!left.contains(row) && differences.size() < 2 * MAX_DIFFERENCES) {
                differences.add("only in " + sink + ": " + shortened(row));
            }
        }
        return new Comparison(
                table, target, left.size(), right.size(), hash(left), hash(right), differences);
    }

    private static List<Row> read(Connector source, TableSchema table) {
        List<Row> rows = new ArrayList<>();
        SnapshotSource snapshot = source.snapshotSource();
        try (ReadPoint point = snapshot.openReadPoint()) {
            for (SnapshotSplit split : snapshot.planSplits(table, 100_000)) {
                try (SplitReader reader = snapshot.openSplit(table, split, point.token(), 5000)) {
                    for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
                        rows.addAll(batch.rows());
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Each row as one text; JSON values compact, since a JSON row format stores a JSON column as a
     * JSON value, not as the source's text.
     */
    private static TreeSet<String> texts(TableSchema table, List<Row> rows) {
        TreeSet<String> texts = new TreeSet<>();
        for (Row row : rows) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                Object v = row.get(i);
                boolean json = table.columns().get(i).type() instanceof DataType.JsonType;
                values.add(
                        switch (v) {
                            case byte[] bytes -> HexFormat.of().formatHex(bytes);
                            case String text when json -> JSON.readTree(text).toString();
                            case null -> null;
                            default -> v;
                        });
            }
            texts.add(values.toString());
        }
        return texts;
    }

    private static String shortened(String row) {
        return row.length() <= 200 ? row : row.substring(0, 200) + "...";
    }

    private static String hash(TreeSet<String> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String row : rows) {
                sha.update(row.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
