package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.PostgresEndpoint;
import io.siphon.spi.ReadPoint;
import java.sql.Connection;

/**
 * The snapshot a new replication slot exported: the data exactly as of the slot's consistent point,
 * where its stream begins. Split readers adopt it with {@code SET TRANSACTION SNAPSHOT '<token>'}.
 * It exists only while the replication connection that created the slot stays open and runs no
 * other command, so this read point holds that connection, idle, until {@link #close()}.
 */
final class SlotSnapshot implements ReadPoint {

    private final Connection replication;
    private final String snapshotName;

    SlotSnapshot(Connection replication, String snapshotName) {
        this.replication = replication;
        this.snapshotName = snapshotName;
    }

    @Override
    public String token() {
        return snapshotName;
    }

    /** Closes the replication connection, which ends the snapshot; the slot stays. */
    @Override
    public void close() {
        PostgresEndpoint.closeQuietly(replication);
    }
}
