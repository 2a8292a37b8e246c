package io.siphon.engine.memory;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.Option;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Problem;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.StreamSource;
import io.siphon.spi.StreamStart;
import io.siphon.spi.TableFilter;
import io.siphon.spi.Usage;
import io.siphon.spi.WriteMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector over {@link MemoryDatabase}s, for engine tests without servers. The sink can be told
 * to fail after some rows, to slow down, or to fail retriably a number of times.
 */
public final class MemoryConnectorFactory implements ConnectorFactory {

    static final String DEFAULT_SCHEMA = "main";

    /** The database option. */
    public static final Option<String> DATABASE =
            Option.string("database", "Name of the memory database").asRequired();

    /** A secret option. */
    public static final Option<String> SECRET =
            Option.string("secret", "A secret that must never be shown").asSensitive();

    static final Option<Long> FAIL_AFTER_ROWS =
            Option.longValue(
                    "fail-after-rows", "Sink: fail for good once this many rows are flushed", -1);
    static final Option<Integer> RETRIABLE_FAILURES =
            Option.integer("retriable-failures", "Sink: the first writes that fail retriably", 0);
    static final Option<Integer> WRITE_DELAY_MS =
            Option.integer("write-delay-ms", "Sink: pause per written batch", 0);

    static final Option<Boolean> TWO_PHASE =
            Option.bool(
                    "two-phase",
                    "Sink: commit stream changes in two phases (prepareCommit, commitPrepared)",
                    false);

    /** Commits by commitPrepared per sink database. */
    private static final ConcurrentHashMap<String, AtomicLong> PREPARED_COMMITS =
            new ConcurrentHashMap<>();

    /** How many times a two-phase writer of a sink database committed what it prepared. */
    public static long preparedCommits(String database) {
        return PREPARED_COMMITS.computeIfAbsent(database, d -> new AtomicLong()).get();
    }

    /** Flushed rows per sink database, for fail-after-rows. */
    private static final ConcurrentHashMap<String, AtomicLong> FLUSHED = new ConcurrentHashMap<>();

    /** Retriable failures still to throw per sink database. */
    private static final ConcurrentHashMap<String, AtomicInteger> RETRIABLE =
            new ConcurrentHashMap<>();

