package io.siphon.connector.kafka;

import io.siphon.connector.postgres.PostgresConnectorFactory;
import io.siphon.embedded.EmbeddedServer;
import io.siphon.embedded.PostgresServer;
import io.siphon.model.ChangeEvent;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.StreamSource;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.testkit.conformance.ConnectorBehavior;
import io.siphon.testkit.conformance.ConnectorUnderTest;
import io.siphon.testkit.conformance.SourceConformanceSuite;
import io.siphon.testkit.conformance.TypeMatrix;
import io.siphon.testkit.kafka.KafkaExtension;
import io.siphon.testkit.pg.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source conformance suite against the Kafka source, where it applies. The suite's SQL runs in
 * an embedded PostgreSQL database, and a pump per database (PostgreSQL's change stream written by
 * the Kafka sink, on a thread of its own, as a PostgreSQL to Kafka pipeline would) turns it into
 * topics that the Kafka source under test reads.
 *
 * <p>Skipped by capability: every snapshot case (the source is stream only). Skipped by behaviour:
 * a changed key (the topics carry it as a delete and an insert, as Debezium writes it), a renamed
 * column (records show a drop and an add), a table new to the pipeline (its topic appears only with
 * the pump's next start). The suite discovers a table right after creating it, when its topic is
 * still empty and has no schema to discover: the connector under test answers discovery with the
 * schema the pump writes the topic with.
 */
class KafkaSourceConformanceIT extends SourceConformanceSuite {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Map<String, Pump> PUMPS = new ConcurrentHashMap<>();

    @AfterAll
    static void stopPumps() {
        PUMPS.values().forEach(Pump::close);
        PUMPS.clear();
    }

    @Override
    protected ConnectorUnderTest underTest() {
        return new ConnectorUnderTest() {
            @Override
            public EmbeddedServer server() {
                return PG.server();
            }

            @Override
            public String createDatabase(String prefix) {
                return PG.server().createDatabase(prefix);
            }

            @Override
            public Connector connector(String database) {
                Pump pump = PUMPS.computeIfAbsent(database, Pump::start);
                return new UnderTest(
                        KafkaConnectors.connector(
                                KAFKA.broker().bootstrapServers(),
                                Map.of("topic-prefix", prefix(database))),
                        pump.tables);
            }

            @Override
            public String schemaOf(String database) {
                return "public";
            }

            @Override
            public String nativeType(DataType type) {
                return switch (type) {
                    case DataType.Int32 t -> "integer";
                    case DataType.Int64 t -> "bigint";
                    case DataType.StringType t -> "text";
                    default -> throw new IllegalArgumentException("no test type " + type);
                };
            }

            @Override
            public boolean hasBehavior(ConnectorBehavior behavior) {
                return switch (behavior) {
                    case KEY_CHANGE, RENAME_COLUMN, NEW_TABLE -> false;
                    default -> true;
                };
            }
        };
    }

    @Override
    protected TypeMatrix typeMatrix(String database) {
        return null;
    }

    @Override
    protected List<String> keylessTableSetup(TableId table) {
        return List.of("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    }

    private static String prefix(String database) {
        return "tck-" + database;
    }

    private static Connector postgres(String database) {
        PostgresConnectorFactory factory = new PostgresConnectorFactory();
        return factory.create(
                Config.of(
                        Map.of(
                                "url",
                                PG.server().jdbcUrl(database),
                                "user",
                                PostgresServer.USER,
                                "heartbeat-interval",
                                "0s"),
                        factory.options(),
                        List.of("type")));
    }

    /** The Kafka connector, discovering the tables with the schemas the pump writes. */
    private record UnderTest(Connector kafka, List<TableSchema> tables) implements Connector {

        @Override
        public Set<Capability> capabilities() {
            return kafka.capabilities();
        }

        @Override
        public List<Problem> check(Usage usage, TableFilter filter) {
            return kafka.check(usage, filter);
        }

        @Override
        public List<TableSchema> discover(TableFilter filter) {
            return tables.stream().filter(t -> filter.matches(t.id(), "public")).toList();
        }

        @Override
        public SnapshotSource snapshotSource() {
            return kafka.snapshotSource();
        }

        @Override
        public StreamSource streamSource() {
            return kafka.streamSource();
        }

        @Override
        public Sink sink() {
            return kafka.sink();
        }

        @Override
        public void close() {
            kafka.close();
        }
    }

    /**
     * A database's changes written to its topics, as a PostgreSQL to Kafka pipeline writes them:
     * the tables there when it starts, each change applied in stream order, flushed after each
     * poll.
     */
    private static final class Pump implements AutoCloseable {

        final List<TableSchema> tables;
        private final Connector source;
        private final Connector sink;
        private final ChangeStream stream;
        private final SinkWriter writer;
        private final Map<TableId, TableSchema> targets = new HashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        private Pump(String database) {
            source = postgres(database);
            tables = source.discover(TableFilter.of(List.of("public.*"), List.of()));
            sink =
                    KafkaConnectors.connector(
                            KAFKA.broker().bootstrapServers(),
                            Map.of("topic-prefix", prefix(database)));
            for (TableSchema t : tables) {
                targets.put(t.id(), sink.sink().prepareTable(t, t.id(), "postgres").schema());
            }
            String slot = "pump_" + database;
            stream =
                    source.streamSource()
                            .open(
                                    slot,
                                    tables,
                                    source.streamSource()
                                            .prepare(slot, tables, null, false)
                                            .start());
            writer = sink.sink().openWriter();
            thread = new Thread(this::run, "pump-" + database);
            thread.setDaemon(true);
            thread.start();
        }

        static Pump start(String database) {
            return new Pump(database);
        }

        private void run() {
            while (running) {
                List<ChangeEvent> events = stream.poll(Duration.ofMillis(100));
                List<ChangeEvent> batch = new ArrayList<>();
                TableId batchTable = null;
                for (ChangeEvent e : events) {
                    if (batchTable != null && !batchTable.equals(e.table())
                            || e instanceof ChangeEvent.SchemaChange) {
                        flushBatch(batchTable, batch);
                        batchTable = null;
                    }
                    if (e instanceof ChangeEvent.SchemaChange s) {
                        targets.put(s.table(), writer.applySchemaChange(targets.get(s.table()), s));
                    } else {
                        batchTable = e.table();
                        batch.add(e);
                    }
                }
                flushBatch(batchTable, batch);
                writer.flush();
            }
        }

        private void flushBatch(TableId table, List<ChangeEvent> batch) {
            if (!batch.isEmpty()) {
                writer.apply(targets.get(table), List.copyOf(batch));
                batch.clear();
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer.close();
            stream.close();
            sink.close();
            source.close();
        }
    }
}
