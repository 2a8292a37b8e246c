package io.siphon.connector.postgres.snapshot;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresErrors;
import io.siphon.model.TableSchema;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import java.sql.SQLException;
import java.util.List;

/**
 * The snapshot side of the connector: an exported snapshot as the read point, splits by primary key
 * or block ranges, and binary COPY readers.
 */
public final class PostgresSnapshotSource implements SnapshotSource {

    private final PostgresConnector connector;

    /** The snapshot side of a connector. */
    public PostgresSnapshotSource(PostgresConnector connector) {
        this.connector = connector;
    }

    @Override
    public ReadPoint openReadPoint() {
        return ExportedSnapshot.open(connector.endpoint());
    }

    @Override
    public List<SnapshotSplit> planSplits(TableSchema table, int chunkRows) {
        try {
            return SplitPlanner.plan(connector.connection(), table, chunkRows);
        } catch (SQLException e) {
            throw PostgresErrors.translate(e, "planning the snapshot of " + table.id());
        }
    }

    @Override
    public SplitReader openSplit(
            TableSchema table, SnapshotSplit split, String readPointToken, int batchRows) {
        return CopySplitReader.open(connector.endpoint(), table, split, readPointToken, batchRows);
    }
}
