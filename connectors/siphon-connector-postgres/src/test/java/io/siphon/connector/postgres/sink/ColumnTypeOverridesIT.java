package io.siphon.connector.postgres.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.Pg;
import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.WriteMode;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink's column-types: columns created with the user's type, judged against the source's. */
class ColumnTypeOverridesIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    private static final TableId TARGET = TableId.of("public", "orders");
    private static final TableSchema ORDERS =
            new TableSchema(
                    TableId.of("shop", "orders"),
                    List.of(
                            new Column("id", new DataType.Int32(), false, null),
                            Column.of("note", DataType.StringType.unbounded()),
                            Column.of("total", new DataType.DecimalType(10, 2)),
                            Column.of("span", new DataType.DurationType(0))),
                    List.of("id"));

    private static PostgresConnector sink(String db, Map<String, String> columnTypes) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", PG.server().jdbcUrl(db));
        raw.put("user", PostgresServer.USER);
        raw.put("column-types", columnTypes);
        return (PostgresConnector)
                new PostgresConnectorFactory()
                        .create(Config.of(raw, PostgresOptions.ALL, List.of()));
    }

    private static Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("public.orders.note", "varchar(200)");
        m.put("public.orders.total", "numeric(20,4)");
        m.put("public.orders.span", "time");
        return m;
    }

    private List<String> select(String db, String sql) throws Exception {
        return Pg.rows(PG.server(), db, sql);
    }

    private List<String> columns(String db, String table) throws Exception {
        return select(
                db,
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = '"
                        + table
                        + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }

    @Test
    void createsOverriddenColumnsWithTheUsersTypeAndWritesIntoThem() throws Exception {
        String db = PG.server().createDatabase("overrides");
        try (PostgresConnector sink = sink(db, overrides())) {
            sink.sink().prepareTable(ORDERS, TARGET, "mysql");
            assertThat(columns(db, "public.orders"))
                    .containsExactly(
                            "id|integer",
                            "note|character varying(200)",
                            "total|numeric(20,4)",
                            "span|time without time zone");
            try (SinkWriter w = sink.sink().openWriter()) {
                w.write(
                        ORDERS.withId(TARGET),
                        List.of(
                                Row.of(
                                        1,
                                        "short",
                                        new java.math.BigDecimal("12.50"),
                                        Duration.ofHours(13).plusMinutes(5))),
                        WriteMode.BULK_APPEND);
                w.flush();
            }
            assertThat(select(db, "SELECT id, note, total, span FROM public.orders"))
                    .containsExactly("1|short|12.5000|13:05:00");
            // Preparing again (a rerun) does not take the chosen varchar(200) for a narrowing.
            assertThat(sink.sink().checkTable(ORDERS, TARGET, "mysql")).isEmpty();
            sink.sink().prepareTable(ORDERS, TARGET, "mysql");
        }
    }

    @Test
    void warnsOfOverridesThatMayNotHoldEverySourceValueButNotOfWiderOnes() {
        String db = PG.server().createDatabase("overrides");
        try (PostgresConnector sink = sink(db, overrides())) {
            List<Problem> warnings = sink.sink().tableWarnings(ORDERS, TARGET, "mysql");
            assertThat(warnings)
                    .extracting(Problem::message)
                    .satisfiesExactly(
                            m -> assertThat(m).contains("note", "varchar(200)", "DATA_INVALID"),
                            m -> assertThat(m).contains("span", "time"));
        }
    }

    @Test
    void aValueTheOverrideCannotHoldIsRefusedNamingTheColumn() {
        String db = PG.server().createDatabase("overrides");
        try (PostgresConnector sink = sink(db, overrides())) {
            sink.sink().prepareTable(ORDERS, TARGET, "mysql");
            assertThatThrownBy(
                            () -> {
                                try (SinkWriter w = sink.sink().openWriter()) {
                                    w.write(
                                            ORDERS.withId(TARGET),
                                            List.of(Row.of(1, "x", null, Duration.ofHours(30))),
                                            WriteMode.BULK_APPEND);
                                    w.flush();
                                }
                            })
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID);
                                assertThat(e.getMessage()).contains("span");
                            });
        }
    }

    @Test
    void anOverrideWithATypeTheTargetDoesNotKnowIsAProblem() {
        String db = PG.server().createDatabase("overrides");
        try (PostgresConnector sink = sink(db, Map.of("public.orders.note", "varchr(200)"))) {
            assertThat(sink.sink().checkTable(ORDERS, TARGET, "mysql"))
                    .singleElement()
                    .satisfies(
                            p -> {
                                assertThat(p.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
                                assertThat(p.message()).contains("varchr(200)", "note");
                            });
        }
    }

    @Test
    void columnsAddedByTheStreamGetTheirOverrideAndKeepItWhenTheSourceRetypesThem()
            throws Exception {
        String db = PG.server().createDatabase("overrides");
        Map<String, String> m = overrides();
        m.put("public.orders.code", "char(3)");
        try (PostgresConnector sink = sink(db, m)) {
            sink.sink().prepareTable(ORDERS, TARGET, "mysql");
            try (SinkWriter w = sink.sink().openWriter()) {
                TableSchema t = ORDERS.withId(TARGET);
                t =
                        w.applySchemaChange(
                                t,
                                new ChangeEvent.AddColumn(
                                        ORDERS.id(),
                                        Column.of("code", DataType.StringType.unbounded()),
                                        null,
                                        EventMeta.NONE));
                w.applySchemaChange(
                        t,
                        new ChangeEvent.AlterColumnType(
                                ORDERS.id(),
                                Column.of("note", new DataType.StringType(500, false)),
                                EventMeta.NONE));
                w.flush();
            }
            assertThat(columns(db, "public.orders"))
                    .contains("code|character(3)", "note|character varying(200)");
        }
    }
}