    /** Resets the failure counters of a sink database. */
    public static void resetFailures(String database, int retriableFailures) {
        FLUSHED.put(database, new AtomicLong());
        RETRIABLE.put(database, new AtomicInteger(retriableFailures));
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public String description() {
        return "In-memory tables for engine tests";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(
                DATABASE,
                SECRET,
                StandardOptions.TABLES,
                StandardOptions.EXCLUDE_TABLES,
                FAIL_AFTER_ROWS,
                RETRIABLE_FAILURES,
                WRITE_DELAY_MS,
                TWO_PHASE);
    }

    @Override
    public Connector create(Config config) {
        return new MemoryConnector(config);
    }

    private static final class MemoryConnector
            implements Connector, SnapshotSource, Sink, StreamSource {
        private final Config config;
        private final String name;

        MemoryConnector(Config config) {
            this.config = config;
            this.name = config.get(DATABASE);
        }

        private MemoryDatabase db() {
            return MemoryDatabase.named(name);
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(
                    Capability.SNAPSHOT_SOURCE,
                    Capability.STREAM_SOURCE,
                    Capability.SINK,
                    Capability.BULK_LOAD,
                    Capability.SCHEMA_CHANGES);
        }

        @Override
        public List<Problem> check(Usage usage, TableFilter tables) {
            List<Problem> problems = new ArrayList<>();
            try {
                db();
            } catch (IllegalStateException e) {
                problems.add(
                        new Problem(
                                ErrorCode.CONNECTION_FAILED,
                                "memory database " + name + " does not exist",
                                "create it in the test"));
            }
            return problems;
        }

        @Override
        public List<TableSchema> discover(TableFilter filter) {
            return db().schemas().stream()
                    .filter(s -> filter.matches(s.id(), DEFAULT_SCHEMA))
                    .toList();
        }

        @Override
        public SnapshotSource snapshotSource() {
            return this;
        }

        @Override
        public Sink sink() {
            return this;
        }

        @Override
        public StreamSource streamSource() {
            return this;
        }

        @Override
        public StreamStart prepare(
                String pipeline,
                List<TableSchema> tables,
                io.siphon.model.Offset resumeFrom,
                boolean withSnapshot) {
            Long slot = db().slot(pipeline);
            if (slot == null && resumeFrom != null) {
                throw new SiphonException(
                        ErrorCode.POSITION_LOST,
                        "the slot of " + pipeline + " is gone; snapshot again");
            }
            if (slot == null) {
                slot = db().logPosition();
                db().setSlot(pipeline, slot);
                return new StreamStart(
                        new MemoryOffset(slot), withSnapshot ? openReadPoint() : null);
            }
            return new StreamStart(new MemoryOffset(slot), null);
        }

        @Override
        public ChangeStream open(
                String pipeline,
                List<TableSchema> tables,
                io.siphon.model.Offset from,
                java.util.Set<io.siphon.model.TableId> asOfFrom) {
            java.util.Set<io.siphon.model.TableId> streamed =
                    tables.stream()
                            .map(TableSchema::id)
                            .collect(java.util.stream.Collectors.toSet());
            return new ChangeStream() {
                private long position = ((MemoryOffset) from).sequence();

                @Override
                public List<ChangeEvent> poll(Duration timeout) {
                    List<ChangeEvent> all = db().changesAfter(position, 500);
                    // Like a publication: only the streamed tables' changes.
                    List<ChangeEvent> events =
                            all.stream().filter(e -> streamed.contains(e.table())).toList();
                    if (all.isEmpty()) {
                        try {
                            Thread.sleep(Math.min(20, timeout.toMillis()));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    position += all.size();
                    return events;
                }

                @Override
                public io.siphon.model.Offset safePosition() {
                    return new MemoryOffset(position);
                }

                @Override
                public void acknowledge(io.siphon.model.Offset offset) {
                    db().setSlot(pipeline, ((MemoryOffset) offset).sequence());
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void drop(String pipeline, io.siphon.model.Offset position, boolean force) {
            db().dropSlot(pipeline);
        }

        @Override
        public OffsetCodec<MemoryOffset> offsetCodec() {
            return new OffsetCodec<>() {
                @Override
                public String toJson(MemoryOffset offset) {
                    return "{\"sequence\":" + offset.sequence() + "}";
                }

                @Override
                public MemoryOffset fromJson(String json) {
                    return new MemoryOffset(Long.parseLong(json.replaceAll("[^0-9]", "")));
                }
            };
        }

        @Override
        public void close() {}

        @Override
        public ReadPoint openReadPoint() {
            return new ReadPoint() {
                @Override
                public String token() {
                    return null;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public List<SnapshotSplit> planSplits(TableSchema table, int chunkRows) {
            int rows = db().rows(table.id()).size();
            List<SnapshotSplit> splits = new ArrayList<>();
            int index = 0;
            for (int from = 0; from < rows || index == 0; from += chunkRows) {
                int to = from + chunkRows;
                splits.add(
                        new SnapshotSplit(
                                table.id(),
                                index,
                                "offset",
                                index == 0 ? null : String.valueOf(from),
                                to >= rows ? null : String.valueOf(to),
                                Math.max(0, Math.min(to, rows) - from)));
                index++;
            }
            return splits;
        }

        @Override
        public SplitReader openSplit(
                TableSchema table, SnapshotSplit split, String readPointToken, int batchRows) {
            List<Row> all = db().rows(table.id());
            int from = split.lower() == null ? 0 : Integer.parseInt(split.lower());
            int to = split.upper() == null ? all.size() : Integer.parseInt(split.upper());
            List<Row> rows = all.subList(Math.min(from, all.size()), Math.min(to, all.size()));
            return new SplitReader() {
                private int at;

                @Override
                public RowBatch next() {
                    if (at >= rows.size()) {
                        return null;
                    }
                    int end = Math.min(rows.size(), at + batchRows);
                    RowBatch b = new RowBatch(table.id(), List.copyOf(rows.subList(at, end)));
                    at = end;
                    return b;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
            MemoryDatabase.Table existing = db().table(target);
            boolean created = existing == null;
            MemoryDatabase.Table t = db().createIfMissing(source.withId(target));
            return new PreparedTable(t.schema, created, t.rows.isEmpty());
        }

        @Override
        public SinkWriter openWriter() {
            return new SinkWriter() {
                private final List<Object[]> pending = new ArrayList<>();
                private final List<Object[]> prepared = new ArrayList<>();

                @Override
                public boolean twoPhaseCommit() {
                    return config.get(TWO_PHASE);
                }

                /** Keeps what was written aside: visible only once committed. */
                @Override
                public void prepareCommit() {
                    if (!twoPhaseCommit()) {
                        flush();
                        return;
                    }
                    prepared.addAll(pending);
                    pending.clear();
                }

                @Override
                public void commitPrepared() {
                    if (prepared.isEmpty()) {
                        return;
                    }
                    List<Object[]> held = List.copyOf(pending);
                    pending.clear();
                    pending.addAll(prepared);
                    prepared.clear();
                    flush();
                    pending.addAll(held);
                    PREPARED_COMMITS.computeIfAbsent(name, d -> new AtomicLong()).incrementAndGet();
                }

                @Override
                public void write(TableSchema table, List<Row> rows, WriteMode mode) {
                    AtomicInteger retriable = RETRIABLE.get(name);
                    if (retriable != null && retriable.getAndDecrement() > 0) {
                        throw new SiphonException(
                                ErrorCode.SINK_WRITE_RETRIABLE, "injected retriable failure");
                    }
                    int delay = config.get(WRITE_DELAY_MS);
                    if (delay > 0) {
                        try {
                            Thread.sleep(delay);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new SiphonException(
                                    ErrorCode.SINK_WRITE_RETRIABLE, "interrupted");
                        }
                    }
                    pending.add(new Object[] {table, List.copyOf(rows), mode});
                }

                @Override
                public void apply(TableSchema table, List<ChangeEvent> changes) {
                    pending.add(new Object[] {table, List.copyOf(changes), null});
                }

                @Override
                public TableSchema applySchemaChange(
                        TableSchema table, ChangeEvent.SchemaChange change) {
                    if (change instanceof ChangeEvent.AddColumn add) {
                        return db().widen(table.id(), add.column());
                    }
                    throw new SiphonException(
                            ErrorCode.SCHEMA_MISMATCH, "memory sink only adds columns");
                }

                @Override
                public void flush() {
                    long limit = config.get(FAIL_AFTER_ROWS);
                    for (Object[] p : pending) {
                        TableSchema table = (TableSchema) p[0];
                        List<?> items = (List<?>) p[1];
                        AtomicLong flushed = FLUSHED.computeIfAbsent(name, n -> new AtomicLong());
                        if (limit >= 0 && flushed.addAndGet(items.size()) > limit) {
                            throw new SiphonException(
                                    ErrorCode.SINK_WRITE_FAILED, "injected failure: disk full");
                        }
                        if (p[2] == null) {
                            @SuppressWarnings("unchecked")
                            List<ChangeEvent> changes = (List<ChangeEvent>) items;
                            db().applyChanges(table, changes);
                        } else {
                            @SuppressWarnings("unchecked")
                            List<Row> rows = (List<Row>) items;
                            db().apply(table, rows, p[2] == WriteMode.UPSERT);
                        }
                    }
                    pending.clear();
                }

                @Override
                public void close() {
                    pending.clear();
                    prepared.clear();
                }
            };
        }
    }
}
