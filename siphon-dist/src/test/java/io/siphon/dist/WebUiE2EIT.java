package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: {@code siphon server} from the jar, two embedded PostgreSQL
 * servers, and {@code siphon-ui/e2e/run.mjs} (Playwright's {@code playwright-core} driving the
 * machine's {@code chromium}) signing in, creating both connections through the forms, drawing a
 * {@code snapshot+cdc} pipeline, validating it with one deliberate error, starting it, watching the
 * snapshot reach 100% and the stream counters move while this test writes rows at the source,
 * stopping it, reaching it again by keyboard only, drawing a graph (union and fan-out) in the
 * designer, and checking what a viewer sees and may do. Afterwards the target must equal the
 * source. It prints what it measures: a table picker over a catalog of 1,000 tables, and frame
 * timing of the live page of a pipeline of 50 tables.
 *
 * <p>Its screenshots are the README's ({@code docs/images/}), rewritten only when asked with {@code
 * -Dsiphon.screenshots=update} (or {@code SIPHON_SCREENSHOTS=update}); otherwise they go to {@code
 * target/e2e-screenshots}, so a run leaves the working tree clean.
 *
 * <p>Without chromium on the PATH the test fails with one line saying what to install: a browser
 * test that skips itself silently would pass a build that never ran it.
 */
class WebUiE2EIT {

    private static final String PASSWORD = "e2e-admin-password";
    private static final Path UI = Path.of("..", "siphon-ui");
    private static final List<TableId> TABLES =
            List.of(TableId.of("public", "customers"), TableId.of("public", "orders"));

    /**
     * Tables of the pipeline: public's two and the {@code live} schema's, one update each per s.
     */
    private static final int LIVE_TABLES = 50;

    /** Tables of the {@code wide} schema, that the table picker pages through. */
    private static final int CATALOG_TABLES = 1000;

    @TempDir Path dir;

