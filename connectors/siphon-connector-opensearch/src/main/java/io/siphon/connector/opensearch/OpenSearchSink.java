package io.siphon.connector.opensearch;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Problem;
import io.siphon.spi.Sink;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The writing side: an index per target table, created from the table's types, and {@link
 * OpenSearchSinkWriter}s. At least once with idempotent writes: documents are keyed by the row's
 * key, so a replay leaves the same documents.
 */
final class OpenSearchSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSink.class);

    private final Indexes indexes;
    private final Config config;

    OpenSearchSink(Indexes indexes, Config config) {
        this.indexes = indexes;
        this.config = config;
    }

    /**
     * Creates the table's index when missing; otherwise adds the fields it lacks and refuses fields
     * mapped with another type (a reindex is needed, the message says how).
     */
    @Override
    public PreparedTable prepareTable(TableSchema source, TableId target, String sourceType) {
        TableSchema prepared = source.withId(target);
        return prepare(indexes, prepared);
    }

    /** Creates or fits the index of a target table, as {@link #prepareTable} says. */
    static PreparedTable prepare(Indexes indexes, TableSchema table) {
        String index = indexes.name(table.id());
        ObjectNode existing = indexes.fields(index);
        if (existing == null) {
            indexes.create(index, table);
            LOG.info("Created index {} for table {}", index, table.id());
            return new PreparedTable(table, true, true);
        }
        Indexes.Fit fit = indexes.fit(index, existing, table);
        Problem.throwAll("the index of table " + table.id(), fit.conflicts());
        indexes.addFields(index, fit.missing());
        return new PreparedTable(table, false, indexes.isEmpty(index));
    }

    @Override
    public List<Problem> checkTable(TableSchema source, TableId target, String sourceType) {
        TableSchema table = source.withId(target);
        List<Problem> problems = new ArrayList<>();
        try {
            String index = indexes.name(target);
            ObjectNode existing = indexes.fields(index);
            if (existing != null) {
                problems.addAll(indexes.fit(index, existing, table).conflicts());
            }
        } catch (SiphonException e) {
            problems.add(new Problem(e.code(), e.getMessage(), "Fix it and validate again"));
        }
        return problems;
    }

    @Override
    public SinkWriter openWriter() {
        return new OpenSearchSinkWriter(
                indexes,
                new BulkSender(indexes.http(), config.get(OpenSearchOptions.RETRY_TIMEOUT)),
                config.get(OpenSearchOptions.BULK_BYTES));
    }
}
