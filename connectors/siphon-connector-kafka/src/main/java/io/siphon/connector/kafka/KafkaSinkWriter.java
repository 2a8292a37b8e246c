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
import io.siphon.spi.WriteMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Callback onAck =
            (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            };

    KafkaSinkWriter(KafkaSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.source = new SourceBlock(settings.prefix());
        this.producer = new KafkaProducer<>(settings.producerSettings());
        this.clock = Clock.systemUTC();
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
        producer.send(
                new ProducerRecord<>(
                        settings.schemaChangeTopic(),
                        events.key(table.id()),
                        events.value(table, after, change, clock.instant())),
                onAck);
        tables.keySet().removeIf(t -> t.id().equals(table.id()));
        flush();
        return after;
    }

    private void send(TableRecords records, byte[] key, byte[] value) {
        failIfAnySendFailed();
        try {
            producer.send(new ProducerRecord<>(records.topic(), key, value), onAck);
        } catch (RuntimeException e) {
            throw failed(records.topic(), e);
        }
    }

    @Override
    public void flush() {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            throw failed("the topics", e);
        }
        failIfAnySendFailed();
    }

    private void failIfAnySendFailed() {
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw failed("the topics", e);
        }
    }

    private SiphonException failed(String topic, Exception e) {
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

    /** Drops what was not acknowledged, as a crash would. */
    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }
}
