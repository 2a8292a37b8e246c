package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.TableFlow;
import io.siphon.engine.ValidationReport;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines with a transform chain, from one PostgreSQL server to another through the engine in
 * this JVM: snapshot rows and streamed changes go through the same operators, and the target holds
 * exactly the rows the chain makes of the source's.
 */
class TransformsPipelineIT {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private static PostgresServer source;
    private static PostgresServer target;
    private static SiphonEngine engine;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() {
        source = PostgresServer.start();
        target = PostgresServer.start();
        engine = SiphonEngine.start(stateDir);
    }

    @AfterAll
    static void stop() {
        engine.close();
        target.close();
        source.close();
    }

    private record Pipeline(String sourceDb, String targetDb, PipelineSpec spec) {}

    private static Pipeline pipeline(String tables, String transforms, String... sourceSql) {
        String name = "transforms-it-" + NAMES.incrementAndGet();
        String sourceDb = source.createDatabase("tf_src");
        String targetDb = target.createDatabase("tf_dst");
        source.execute(sourceDb, sourceSql);
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: %s
                                source:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                  tables: [%s]
                                  heartbeat-interval: 1s
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                mode: snapshot+cdc
                                parallelism: 2
                                checkpoint-interval: 500ms
                                discovery-interval: 0s
                                transforms:
                                %s
                                """
                                        .formatted(
                                                name,
                                                source.jdbcUrl(sourceDb),
                                                tables,
                                                target.jdbcUrl(targetDb),
                                                transforms.indent(2).stripTrailing()),
                                "transforms.yaml");
        return new Pipeline(sourceDb, targetDb, spec);
    }

    private static void awaitStreaming(PipelineRun run) {
        Awaitility.await("streaming")
                .atMost(Duration.ofMinutes(2))
                .until(
                        () -> {
                            RunProgress progress = run.progress();
                            assertThat(progress.phase()).isNotIn(RunPhase.FAILED, RunPhase.STOPPED);
                            return progress.phase() == RunPhase.STREAMING
                                    && progress.stream() != null
                                    && progress.stream().acknowledgedPosition() != null;
                        });
    }

    /** The target's rows, each as its values joined by {@code |}, in the query's order. */
    private static List<String> targetRows(Pipeline p, String sql) throws Exception {
        try (Connection c = target.connect(p.targetDb());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    values.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join("|", values));
            }
            return out;
        }
    }

    private static void awaitRows(PipelineRun run, Pipeline p, String sql, String... expected) {
        Awaitility.await("target rows")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptionsMatching(e -> e instanceof java.sql.SQLException)
                .untilAsserted(
                        () -> {
                            if (run.progress().phase() == RunPhase.FAILED) {
                                throw new AssertionError("run failed: " + run.await().error());
                            }
                            assertThat(targetRows(p, sql)).containsExactly(expected);
                        });
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void stopRun(PipelineRun run) {
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
    }

    private static final String CUSTOMERS =
            """
            CREATE TABLE customers (id int PRIMARY KEY, name text, email text, status text,
              note text, amount numeric(10,2), code text)""";

    private static final String CHAIN =
            """
            - filter: { where: "row.status != 'test'" }
            - compute: { set: { total_cents: "int(math.round(row.amount * 100.0))" } }
            - drop: { columns: [note] }
            - rename: { columns: { name: full_name } }
            - cast: { columns: { code: int32 } }
            - mask: { columns: [email], with: sha256 }""";

    private static final String CUSTOMER_ROWS =
            "SELECT id, full_name, email, status, amount, code, total_cents FROM customers ORDER BY"
                    + " id";

    @Test
    void everyOperatorShapesSnapshotRowsAndStreamedChangesAlike() throws Exception {
        Pipeline p =
                pipeline(
                        "public.customers",
                        CHAIN,
                        CUSTOMERS,
                        "INSERT INTO customers VALUES (1, 'Ann', 'ann@x.org', 'ok', 'n1', 12.34,"
                                + " '7'), (2, 'Bob', 'bob@x.org', 'test', 'n2', 1.00, '8'),"
                                + " (3, 'Cid', 'cid@x.org', 'ok', 'n3', 0.50, '9')");
        PipelineRun run = engine.start(p.spec());
        awaitRows(
                run,
                p,
                CUSTOMER_ROWS,
                "1|Ann|" + sha256("ann@x.org") + "|ok|12.34|7|1234",
                "3|Cid|" + sha256("cid@x.org") + "|ok|0.50|9|50");
        awaitStreaming(run);

        source.execute(
                p.sourceDb(),
                "INSERT INTO customers VALUES (4, 'Dee', 'dee@x.org', 'ok', 'n4', 2.25, '10')",
                "INSERT INTO customers VALUES (5, 'Eve', 'eve@x.org', 'test', 'n5', 3.00, '11')",
                // leaves the predicate: a delete at the target
                "UPDATE customers SET status = 'test' WHERE id = 3",
                // enters the predicate: an insert at the target
                "UPDATE customers SET status = 'ok', amount = 1.10 WHERE id = 2",
                "UPDATE customers SET name = 'Ann B', email = 'ann@y.org', code = '70' WHERE id = 1",
                "DELETE FROM customers WHERE id = 4",
                "INSERT INTO customers VALUES (6, 'Fay', 'fay@x.org', 'ok', 'n6', 9.99, '12')");

        awaitRows(
                run,
                p,
                CUSTOMER_ROWS,
                "1|Ann B|" + sha256("ann@y.org") + "|ok|12.34|70|1234",
                "2|Bob|" + sha256("bob@x.org") + "|ok|1.10|8|110",
                "6|Fay|" + sha256("fay@x.org") + "|ok|9.99|12|999");
        assertThat(
                        targetRows(
                                p,
                                "SELECT column_name || ' ' || data_type FROM"
                                        + " information_schema.columns WHERE table_name ="
                                        + " 'customers' ORDER BY ordinal_position"))
                .containsExactly(
                        "id integer",
                        "full_name text",
                        "email character varying",
                        "status text",
                        "amount numeric",
                        "code integer",
                        "total_cents bigint");
        stopRun(run);
    }

    @Test
    void aJavaScriptFunctionShapesSnapshotRowsAndStreamedChangesAlike() throws Exception {
        Pipeline p =
                pipeline(
                        "public.items",
                        """
                        - script:
                            columns: { total: "decimal(12,2)", tag: string }
                            function: |
                              (row, ctx) => {
                                if (row.status === 'hidden') return null;
                                row.total = row.price * row.qty;
                                row.tag = ctx.op + ':' + row.name.toUpperCase();
                                return row;
                              }""",
                        "CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(10,2),"
                                + " qty int, status text)",
                        "INSERT INTO items VALUES (1, 'pen', 1.25, 4, 'ok'),"
                                + " (2, 'ink', 9.99, 1, 'hidden'), (9007199254740993, 'cap', 0.10,"
                                + " 3, 'ok')");
        PipelineRun run = engine.start(p.spec());
        String sql = "SELECT id, name, price, qty, status, total, tag FROM items ORDER BY id";
        awaitRows(
                run,
                p,
                sql,
                "1|pen|1.25|4|ok|5.00|snapshot:PEN",
                "9007199254740993|cap|0.10|3|ok|0.30|snapshot:CAP");
        awaitStreaming(run);

        source.execute(
                p.sourceDb(),
                "INSERT INTO items VALUES (3, 'pad', 2.50, 2, 'ok')",
                // leaves what the function keeps: a delete at the target
                "UPDATE items SET status = 'hidden' WHERE id = 1",
                // enters it: an insert at the target
                "UPDATE items SET status = 'ok' WHERE id = 2",
                "UPDATE items SET qty = 5 WHERE id = 9007199254740993");

        awaitRows(
                run,
                p,
                sql,
                "2|ink|9.99|1|ok|9.99|update:INK",
                "3|pad|2.50|2|ok|5.00|insert:PAD",
                "9007199254740993|cap|0.10|5|ok|0.50|update:CAP");
        stopRun(run);
    }

    /** Fails on one row each way a function can go wrong: an exception, no end, no memory bound. */
    private static final String FAILING_SCRIPT =
            """
            - script:
                time-limit: 1s
                memory-limit-mb: 16
                function: |
                  (row) => {
                    if (row.id === 2) throw new Error('no price for ' + row.id);
                    if (row.id === 3) { for (;;) {} }
                    if (row.id === 4) { const a = []; for (;;) a.push('x'.repeat(1000) + a.length); }
                    return row;
                  }""";

    private static void assertFailedOnRow(RunResult result, String key, String reason) {
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.TRANSFORM_FAILED);
        assertThat(result.error().getMessage())
                .contains("transform '#1' (script) on table public.items")
                .contains("the row (" + key + ") of public.items")
                .contains(reason);
    }

    @Test
    void aFailingJavaScriptFunctionFailsTheRunNamingTheStepAndTheRowKeyAndTheJvmGoesOn()
            throws Exception {
        String items = "CREATE TABLE items (id int PRIMARY KEY, name text)";
        String count = "SELECT count(*) FROM items WHERE id >= 2";

        // In the snapshot: an exception, then an endless loop. The failing row never reaches the
        // target; whether the rows around it do is not promised once the run has failed.
        Pipeline thrown =
                pipeline(
                        "public.items",
                        FAILING_SCRIPT,
                        items,
                        "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        assertFailedOnRow(
                engine.start(thrown.spec()).await(), "id=2", "Error: no price for 2 (line 2)");
        assertThat(targetRows(thrown, count)).containsExactly("0");

        Pipeline endless =
                pipeline(
                        "public.items",
                        FAILING_SCRIPT,
                        items,
                        "INSERT INTO items VALUES (1, 'a'), (3, 'c')");
        assertFailedOnRow(
                engine.start(endless.spec()).await(),
                "id=3",
                "it ran longer than its time-limit of 1000 ms");
        assertThat(targetRows(endless, count)).containsExactly("0");

        // In the stream: a memory blow-up. The snapshot's rows were written before it and stay.
        Pipeline blowUp =
                pipeline(
                        "public.items", FAILING_SCRIPT, items, "INSERT INTO items VALUES (1, 'a')");
        PipelineRun run = engine.start(blowUp.spec());
        awaitRows(run, blowUp, "SELECT id, name FROM items", "1|a");
        awaitStreaming(run);
        source.execute(blowUp.sourceDb(), "INSERT INTO items VALUES (4, 'd')");
        assertFailedOnRow(
                run.await(), "id=4", "it allocated more than its memory-limit-mb of 16 MiB");
        assertThat(targetRows(blowUp, "SELECT id, name FROM items ORDER BY id"))
                .containsExactly("1|a");

        // The JVM and the engine live on: the same pipeline, its function fixed, runs to the end.
        Pipeline fixed =
                pipeline(
                        "public.items",
                        "- script: { function: \"(row) => row\" }",
                        items,
                        "INSERT INTO items VALUES (2, 'b'), (3, 'c'), (4, 'd')");
        PipelineRun rerun = engine.start(fixed.spec());
        awaitRows(rerun, fixed, "SELECT id, name FROM items ORDER BY id", "2|b", "3|c", "4|d");
        stopRun(rerun);
    }

    @Test
    void aMaskedKeyStaysTheSameKeySoUpdatesAndDeletesFindTheirRow() throws Exception {
        Pipeline p =
                pipeline(
                        "public.accounts",
                        "- mask: { columns: [login], with: sha256, salt: pepper }",
                        "CREATE TABLE accounts (login text PRIMARY KEY, plan text)",
                        "INSERT INTO accounts VALUES ('ann', 'free'), ('bob', 'pro')");
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);

        source.execute(
                p.sourceDb(),
                "UPDATE accounts SET plan = 'team' WHERE login = 'ann'",
                "DELETE FROM accounts WHERE login = 'bob'",
                "INSERT INTO accounts VALUES ('cid', 'free')");

        String sql = "SELECT login, plan FROM accounts ORDER BY plan";
        awaitRows(run, p, sql, sha256("peppercid") + "|free", sha256("pepperann") + "|team");
        stopRun(run);
    }

    @Test
    void shardsWithCollidingKeysMergeIntoOneTargetKeyedByTheirSourceTable() throws Exception {
        Pipeline p =
                pipeline(
                        "\"shard_[0-9]+.orders\"",
                        "- route: { tables: \"shard_[0-9]+.orders\", target: public.all_orders,"
                                + " source-column: source_table }",
                        "CREATE SCHEMA shard_1",
                        "CREATE SCHEMA shard_2",
                        "CREATE TABLE shard_1.orders (id int PRIMARY KEY, item text)",
                        "CREATE TABLE shard_2.orders (id int PRIMARY KEY, item text)",
                        "INSERT INTO shard_1.orders VALUES (1, 'a1'), (2, 'a2')",
                        "INSERT INTO shard_2.orders VALUES (1, 'b1'), (3, 'b3')");
        PipelineRun run = engine.start(p.spec());
        String sql = "SELECT source_table, id, item FROM all_orders ORDER BY source_table, id";
        awaitRows(
                run,
                p,
                sql,
                "shard_1.orders|1|a1",
                "shard_1.orders|2|a2",
                "shard_2.orders|1|b1",
                "shard_2.orders|3|b3");
        awaitStreaming(run);

        // Transactions that touch both shards, so that changes of the two source tables into the
        // one target interleave in the stream: each must be applied, in stream order.
        for (int i = 0; i < 20; i++) {
            source.execute(
                    p.sourceDb(),
                    "BEGIN",
                    "UPDATE shard_2.orders SET item = 'b1-" + i + "' WHERE id = 1",
                    "UPDATE shard_1.orders SET item = 'a1-" + i + "' WHERE id = 1",
                    "INSERT INTO shard_2.orders VALUES (" + (100 + i) + ", 'n" + i + "')",
                    "COMMIT");
        }
        source.execute(
                p.sourceDb(),
                "DELETE FROM shard_1.orders WHERE id = 2",
                "INSERT INTO shard_1.orders VALUES (3, 'a3')",
                "DELETE FROM shard_2.orders WHERE id >= 101");

        awaitRows(
                run,
                p,
                sql,
                "shard_1.orders|1|a1-19",
                "shard_1.orders|3|a3",
                "shard_2.orders|1|b1-19",
                "shard_2.orders|3|b3",
                "shard_2.orders|100|n0");
        stopRun(run);

        // A rerun replays from the stored position: the target's exactly-once position per
        // target table skips what it already has, and nothing is lost.
        source.execute(p.sourceDb(), "UPDATE shard_2.orders SET item = 'again' WHERE id = 3");
        PipelineRun rerun = engine.start(p.spec());
        awaitRows(
                rerun,
                p,
                sql,
                "shard_1.orders|1|a1-19",
                "shard_1.orders|3|a3",
                "shard_2.orders|1|b1-19",
                "shard_2.orders|3|again",
                "shard_2.orders|100|n0");
        stopRun(rerun);
    }

    @Test
    void aSourceSchemaChangeReachesTheTargetAsTheChainSeesIt() throws Exception {
        Pipeline p =
                pipeline(
                        "public.items",
                        """
                        - drop: { columns: [secret] }
                        - rename: { columns: { qty: quantity } }
                        - compute: { set: { double_qty: "row.quantity * 2" } }""",
                        "CREATE TABLE items (id int PRIMARY KEY, qty int, secret text)",
                        "INSERT INTO items VALUES (1, 5, 's1')");
        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);

        source.execute(
                p.sourceDb(),
                "ALTER TABLE items ADD COLUMN color text",
                "INSERT INTO items VALUES (2, 7, 's2', 'red')",
                // hidden by the chain: nothing to change at the target
                "ALTER TABLE items ALTER COLUMN secret TYPE varchar(20)",
                "INSERT INTO items VALUES (3, 1, 's3', 'blue')");

        awaitRows(
                run,
                p,
                "SELECT id, quantity, double_qty, color FROM items ORDER BY id",
                "1|5|10|null",
                "2|7|14|red",
                "3|1|2|blue");

        // The compute reads qty: dropping it is a pipeline error naming the step and the column.
        source.execute(p.sourceDb(), "ALTER TABLE items DROP COLUMN qty");
        source.execute(p.sourceDb(), "INSERT INTO items VALUES (4, 's4', 'green')");
        RunResult result = run.await();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.TRANSFORM_INVALID);
        assertThat(result.error().getMessage())
                .contains("table public.items changed at the source (DropColumn)")
                .contains("transform '#2' (rename)")
                .contains("qty");
    }

    @Test
    void validationPrintsEachTablesOutputSchemaAndRejectsABadExpressionWithItsPosition() {
        Pipeline p = pipeline("public.customers", CHAIN, CUSTOMERS);
        ValidationReport report = engine.validate(p.spec());
        assertThat(report.problems()).isEmpty();
        TableFlow flow = report.flows().get(0);
        assertThat(flow.source()).isEqualTo(TableId.of("public", "customers"));
        assertThat(flow.target()).isEqualTo(TableId.of("public", "customers"));
        assertThat(flow.output().columns().stream().map(Column::name))
                .containsExactly(
                        "id", "full_name", "email", "status", "amount", "code", "total_cents");
        assertThat(flow.steps()).hasSize(6);

        Pipeline bad =
                pipeline(
                        "public.customers",
                        "- filter: { where: \"row.stauts != 'test'\" }",
                        CUSTOMERS);
        ValidationReport badReport = engine.validate(bad.spec());
        assertThat(badReport.problems()).hasSize(1);
        assertThat(badReport.problems().get(0).code()).isEqualTo(ErrorCode.TRANSFORM_INVALID);
        assertThat(badReport.problems().get(0).message())
                .contains("transform '#1' (filter) on table public.customers")
                .contains("row.stauts != 'test'")
                .contains("status");
    }
}
