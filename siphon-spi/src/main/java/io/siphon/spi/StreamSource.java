package io.siphon.spi;

import io.siphon.model.Offset;
import io.siphon.model.TableSchema;
import java.util.List;

/** The change-data-capture side of a connector ({@link Capability#STREAM_SOURCE}). */
public interface StreamSource {

    /**
     * Creates or updates what the pipeline's stream needs at the source (PostgreSQL: the
     * publication and the replication slot). Idempotent. Driver thread.
     *
     * @param pipeline the pipeline's name, from which the source derives its object names
     * @param tables the tables to stream
     * @param resumeFrom the stored position the pipeline will resume from, or null for a pipeline
     *     that has none yet
     * @param withSnapshot whether to return a read point at exactly the start of a newly created
     *     stream, for a snapshot whose end hands over to the stream without gap or overlap
     * @return where a new stream starts; for an existing stream, its current position and no read
     *     point
     * @throws SiphonException {@link ErrorCode#POSITION_LOST} when {@code resumeFrom} is given but
     *     the source can no longer stream from it (PostgreSQL: the slot was dropped or
     *     invalidated); the data must then be snapshotted again
     */
    StreamStart prepare(
            String pipeline, List<TableSchema> tables, Offset resumeFrom, boolean withSnapshot);

    /**
     * Opens the stream after a position. Reader thread.
     *
     * @param pipeline the pipeline's name
     * @param tables the tables to stream, with the schemas the target has now
     * @param from the position to resume after
     */
    ChangeStream open(String pipeline, List<TableSchema> tables, Offset from);

    /** Removes what {@link #prepare} created. Driver thread. */
    void drop(String pipeline);

    /** The codec of this source's offsets. */
    OffsetCodec<? extends Offset> offsetCodec();
}
