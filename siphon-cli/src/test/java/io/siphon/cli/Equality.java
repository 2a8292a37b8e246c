package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.embedded.PostgresServer;
import io.siphon.model.TableId;
import io.siphon.verify.Comparison;
import io.siphon.verify.TableComparator;
import java.sql.Connection;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Waits for a table at the target to equal its source, row by row. */
public final class Equality {

    private Equality() {}

    /**
     * Waits until {@code table} in {@code target} equals it in {@code source}; on time-out the
     * failure shows the last comparison.
     */
    public static void awaitEqual(
            PostgresServer server, String source, String target, TableId table, Duration atMost) {
        Awaitility.await(table + " equal at the target")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                // A table the run has not created yet is not equal either.
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            try (Connection from = server.connect(source);
                                    Connection to = server.connect(target)) {
                                Comparison c = TableComparator.compare(from, table, to, table);
                                assertThat(c.equal()).as(c.toString()).isTrue();
                            }
                        });
    }
}
