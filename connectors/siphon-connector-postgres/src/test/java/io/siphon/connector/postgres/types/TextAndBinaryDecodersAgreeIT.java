package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.catalog.TypeCatalog;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.testkit.pg.PostgresTypeMatrix;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * For every column and row of the type matrix, the value the change stream decodes from the text
 * form equals the value the snapshot decodes from the binary form, and the stream maps every column
 * to the same portable and native type as discovery.
 *
 * <p>The text forms are read on a replication connection in simple query mode: the same session
 * setup and the same output functions as the values pgoutput sends.
 */
class TextAndBinaryDecodersAgreeIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static PostgresConnector connector;
    private static TableSchema schema;
    private static List<Row> binaryRows;

    @BeforeAll
    static void readTheMatrixAsTheSnapshotDoes() {
        String db = PG.server().createDatabase("agree");
        PostgresTypeMatrix.sourceStatements().forEach(sql -> PG.server().execute(db, sql));
        connector = Pg.connector(PG.server(), db);
        schema = Pg.discover(connector, PostgresTypeMatrix.TABLE);
        binaryRows = new ArrayList<>(Pg.readAll(connector, schema, 1000));
        binaryRows.sort(Comparator.comparing(r -> (Integer) r.get(0)));
    }

    @Test
    void textAndBinaryGiveEqualValuesForEveryColumn() throws Exception {
        List<Column> columns = schema.columns();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).name()).append('"');
        }
        select.append(" FROM public.type_matrix ORDER BY id");
        List<long[]> types = columnTypes();
        int compared = 0;
        try (Connection text = connector.endpoint().connectForReplication();
                Connection catalog = connector.endpoint().connect();
                Statement s = text.createStatement();
                ResultSet rs = s.executeQuery(select.toString())) {
            TypeCatalog typeCatalog = new TypeCatalog(catalog);
            for (int row = 0; rs.next(); row++) {
                for (int i = 0; i < columns.size(); i++) {
                    Column column = columns.get(i);
                    long oid = types.get(i)[0];
                    int typmod = (int) types.get(i)[1];
                    String value = rs.getString(i + 1);
                    Object decoded =
                            value == null
                                    ? null
                                    : typeCatalog.textDecoder(oid, typmod).decode(value);
                    assertThat(comparable(decoded))
                            .as("%s in row %d, text %s", column.name(), row + 1, value)
                            .isEqualTo(comparable(binaryRows.get(row).get(i)));
                    compared++;
                }
            }
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                long oid = types.get(i)[0];
                int typmod = (int) types.get(i)[1];
                assertThat(typeCatalog.dataType(oid, typmod))
                        .as(column.name())
                        .isEqualTo(column.type());
                assertThat(typeCatalog.nativeType(oid, typmod))
                        .as(column.name())
                        .isEqualTo(column.nativeType());
            }
        }
        assertThat(compared).isEqualTo(PostgresTypeMatrix.ROWS * columns.size());
        assertThat(columns).hasSize(PostgresTypeMatrix.columnNames().size() + 1);
    }

    /** Type oid and modifier of each column, in order. */
    private static List<long[]> columnTypes() throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = connector.endpoint().connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT atttypid, atttypmod FROM pg_catalog.pg_attribute WHERE"
                                        + " attrelid = 'public.type_matrix'::regclass AND attnum > 0"
                                        + " AND NOT attisdropped ORDER BY attnum")) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getInt(2)});
            }
        }
        return out;
    }

    /** Byte arrays as hex, recursively, so that equality compares their contents. */
    static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(comparable(v)));
            return out;
        }
        return value;
    }
}
