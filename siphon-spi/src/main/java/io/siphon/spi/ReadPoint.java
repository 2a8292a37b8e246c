package io.siphon.spi;

/**
 * A consistent point in time of the source that every snapshot reader of one run reads at (for
 * PostgreSQL an exported snapshot, held open by a transaction). Opened and closed on the driver
 * thread; the readers receive its {@link #token()}.
 */
public interface ReadPoint extends AutoCloseable {

    /** What readers need to read at this point; null when the source has no such notion. */
    String token();

    /** Releases the point; called after every reader of the run has finished. */
    @Override
    void close();
}
