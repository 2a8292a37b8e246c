package io.siphon.connector.kafka;

import io.siphon.connector.support.schema.TargetSchemas;
import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Truncate;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotOrigin;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a table's rows and changes as records of its topic, keyed by primary key, and waits for
 * the brokers' acknowledgements in {@link #flush()}. The producer is idempotent: its own retries
 * neither duplicate nor reorder records; after a crash the engine's replay writes the changes since
 * the last checkpoint again (at least once), which a consumer that keeps the last value per key
 * absorbs.
 *
 * <p>Changes map to Debezium's events: an insert to {@code c}, an update to {@code u} (with the old
 * row when the source sent all of it), an update that changes the key to a {@code d} of the old key
 * (and its tombstone) followed by a {@code c} of the new one, a delete to {@code d} and a
 * tombstone, a truncate to {@code t}, snapshot rows to {@code r}.
 *
 * <p>With {@code delivery: exactly-once} the writer is transactional: records go into a Kafka
 * transaction under the transactional id of its slot, which is committed at each checkpoint in two
 * phases ({@link #prepareCommit()} on the barrier, {@link #commitPrepared()} once the checkpoint
 * completed) or, for the snapshot's whole chunks, by {@link #flush()}. Opening the writer fences
 * the producer an earlier run left in the slot and aborts its open transaction. A writer opened for
 * a pipeline also records in each transaction, in the positions topic ({@link KafkaPositions}), the
 * last change it applied per table and the chunks it finished, and skips them on a replay: a {@code
 * read_committed} consumer sees each change once.
 */
final class KafkaSinkWriter implements SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkWriter.class);

    private final KafkaSettings settings;
    private final JsonMapper json;
    private final SourceBlock source;
    private final Producer<byte[], byte[]> producer;
    private final Clock clock;
    private final Map<TableSchema, TableRecords> tables = new HashMap<>();
    private final Set<String> truncatesSkipped = new HashSet<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** The transactional id, or null for an at-least-once writer. */
    private final String transactionalId;

    /** What the pipeline committed, or null for a writer not opened for a pipeline. */
    private final KafkaPositions positions;

    /**
     * Records written after {@link #prepareCommit()}, sent once the prepared ones are committed.
     */
    private final List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>();

    private boolean inTransaction;
    private boolean prepared;
    private final Callback onAck =
            (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            };

    /** An at-least-once writer. */
    KafkaSinkWriter(KafkaSettings settings, JsonMapper json) {
        this(settings, json, null, null);
    }

    /**
     * A writer; transactional when {@code transactionalId} is not null, which then fences the
     * slot's earlier producer before returning.
     *
     * @param positions what the pipeline committed (loaded by the caller once this returned), or
     *     null
     */
    KafkaSinkWriter(
            KafkaSettings settings,
            JsonMapper json,
            String transactionalId,
            KafkaPositions positions) {
        this.settings = settings;
        this.json = json;
        this.source = new SourceBlock(settings.prefix());
        this.clock = Clock.systemUTC();
        this.transactionalId = transactionalId;
        this.positions = positions;
        this.producer =
                new KafkaProducer<>(
                        transactionalId == null
                                ? settings.producerSettings()
                                : settings.producerSettings(transactionalId));
        if (transactionalId != null) {
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw KafkaTransactions.notAvailable(settings, transactionalId, e);
            }
        }
    }

    @Override
    public boolean exactlyOnce() {
        return positions != null;
    }

    @Override
    public boolean twoPhaseCommit() {
        return transactionalId != null;
    }

    @Override
    public boolean chunkApplied(String snapshot, SnapshotSplit split, TableSchema table) {
        return positions != null && positions.chunkApplied(snapshot, split);
    }

    @Override
    public void chunkDone(String snapshot, SnapshotSplit split, TableSchema table, long rows) {
        if (positions != null) {
            positions.chunkDone(snapshot, split, rows);
        }
    }

    private TableRecords records(TableSchema table) {
        return tables.computeIfAbsent(
                table,
                t ->
                        new TableRecords(
                                json, t, settings.topicOf(t.id()), settings.encoding(), source));
    }

    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode) {
        snapshotRows(table, rows, table.id(), EventMeta.NONE);
    }

    /** Snapshot rows as {@code r} events whose source block names their table and position. */
    @Override
    public void write(TableSchema table, List<Row> rows, WriteMode mode, SnapshotOrigin origin) {
        snapshotRows(table, rows, origin.table(), new EventMeta(origin.position(), null, null));
    }

    private void snapshotRows(TableSchema table, List<Row> rows, TableId source, EventMeta meta) {
        TableRecords records = records(table);
        Instant now = clock.instant();
        for (Row row : rows) {
            byte[] value =
                    settings.rows()
                            ? records.row(row)
                            : records.envelope(
                                    source,
                                    TableRecords.Op.READ,
                                    null,
                                    false,
                                    row,
                                    meta,
                                    true,
                                    now);
            send(records, records.key(row), value);
        }
    }

    @Override
    public void apply(TableSchema table, List<ChangeEvent> changes) {
        if (positions != null) {
            changes = positions.fresh(table.id(), changes);
        }
        TableRecords records = records(table);
        Instant now = clock.instant();
        for (ChangeEvent change : changes) {
            switch (change) {
                case Insert i -> created(records, i.table(), i.after(), i.meta(), now);
                case Update u -> updated(records, u, now);
                case Delete d ->
                        deleted(records, d.table(), d.before(), d.beforeIsKeyOnly(), d.meta(), now);
                case Truncate t -> truncated(records, t.table(), t.meta(), now);
                case ChangeEvent.SchemaChange s ->
                        throw new SiphonException(
                                ErrorCode.INTERNAL_ERROR,
                                "A schema change reached apply() for " + table.id());
            }
        }
    }

    private void created(
            TableRecords records, TableId source, Row after, EventMeta meta, Instant now) {
        byte[] value =
                settings.rows()
                        ? records.row(after)
                        : records.envelope(
                                source,
                                TableRecords.Op.CREATE,
                                null,
                                false,
                                after,
                                meta,
                                false,
                                now);
        send(records, records.key(after), value);
    }

    private void updated(TableRecords records, Update u, Instant now) {
        if (keyChanged(records.table(), u.before(), u.after())) {
            deleted(records, u.table(), u.before(), u.beforeIsKeyOnly(), u.meta(), now);
            created(records, u.table(), u.after(), u.meta(), now);
            return;
        }
        byte[] value =
                settings.rows()
                        ? records.row(u.after())
                        : records.envelope(
                                u.table(),
                                TableRecords.Op.UPDATE,
                                u.beforeIsKeyOnly() ? null : u.before(),
                                false,
                                u.after(),
                                u.meta(),
                                false,
                                now);
        send(records, records.key(u.after()), value);
    }

    private void deleted(
            TableRecords records,
            TableId source,
            Row before,
            boolean keyOnly,
            EventMeta meta,
            Instant now) {
        byte[] key = records.key(before);
        if (!settings.rows()) {
            send(
                    records,
                    key,
                    records.envelope(
                            source,
                            TableRecords.Op.DELETE,
                            before,
                            keyOnly,
                            null,
                            meta,
                            false,
                            now));
        }
        if ((settings.tombstones() || settings.rows()) && key != null) {
            send(records, key, null);
        }
    }

    private void truncated(TableRecords records, TableId source, EventMeta meta, Instant now) {
        if (settings.rows()) {
            if (truncatesSkipped.add(records.topic())) {
                LOG.warn(
                        "Topic {} got a TRUNCATE of {}, which format 'row' cannot carry: its"
                                + " consumers keep the rows (use format 'debezium' to see it as"
                                + " an event with op 't')",
                        records.topic(),
                        records.table().id());
            }
            return;
        }
        send(
                records,
                null,
                records.envelope(
                        source, TableRecords.Op.TRUNCATE, null, false, null, meta, false, now));
    }

    private static boolean keyChanged(TableSchema table, Row before, Row after) {
        if (before == null || table.primaryKey().isEmpty()) {
            return false;
        }
        for (String k : table.primaryKey()) {
            int i = table.indexOf(k);
            if (!Objects.deepEquals(before.get(i), after.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change) {
        TableSchema after = TargetSchemas.after(table, change);
        SchemaChangeEvents events = new SchemaChangeEvents(json, source);
        send(
                new ProducerRecord<>(
                        settings.schemaChangeTopic(),
                        events.key(table.id()),
                        events.value(table, after, change, clock.instant())));
        tables.keySet().removeIf(t -> t.id().equals(table.id()));
        if (transactionalId == null) {
            flush();
        }
        // A transactional writer keeps it in its transaction, in order with the records around it.
        return after;
    }

    private void send(TableRecords records, byte[] key, byte[] value) {
        send(new ProducerRecord<>(records.topic(), key, value));
    }

    /** Sends a record, into the open transaction; holds it back while one is prepared. */
    private void send(ProducerRecord<byte[], byte[]> record) {
        if (prepared) {
            held.add(record);
            return;
        }
        failIfAnySendFailed();
        try {
            if (transactionalId != null && !inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
            }
            producer.send(record, onAck);
        } catch (RuntimeException e) {
            throw failed(record.topic(), e);
        }
    }

    /** Durable when it returns: a transactional writer prepares and commits. */
    @Override
    public void flush() {
        if (transactionalId != null) {
            prepareCommit();
            commitPrepared();
            return;
        }
        flushProducer();
    }

    private void flushProducer() {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            throw failed("the topics", e);
        }
        failIfAnySendFailed();
    }

    /**
     * Sends what was held back (a checkpoint failed elsewhere after the last prepare: the
     * transaction goes on) and what the transaction applied into the positions topic, and waits
     * until the brokers have it all.
     */
    @Override
    public void prepareCommit() {
        if (transactionalId == null) {
            flush();
            return;
        }
        prepared = false;
        sendHeld();
        if (positions != null) {
            positions.unrecorded().forEach(this::send);
            positions.recorded();
        }
        flushProducer();
        prepared = true;
    }

    @Override
    public void commitPrepared() {
        if (!prepared) {
            return;
        }
        if (inTransaction) {
            try {
                producer.commitTransaction();
            } catch (RuntimeException e) {
                throw failed("the topics", e);
            }
            inTransaction = false;
        }
        prepared = false;
        sendHeld();
    }

    private void sendHeld() {
        List<ProducerRecord<byte[], byte[]>> records = List.copyOf(held);
        held.clear();
        records.forEach(this::send);
    }

    private void failIfAnySendFailed() {
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw failed("the topics", e);
        }
    }

    private SiphonException failed(String topic, Exception e) {
        if (transactionalId != null && KafkaTransactions.fenced(e)) {
            return KafkaTransactions.fencedError(settings, transactionalId, e);
        }
        boolean retriable =
                e instanceof RetriableException
                        || e instanceof org.apache.kafka.common.errors.TimeoutException;
        return new SiphonException(
                retriable ? ErrorCode.SINK_WRITE_RETRIABLE : ErrorCode.SINK_WRITE_FAILED,
                "Kafka at "
                        + settings.bootstrapServers()
                        + " did not take the records for "
                        + topic
                        + ": "
                        + e.getMessage(),
                e);
    }

    /**
     * Drops what was not acknowledged, as a crash would; aborts an open transaction, so that {@code
     * read_committed} consumers need not wait for the brokers' transaction timeout to read on.
     */
    @Override
    public void close() {
        if (inTransaction) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                LOG.debug("Could not abort transaction {}: {}", transactionalId, e.toString());
            }
        }
        producer.close(Duration.ZERO);
    }
}
