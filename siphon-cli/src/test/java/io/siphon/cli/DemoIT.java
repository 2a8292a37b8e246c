package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.cli.terminal.Terminal;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoIT {

    @Test
    void demoCopiesTheShopStreamsLiveChangesAndVerifiesEveryTable() {
        CliOutcome outcome =
                siphon("demo", "--rows", "20000", "--duration", "5", "--parallelism", "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        String ok = Terminal.detect().mark(true);
        assertThat(outcome.out())
                .contains("    mode: snapshot+cdc\n")
                .contains("-- Streaming. Changing the shop for 5s")
                .containsPattern(
                        "-- Workload stopped: [1-9][0-9,]* inserts, [1-9][0-9,]* updates,"
                                + " [1-9][0-9,]* deletes\\.")
                .contains("-- The target has caught up; stopping the pipeline")
                .containsPattern(streamedRow("public.customers", ok))
                .containsPattern(streamedRow("public.order_items", ok))
                .containsPattern(streamedRow("public.orders", ok))
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void demoIntoMariaDbStreamsLiveChangesAndVerifiesEveryTable() {
        CliOutcome outcome =
                siphon(
                        "demo",
                        "--sink",
                        "mysql",
                        "--rows",
                        "20000",
                        "--duration",
                        "5",
                        "--parallelism",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        String ok = Terminal.detect().mark(true);
        assertThat(outcome.out())
                .contains("Starting an embedded PostgreSQL 17 and a MariaDB 11.4 server")
                .contains("      type: mysql\n")
                .contains("      table: \"warehouse.{table}\"\n")
                .containsPattern("public\\.orders -> warehouse\\.orders .* " + Pattern.quote(ok))
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void demoFromMariaDbStreamsItsBinaryLogIntoPostgresAndVerifiesEveryTable() {
        CliOutcome outcome =
                siphon(
                        "demo",
                        "--source",
                        "mysql",
                        "--rows",
                        "20000",
                        "--duration",
                        "5",
                        "--parallelism",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        String ok = Terminal.detect().mark(true);
        assertThat(outcome.out())
                .contains("a sample shop copied from MariaDB to PostgreSQL")
                .contains("Starting an embedded MariaDB 11.4 and a PostgreSQL 17 server")
                .contains("  shop.order_items           12,000 rows\n")
                .contains("      type: mysql\n")
                .contains("      tables: [\"shop.*\"]\n")
                .contains("      table: \"public.{table}\"\n")
                .contains("-- Streaming. Changing the shop for 5s")
                .containsPattern("shop\\.orders -> public\\.orders .* " + Pattern.quote(ok))
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void demoIntoRedisLooksUpFreshRowsWhileChangesStream() {
        CliOutcome outcome =
                siphon(
                        "demo",
                        "--sink",
                        "redis",
                        "--rows",
                        "20000",
                        "--duration",
                        "5",
                        "--parallelism",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.out())
                .contains("Starting an embedded PostgreSQL 17 and a Redis server")
                .contains("      type: redis\n")
                .contains("      key-prefix: shop\n")
                .containsPattern("-- Lookup HGETALL shop:public\\.orders:[0-9]+: ")
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void demoIntoOpenSearchSearchesFreshDocumentsWhileChangesStream() {
        CliOutcome outcome =
                siphon(
                        "demo",
                        "--sink",
                        "opensearch",
                        "--rows",
                        "20000",
                        "--duration",
                        "5",
                        "--parallelism",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.out())
                .contains("Starting an embedded PostgreSQL 17 and an OpenSearch 3 node")
                .contains("a sample shop copied from PostgreSQL into OpenSearch")
                .contains("      type: opensearch\n")
                .contains("      index: \"shop-{table}\"\n")
                .containsPattern(
                        "-- Search shop-orders \\{\"size\":1,\"sort\":\\[\\{\"id\":\"desc\"\\}\\]\\}:"
                                + " order [0-9]+, [a-z]+, total [0-9.]+ \\(the source has ")
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void demoIntoKafkaShowsDebeziumRecordsWhileChangesStreamAndVerifiesEveryTopic() {
        CliOutcome outcome =
                siphon(
                        "demo",
                        "--sink",
                        "kafka",
                        "--rows",
                        "20000",
                        "--duration",
                        "5",
                        "--parallelism",
                        "2");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        String ok = Terminal.detect().mark(true);
        assertThat(outcome.out())
                .contains("Starting an embedded PostgreSQL 17 and a Kafka 4 broker")
                .contains("a sample shop copied from PostgreSQL into Kafka")
                .contains("      type: kafka\n")
                .contains("      topic-prefix: shop\n")
                .containsPattern("-- A Kafka consumer received [1-9][0-9,]* records; for example:")
                .containsPattern(
                        "--   op [cud] shop\\.public\\.[a-z_]+ key \\{\"[a-z_]+\":[0-9]+.*\\}"
                                + " (after|before) \\{\"[a-z_]+\":")
                .containsPattern(streamedRow("public.orders", ok))
                .containsPattern(
                        "All 4 tables are equal to the source: 20,000 rows copied, then"
                                + " [0-9,]+ changes streamed; the target had caught up within"
                                + " [0-9.]+s after the workload stopped\\.");
    }

    @Test
    void snapshotModeCopiesTheShopAndVerifiesEveryTable() {
        CliOutcome outcome =
                siphon("demo", "--rows", "20000", "--parallelism", "2", "--mode", "snapshot");

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.err()).isEmpty();
        String ok = Terminal.detect().mark(true);
        assertThat(outcome.out())
                .contains("  public.customers            2,000 rows\n")
                .contains("  public.order_items         12,000 rows\n")
                .contains("    name: demo-shop\n")
                .contains("    mode: snapshot\n")
                .contains("    parallelism: 2\n")
                .containsPattern(row("public.customers", "2,000", ok))
                .containsPattern(row("public.order_items", "12,000", ok))
                .containsPattern(row("public.orders", "5,600", ok))
                .containsPattern(row("public.products", "400", ok))
                .contains("All 4 tables are equal to the source: 20,000 rows copied in ");
    }

    /** A summary row: table, rows, time, rows/s, no changes and the verification mark. */
    private static Pattern row(String table, String rows, String mark) {
        return Pattern.compile(
                "\\n"
                        + Pattern.quote(table)
                        + " +"
                        + Pattern.quote(rows)
                        + " +[0-9.]+s +[0-9,]+ +0 +"
                        + Pattern.quote(mark)
                        + "\\n");
    }

    /** A summary row of a table that streamed changes, and its verification mark. */
    private static Pattern streamedRow(String table, String mark) {
        return Pattern.compile(
                "\\n"
                        + Pattern.quote(table)
                        + " +[0-9,]+ +[0-9.]+s +[0-9,]+ +[1-9][0-9,]* +"
                        + Pattern.quote(mark)
                        + "\\n");
    }
}
