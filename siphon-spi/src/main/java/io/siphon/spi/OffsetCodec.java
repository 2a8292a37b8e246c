package io.siphon.spi;

import io.siphon.model.Offset;

/**
 * Turns a connector's {@link Offset}s into JSON text and back, so that the engine can store them
 * without knowing their shape and a person can read them in status output. Stateless; any thread.
 *
 * @param <O> the connector's offset type
 */
public interface OffsetCodec<O extends Offset> {

    /** The offset as a JSON object text. */
    String toJson(O offset);

    /**
     * The offset from {@link #toJson} text.
     *
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the text is not an offset
     *     of this connector
     */
    O fromJson(String json);

    /**
     * The position to store when the reader of one part of a stream read in parts ({@link
     * StreamSource#parts()}) stores its own: the stored position with that part's share replaced by
     * {@code part}'s. The default, for a stream read whole, is {@code part} itself.
     *
     * @param stored the position stored so far (every part's)
     * @param part the position of one part's share, from its {@link ChangeStream#safePosition()}
     */
    default O merge(O stored, O part) {
        return part;
    }
}
