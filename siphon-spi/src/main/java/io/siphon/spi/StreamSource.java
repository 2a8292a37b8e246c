package io.siphon.spi;

import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.List;
import java.util.Set;

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
     *     invalidated); the data must then be snapshotted again. {@link
     *     ErrorCode#PIPELINE_ALREADY_RUNNING} when another process streams from the pipeline's
     *     objects, naming it; {@link ErrorCode#STATE_CONFLICT} when they exist but {@code
     *     resumeFrom} is null: another copy of the pipeline (another state directory) created them
     */
    StreamStart prepare(
            String pipeline, List<TableSchema> tables, Offset resumeFrom, boolean withSnapshot);

    /**
     * {@link #prepare(String, List, Offset, boolean)} for one copy of the pipeline, named by its
     * instance token: a random token created with the pipeline's state and kept there. A source
     * that can, records the token with the objects it creates, and refuses objects recorded with
     * another token ({@link ErrorCode#STATE_CONFLICT}, naming it): they belong to another copy of
     * the pipeline, even one whose state holds a position. Objects recorded with no token (created
     * by an older version) are adopted. Driver thread.
     *
     * @param instance the instance token of the caller's state; null checks and records none
     */
    default StreamStart prepare(
            String pipeline,
            String instance,
            List<TableSchema> tables,
            Offset resumeFrom,
            boolean withSnapshot) {
        return prepare(pipeline, tables, resumeFrom, withSnapshot);
    }

    /**
     * Opens the stream after a position, with no table's schema known as of that position. Reader
     * thread.
     *
     * @see #open(String, List, Offset, Set)
     */
    default ChangeStream open(String pipeline, List<TableSchema> tables, Offset from) {
        return open(pipeline, tables, from, Set.of());
    }

    /**
     * Opens the stream after a position. Reader thread.
     *
     * <p>A table named in {@code asOfFrom} comes with its schema as of {@code from}, from the
     * schema history the engine keeps with the stored position ({@link
     * ChangeStream#safeSchemas()}): the stream then reports every schema change after {@code from}
     * in order, before the rows that follow it, including those made while the pipeline was
     * stopped. Any other table comes with its schema as the source has it now (a table new to the
     * pipeline, or a position stored without history): the stream first reports what changed
     * between that schema and the source's schema when the stream opens, and maps older changes
     * onto it.
     *
     * @param pipeline the pipeline's name
     * @param tables the tables to stream, each with its schema as of {@code from} or as of now
     * @param from the position to resume after
     * @param asOfFrom the tables whose schema in {@code tables} is their schema as of {@code from}
     */
    ChangeStream open(
            String pipeline, List<TableSchema> tables, Offset from, Set<TableId> asOfFrom);

    /**
     * How many readers may read the stream in parallel, each a {@link StreamPart} of it opened with
     * {@link #open(String, List, Offset, Set, StreamPart)}. 1, the default, for a stream that is
     * one ordered sequence (PostgreSQL's WAL, MySQL's binlog): a second reader would break its
     * order. A source that returns more splits its stream so that each row's changes are in one
     * part, in order (Kafka: a key is in one partition, and a partition in one part), and stores
     * each part's position with {@link OffsetCodec#merge}. Driver thread.
     */
    default int parts() {
        return 1;
    }

    /**
     * Opens one part of the stream after a position. Reader thread, one per part; the readers of a
     * stream's parts may run in different processes.
     *
     * <p>Every part is opened with the same {@code from} (the merge of every part's stored
     * position) and reads only its share of the stream; its {@link ChangeStream#safePosition()} and
     * {@link ChangeStream#safeSchemas()} hold only that share (the tables it reads), which the
     * engine merges into the stored position.
     *
     * @param part which part, one of {@link #parts()} parts; {@link StreamPart#WHOLE} for the whole
     *     stream
     * @see #open(String, List, Offset, Set)
     */
    default ChangeStream open(
            String pipeline,
            List<TableSchema> tables,
            Offset from,
            Set<TableId> asOfFrom,
            StreamPart part) {
        if (!part.whole()) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "this source's stream is read by one reader, not in "
                            + part.count()
                            + " parts");
        }
        return open(pipeline, tables, from, asOfFrom);
    }

    /**
     * Removes what {@link #prepare} created. Driver thread.
     *
     * <p>The stream objects at the source belong to the copy of the pipeline whose state holds a
     * position of them. A state with no position did not create them (or has forgotten them): then
     * they are another copy's, and dropping them would cut that copy off, so the source refuses
     * unless {@code force}; and it never ends another process's stream from them unless {@code
     * force}.
     *
     * @param pipeline the pipeline's name
     * @param position the position the caller's state holds for the pipeline, or null for none
     * @param force drop them even when they are another copy's, ending its stream
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} when they are another copy's, or
     *     {@link ErrorCode#PIPELINE_ALREADY_RUNNING} when another process streams from them, each
     *     naming it; never with {@code force}
     */
    void drop(String pipeline, Offset position, boolean force);

    /**
     * {@link #drop(String, Offset, boolean)} for one copy of the pipeline, named by its instance
     * token (see {@link #prepare(String, String, List, Offset, boolean)}): objects recorded with
     * another token are another copy's, and are refused ({@link ErrorCode#STATE_CONFLICT}) unless
     * {@code force}. Driver thread.
     *
     * @param instance the instance token of the caller's state, or null when it has none
     */
    default void drop(String pipeline, String instance, Offset position, boolean force) {
        drop(pipeline, position, force);
    }

    /**
     * The tables among {@code tables} that the stream cannot carry yet, each with what to do; the
     * others stream. Asked before each stream starts and whenever new tables are found. Driver
     * thread.
     *
     * @param pipeline the pipeline's name
     * @param tables tables that match the pipeline
     */
    default List<UnstreamableTable> unstreamable(String pipeline, List<TableId> tables) {
        return List.of();
    }

    /** The codec of this source's offsets. */
    OffsetCodec<? extends Offset> offsetCodec();
}
