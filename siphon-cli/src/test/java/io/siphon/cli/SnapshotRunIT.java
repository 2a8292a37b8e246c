package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import io.siphon.testkit.pg.NonSuperuserSource;
import io.siphon.testkit.pg.PostgresExtension;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots through {@code siphon run}, in this JVM, against real PostgreSQL: whatever the shape of
 * the tables, the target ends up equal to the source, row for row and value for value.
 */
class SnapshotRunIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    @Test
    void millionMixedRowsInManyParallelChunksArriveExactly() throws Exception {
        String source = PG.server().createDatabase("mixed_src");
        String target = PG.server().createDatabase("mixed_dst");
        MixedRows.create(PG.server(), source, "public.mixed", 1_000_000);

        CliOutcome outcome =
                run(source, target, "[public.mixed]", "parallelism: 4\nchunk-rows: 20000\n");

        assertCompleted(outcome);
        // About 1,000,000 / 20,000 chunks; the planner divides by the table's row estimate.
        Matcher chunks =
                Pattern.compile("snapshotting \\(1 table, (\\d+) chunks\\)").matcher(outcome.out());
        assertThat(chunks.find()).as(outcome.toString()).isTrue();
        assertThat(Integer.parseInt(chunks.group(1))).isBetween(45, 55);
        assertEqual(source, target, List.of(TableId.of("public", "mixed")));
    }

    @Test
    void twoHundredTablesAllArrive() throws Exception {
        String source = PG.server().createDatabase("many_src");
        String target = PG.server().createDatabase("many_dst");
        PG.server()
                .execute(
                        source,
                        """
                        CREATE SCHEMA many;
                        DO $$
                        BEGIN
                            FOR t IN 1..200 LOOP
                                EXECUTE format('CREATE TABLE many.t_%s (id int PRIMARY KEY,'
                                    || ' name text, amount numeric(10,3), seen timestamptz)',
                                    lpad(t::text, 3, '0'));
                                EXECUTE format('INSERT INTO many.t_%s SELECT g, ''row '' || g,'
                                    || ' g / 7.0, timestamptz ''2024-02-29 12:00:00+01'' + g *'
                                    || ' interval ''1 minute'' FROM generate_series(1, %s) g',
                                    lpad(t::text, 3, '0'), t);
                            END LOOP;
                        END $$;
                        """);
        List<TableId> tables =
                IntStream.rangeClosed(1, 200)
                        .mapToObj(t -> TableId.of("many", "t_%03d".formatted(t)))
                        .toList();

        CliOutcome outcome = run(source, target, "[\"many.*\"]", "");

        assertCompleted(outcome);
        assertThat(outcome.out()).contains("Completed: 20,100 rows in 200 tables");
        assertEqual(source, target, tables);
    }

    @Test
    void emptyOneRowKeylessAndCompositeKeyTablesArrive() throws Exception {
        String source = PG.server().createDatabase("shapes_src");
        String target = PG.server().createDatabase("shapes_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE empty_table (id bigint PRIMARY KEY, note text)",
                        "CREATE TABLE one_row (id int PRIMARY KEY, note text)",
                        "INSERT INTO one_row VALUES (42, 'the only one')",
                        // Without a key, duplicate rows are legal and must all arrive.
                        "CREATE TABLE no_key (a int, b text, c numeric)",
                        "INSERT INTO no_key SELECT g % 100, 'v' || (g % 10), NULL FROM"
                                + " generate_series(1, 5000) g",
                        "INSERT INTO no_key VALUES (NULL, NULL, NULL), (NULL, NULL, NULL)",
                        "CREATE TABLE composite (order_id bigint, line_no int, sku text,"
                                + " PRIMARY KEY (order_id, line_no))",
                        "INSERT INTO composite SELECT g / 3, g % 3, 'sku-' || g FROM"
                                + " generate_series(0, 29999) g");

        CliOutcome outcome =
                run(
                        source,
                        target,
                        "[public.empty_table, public.one_row, public.no_key, public.composite]",
                        "chunk-rows: 1000\n");

        assertCompleted(outcome);
        assertEqual(
                source,
                target,
                List.of(
                        TableId.of("public", "empty_table"),
                        TableId.of("public", "one_row"),
                        TableId.of("public", "no_key"),
                        TableId.of("public", "composite")));
        assertThat(outcome.out()).contains("Completed: 35,003 rows in 4 tables");
    }

    @Test
    void namesThatNeedQuotingArrive() throws Exception {
        String source = PG.server().createDatabase("names_src");
        String target = PG.server().createDatabase("names_dst");
        PG.server()
                .execute(
                        source,
                        "CREATE SCHEMA \"Sales Dept\"",
                        "CREATE TABLE \"Sales Dept\".\"Order\" (\"Id\" int PRIMARY KEY, \"user name\""
                                + " text, \"select\" boolean)",
                        "INSERT INTO \"Sales Dept\".\"Order\" SELECT g, 'user ' || g, g % 2 = 0 FROM"
                                + " generate_series(1, 300) g",
                        "CREATE TABLE \"Sales Dept\".\"select\" (\"group\" int PRIMARY KEY, \"ünï\""
                                + " text)",
                        "INSERT INTO \"Sales Dept\".\"select\" VALUES (1, 'ß'), (2, '表')",
                        "CREATE TABLE public.\"MixedCase With Space\" (\"Key.Part\" int PRIMARY KEY,"
                                + " \"quote\"\"d\" text)",
                        "INSERT INTO public.\"MixedCase With Space\" VALUES (1, 'a \"b\" c')",
                        "CREATE TABLE public.\"订单\" (id int PRIMARY KEY, \"名前\" text)",
                        "INSERT INTO public.\"订单\" VALUES (1, '東京'), (2, 'Zürich')");

        CliOutcome outcome =
                run(
                        source,
                        target,
                        "['\"Sales Dept\".*', 'public.\"MixedCase With Space\"', 'public.订单']",
                        "");

        assertCompleted(outcome);
        assertEqual(
                source,
                target,
                List.of(
                        TableId.of("Sales Dept", "Order"),
                        TableId.of("Sales Dept", "select"),
                        TableId.of("public", "MixedCase With Space"),
                        TableId.of("public", "订单")));
    }

    @Test
    void aRerunOfACompletedSnapshotIsRefusedAndResnapshotCopiesExactlyReportingJsonLines()
            throws Exception {
        String source =
                NonSuperuserSource.create(
                        PG.server(),
                        "rerun_src",
                        "CREATE TABLE shop.t (id int PRIMARY KEY, v text)",
                        "INSERT INTO shop.t SELECT g, 'v' || g FROM generate_series(1, 100) g");
        String target = PG.server().createDatabase("rerun_dst");
        assertCompleted(run(source, NonSuperuserSource.SIPHON, target, "[shop.t]", ""));
        NonSuperuserSource.asOwner(PG.server(), source, "DELETE FROM shop.t WHERE id > 90");
        String spec = dir.resolve("pipeline.yaml").toString();
        String state = dir.resolve("state").toString();

        CliOutcome rerun = siphon("run", spec, "--state-dir", state);

        assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(1);
        assertThat(rerun.err())
                .startsWith(
                        "error [STATE_CONFLICT]: pipeline snapshot-it completed its snapshot at ")
                .contains("keep rows deleted at the source since")
                .contains("run it with --resnapshot");

        CliOutcome again = siphon("run", spec, "--state-dir", state, "--resnapshot", "--json");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        List<String> lines = again.out().lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("{\"event\":"));
        assertThat(lines.get(lines.size() - 1))
                .startsWith(
                        "{\"event\":\"ended\",\"pipeline\":\"snapshot-it\",\"status\":"
                                + "\"COMPLETED\",\"rowsWritten\":90,");
        assertEqual(source, target, List.of(TableId.of("shop", "t")));
    }

    private CliOutcome run(String source, String target, String tables, String extra)
            throws IOException {
        return run(source, "postgres", target, tables, extra);
    }

    private CliOutcome run(
            String source, String sourceUser, String target, String tables, String extra)
            throws IOException {
        Path spec =
                Files.writeString(
                        dir.resolve("pipeline.yaml"),
                        """
                        name: snapshot-it
                        source:
                          type: postgres
                          url: %s
                          user: %s
                          tables: %s
                        sink:
                          type: postgres
                          url: %s
                          user: postgres
                        mode: snapshot
                        %s"""
                                .formatted(
                                        PG.server().jdbcUrl(source),
                                        sourceUser,
                                        tables,
                                        PG.server().jdbcUrl(target),
                                        extra));
        return siphon("run", spec.toString(), "--state-dir", dir.resolve("state").toString());
    }

    private static void assertCompleted(CliOutcome outcome) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).as(outcome.toString()).isEmpty();
    }

    private static void assertEqual(String source, String target, List<TableId> tables)
            throws Exception {
        List<Comparison> differing = new ArrayList<>();
        try (Connection from = PG.server().connect(source);
                Connection to = PG.server().connect(target)) {
            for (TableId table : tables) {
                Comparison c = TableComparator.compare(from, table, to, table);
                if (!c.equal()) {
                    differing.add(c);
                }
            }
        }
        assertThat(differing).isEmpty();
    }
}