    @Test
    void aPipelineIsDrawnStartedWatchedAndStoppedInTheBrowser() throws Exception {
        String chromium =
                browser()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "chromium is not installed: the browser tests need"
                                                        + " Debian's chromium package (apt-get"
                                                        + " install chromium)"));
        try (PostgresServer source = PostgresServer.start();
                PostgresServer target = PostgresServer.start()) {
            String shop = source.createDatabase("shop");
            String warehouse = target.createDatabase("warehouse");
            source.execute(
                    shop,
                    "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, total"
                            + " numeric(12,2), placed timestamptz DEFAULT now())",
                    "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1,"
                            + " 500) g",
                    "INSERT INTO orders (id, customer_id, total) SELECT g, g % 500 + 1, g * 1.25"
                            + " FROM generate_series(1, 5000) g",
                    "CREATE SCHEMA live",
                    "DO $$ BEGIN FOR i IN 1.."
                            + (LIVE_TABLES - TABLES.size())
                            + " LOOP EXECUTE format('CREATE TABLE live.t%s (id int PRIMARY KEY, n"
                            + " int NOT NULL)', lpad(i::text, 2, '0')); EXECUTE format('INSERT"
                            + " INTO live.t%s VALUES (1, 0)', lpad(i::text, 2, '0')); END LOOP;"
                            + " END $$",
                    "CREATE SCHEMA wide",
                    "DO $$ BEGIN FOR i IN 1.."
                            + CATALOG_TABLES
                            + " LOOP EXECUTE format('CREATE TABLE wide.t%s (id int PRIMARY KEY,"
                            + " name text)', lpad(i::text, 4, '0')); END LOOP; END $$");
            Process server = SiphonJar.startServer(dir, PASSWORD);
            AtomicBoolean writing = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread writer = null;
            try {
                URI url = SiphonJar.awaitListening(server, dir);
                ProcessBuilder e2e =
                        new ProcessBuilder("node", "e2e/run.mjs")
                                .directory(UI.toFile())
                                .redirectErrorStream(true);
                e2e.environment().put("SIPHON_URL", url.toString());
                e2e.environment().put("SIPHON_ADMIN_PASSWORD", PASSWORD);
                e2e.environment().put("SOURCE_JDBC", source.jdbcUrl(shop));
                e2e.environment().put("TARGET_JDBC", target.jdbcUrl(warehouse));
                e2e.environment().put("DB_USER", PostgresServer.USER);
                e2e.environment().put("CHROMIUM", chromium);
                e2e.environment().put("LIVE_TABLES", Integer.toString(LIVE_TABLES));
                e2e.environment().put("SCREENSHOTS", screenshots().toAbsolutePath().toString());
                Process browserTest = e2e.start();
                List<String> lines = new ArrayList<>();
                try (BufferedReader out =
                        new BufferedReader(
                                new InputStreamReader(
                                        browserTest.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        System.out.println(line);
                        lines.add(line);
                        if (line.equals("e2e: write rows")) {
                            writing.set(true);
                            writer = writeRows(source.jdbcUrl(shop), writing, written);
                        } else if (line.equals("e2e: stop writing")) {
                            writing.set(false);
                            writer.join();
                            awaitEqual(source.jdbcUrl(shop), target.jdbcUrl(warehouse));
                            browserTest
                                    .getOutputStream()
                                    .write("caught up\n".getBytes(StandardCharsets.UTF_8));
                            browserTest.getOutputStream().flush();
                        }
                    }
                }
                assertThat(browserTest.waitFor(1, TimeUnit.MINUTES)).isTrue();
                writing.set(false);
                if (writer != null) {
                    writer.join();
                }
                assertThat(lines).as(String.join("\n", lines)).contains("e2e: passed");
                assertThat(browserTest.exitValue()).isZero();
                assertThat(written.get()).isPositive();
            } finally {
                writing.set(false);
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /** The README's images when asked to update them, else a folder of the build's own. */
    private static Path screenshots() {
        String asked =
                System.getProperty("siphon.screenshots", System.getenv("SIPHON_SCREENSHOTS"));
        return "update".equals(asked)
                ? Path.of("..", "docs", "images")
                : Path.of("target", "e2e-screenshots");
    }

    /** Waits until every table at the target equals its source, row for row. */
    private static void awaitEqual(String sourceUrl, String targetUrl) {
        Awaitility.await("the target equal to the source")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            try (Connection s =
                                            DriverManager.getConnection(
                                                    sourceUrl, PostgresServer.USER, "");
                                    Connection t =
                                            DriverManager.getConnection(
                                                    targetUrl, PostgresServer.USER, "")) {
                                for (TableId table : TABLES) {
                                    Comparison c = TableComparator.compare(s, table, t, table);
                                    assertThat(c.equal()).as(table + ": " + c).isTrue();
                                }
                            }
                        });
    }

    /**
     * Inserts an order every 100 ms while {@code writing} holds, each in its own commit, and
     * updates the row of each {@code live} table once a second.
     */
    private static Thread writeRows(String url, AtomicBoolean writing, AtomicInteger written) {
        Thread t =
                new Thread(
                        () -> {
                            try (Connection c =
                                            DriverManager.getConnection(
                                                    url, PostgresServer.USER, "");
                                    PreparedStatement insert =
                                            c.prepareStatement(
                                                    "INSERT INTO orders (id, customer_id, total)"
                                                            + " VALUES (?, 1, 9.99)");
                                    Statement live = c.createStatement()) {
                                int id = 100_000;
                                while (writing.get()) {
                                    insert.setLong(1, id++);
                                    insert.executeUpdate();
                                    written.incrementAndGet();
                                    if (id % 10 == 0) {
                                        live.execute(
                                                "DO $$ BEGIN FOR i IN 1.."
                                                        + (LIVE_TABLES - TABLES.size())
                                                        + " LOOP EXECUTE format('UPDATE live.t%s"
                                                        + " SET n = n + 1', lpad(i::text, 2,"
                                                        + " '0')); END LOOP; END $$");
                                    }
                                    Thread.sleep(100);
                                }
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "e2e-writer");
        t.start();
        return t;
    }

    /** Debian's chromium (or another distribution's chromium-browser) on the PATH. */
    private static Optional<String> browser() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .flatMap(d -> Stream.of("chromium", "chromium-browser").map(n -> Path.of(d, n)))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
