package io.siphon.bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.siphon.embedded.PostgresServer;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Debezium's own snapshot of a table, read through its embedded engine with the JSON converter
 * (schemas on, Debezium's default decimal and time modes: the records Debezium would hand to Kafka)
 * into a handler that only counts them: Debezium's read rate with nothing written anywhere.
 *
 * <p>Debezium is not in siphon.jar: this class is used only when {@link #available()} finds it on
 * the class path (siphon-dist puts it beside the jar, in lib/kafka).
 */
final class DebeziumSnapshotRead {

    private static final String ENGINE = "io.debezium.engine.DebeziumEngine";
    private static final String CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private DebeziumSnapshotRead() {}

    /** Whether Debezium's embedded engine and its PostgreSQL connector are on the class path. */
    static boolean available() {
        try {
            Class.forName(ENGINE, false, DebeziumSnapshotRead.class.getClassLoader());
            Class.forName(CONNECTOR, false, DebeziumSnapshotRead.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The outcome of one read.
     *
     * @param time from the engine's start to the last row's record in the handler
     * @param records change records the handler received
     * @param valueBytes the total length of their values
     */
    record Read(Duration time, long records, long valueBytes) {}

    /**
     * Reads the table's snapshot ({@code snapshot.mode=initial_only}) until {@code rows} records
     * arrived, then stops the engine.
     *
     * @throws SiphonException when the engine fails or fewer records arrive
     */
    static Read read(PostgresServer source, String database, String table, long rows) {
        Properties props = new Properties();
        props.setProperty("name", "bench-debezium");
        props.setProperty("connector.class", CONNECTOR);
        props.setProperty(
                "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        props.setProperty("offset.flush.interval.ms", "60000");
        props.setProperty("database.hostname", "127.0.0.1");
        props.setProperty("database.port", Integer.toString(source.port()));
        props.setProperty("database.user", source.superuser());
        props.setProperty("database.password", "");
        props.setProperty("database.dbname", database);
        props.setProperty("topic.prefix", "debezium");
        props.setProperty("table.include.list", table);
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", "debezium_bench");
        props.setProperty("slot.drop.on.stop", "true");
        props.setProperty("publication.name", "debezium_bench");
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("snapshot.mode", "initial_only");
        // Larger batches and queue than Debezium's defaults (2,048 and 8,192), as tuned for bulk
        // snapshots; the fetch size stays at its default, 10,240.
        props.setProperty("max.batch.size", "8192");
        props.setProperty("max.queue.size", "32768");
        props.setProperty("converter.schemas.enable", "true");

        AtomicLong records = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong lastAt = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        long t0 = System.nanoTime();
        // The engine is declared last so that it closes first: the executor's close waits for it.
        try (ExecutorService thread = Executors.newSingleThreadExecutor();
                DebeziumEngine<ChangeEvent<String, String>> engine =
                        DebeziumEngine.create(Json.class)
                                .using(props)
                                .notifying(
                                        event -> {
                                            if (event.value() == null) {
                                                return;
                                            }
                                            bytes.addAndGet(event.value().length());
                                            if (records.incrementAndGet() == rows) {
                                                lastAt.set(System.nanoTime());
                                                done.countDown();
                                            }
                                        })
                                .using(
                                        (success, message, error) -> {
                                            if (!success) {
                                                failure.compareAndSet(
                                                        null,
                                                        error != null
                                                                ? error
                                                                : new IllegalStateException(
                                                                        message));
                                            }
                                            done.countDown();
                                        })
                                .build()) {
            thread.execute(engine);
            if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SiphonException(
                        ErrorCode.INTERNAL_ERROR,
                        "Debezium read "
                                + records.get()
                                + " of "
                                + rows
                                + " rows in "
                                + TIMEOUT.toMinutes()
                                + " minutes");
            }
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR, "closing Debezium's engine: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        }
        if (records.get() < rows) {
            Throwable cause = failure.get();
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "Debezium's engine stopped after "
                            + records.get()
                            + " of "
                            + rows
                            + " rows"
                            + (cause == null ? "" : ": " + cause),
                    cause);
        }
        return new Read(Duration.ofNanos(lastAt.get() - t0), records.get(), bytes.get());
    }
}
