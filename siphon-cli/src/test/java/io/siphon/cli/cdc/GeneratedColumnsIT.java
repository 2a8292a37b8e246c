package io.siphon.cli.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.ValidationReport;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.spec.PipelineSpecParser;
import io.siphon.model.TableId;
import io.siphon.spi.Problem;
import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored generated columns ({@code GENERATED ALWAYS AS (...) STORED}), which PostgreSQL 17's
 * pgoutput does not send: the target computes them itself, so they stay exact under CDC; where it
 * cannot, validate says what happens. The source is set up as a careful DBA does it ({@link
 * NonSuperuserSource}: the tables' owner is not Siphon's role, and owns the publication).
 */
class GeneratedColumnsIT {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final TableId LINES = TableId.of("shop", "lines");
    private static final String CREATE_LINES =
            "CREATE TABLE shop.lines (id int PRIMARY KEY, price numeric(10,2) NOT NULL,"
                    + " qty int NOT NULL,"
                    + " total numeric GENERATED ALWAYS AS (price * qty) STORED,"
                    + " label text GENERATED ALWAYS AS ('#' || id::text || ' x' || qty::text)"
                    + " STORED)";

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

    /** A pipeline from a new source database where the owner ran {@code ownerSql}. */
    private static Pipeline pipeline(String... ownerSql) {
        String name = "generated-it-" + NAMES.incrementAndGet();
        String[] sql = java.util.Arrays.copyOf(ownerSql, ownerSql.length + 1);
        sql[ownerSql.length] = "CREATE PUBLICATION siphon_pub FOR TABLE shop.lines";
        String sourceDb = NonSuperuserSource.create(source, "gen_src", sql);
        String targetDb = target.createDatabase("gen_dst");
        PipelineSpec spec =
                PipelineSpecParser.withInstalledConnectors()
                        .parse(
                                """
                                name: %s
                                source:
                                  type: postgres
                                  url: %s
                                  user: siphon
                                  tables: [shop.lines]
                                  publication-name: siphon_pub
                                  heartbeat-interval: 1s
                                sink:
                                  type: postgres
                                  url: %s
                                  user: postgres
                                mode: snapshot+cdc
                                checkpoint-interval: 500ms
                                """
                                        .formatted(
                                                name,
                                                source.jdbcUrl(sourceDb),
                                                target.jdbcUrl(targetDb)),
                                "generated.yaml");
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

    private static void awaitEqual(Pipeline p) {
        Awaitility.await("target equal to source, generated columns included")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            try (Connection from = source.connect(p.sourceDb());
                                    Connection to = target.connect(p.targetDb())) {
                                Comparison c = TableComparator.compare(from, LINES, to, LINES);
                                assertThat(c.equal()).as(c.toString()).isTrue();
                            }
                        });
    }

    /** Each column of the target's table with its generation expression (null: plain). */
    private static String generation(String targetDb, String column) throws Exception {
        try (Connection c = target.connect(targetDb);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT CASE WHEN a.attgenerated = 's' THEN"
                                        + " pg_get_expr(d.adbin, d.adrelid) END FROM pg_attribute a"
                                        + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND"
                                        + " d.adnum = a.attnum WHERE a.attrelid = 'shop.lines'"
                                        + "::regclass AND a.attname = '"
                                        + column
                                        + "'")) {
            assertThat(rs.next()).as("column " + column + " at the target").isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void generatedColumnsAreComputedByTheTargetThroughSnapshotAndStream() throws Exception {
        Pipeline p =
                pipeline(
                        CREATE_LINES,
                        "INSERT INTO shop.lines (id, price, qty) SELECT g, g * 1.25, g % 7 + 1"
                                + " FROM generate_series(1, 500) g");
        ValidationReport report = engine.validate(p.spec());
        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();

        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);
        NonSuperuserSource.asOwner(
                source,
                p.sourceDb(),
                "INSERT INTO shop.lines (id, price, qty) VALUES (501, 9.99, 3), (502, 0.5, 10)",
                "UPDATE shop.lines SET qty = qty + 100 WHERE id % 10 = 0",
                "UPDATE shop.lines SET price = 2.00 WHERE id = 501",
                "DELETE FROM shop.lines WHERE id BETWEEN 400 AND 420");
        awaitEqual(p);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);

        assertThat(generation(p.targetDb(), "total")).isEqualTo("(price * (qty)::numeric)");
        assertThat(generation(p.targetDb(), "label")).isNotNull();
        assertThat(generation(p.targetDb(), "qty")).isNull();
    }

    @Test
    void anExistingTargetColumnThatIsNotGeneratedIsNamedByValidate() {
        Pipeline p = pipeline(CREATE_LINES);
        target.execute(
                p.targetDb(),
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.lines (id int PRIMARY KEY, price numeric(10,2) NOT NULL,"
                        + " qty int NOT NULL, total numeric, label text)");

        ValidationReport report = engine.validate(p.spec());

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).hasSize(1);
        Problem warning = report.warnings().get(0);
        assertThat(warning.message())
                .contains("[total, label]", "target table shop.lines", "plain columns")
                .contains("rows inserted while streaming get NULL");
        assertThat(warning.fix())
                .contains(
                        "ALTER TABLE \"shop\".\"lines\" DROP COLUMN \"total\", ADD COLUMN"
                                + " \"total\" numeric GENERATED ALWAYS AS ((price * (qty)::numeric))"
                                + " STORED;");
    }

    @Test
    void aGenerationTheTargetCannotComputeIsWarnedAndTheColumnIsCopiedPlain() throws Exception {
        Pipeline p =
                pipeline(
                        "CREATE FUNCTION shop.twice(int) RETURNS int IMMUTABLE LANGUAGE sql"
                                + " AS 'SELECT $1 * 2'",
                        "CREATE TABLE shop.lines (id int PRIMARY KEY, qty int NOT NULL,"
                                + " doubled int GENERATED ALWAYS AS (shop.twice(qty)) STORED)",
                        "INSERT INTO shop.lines (id, qty) SELECT g, g FROM generate_series(1, 50)"
                                + " g");

        ValidationReport report = engine.validate(p.spec());

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).hasSize(1);
        assertThat(report.warnings().get(0).message())
                .contains(
                        "Target table shop.lines gets plain columns [doubled AS"
                                + " (shop.twice(qty))]",
                        "(schema \"shop\" does not exist)");
        assertThat(report.warnings().get(0).fix())
                .contains("Create what the expressions need at the target");

        PipelineRun run = engine.start(p.spec());
        awaitStreaming(run);
        awaitEqual(p);
        run.stop();
        assertThat(run.await().status()).isEqualTo(RunStatus.STOPPED);
        assertThat(generation(p.targetDb(), "doubled")).isNull();
    }
}
