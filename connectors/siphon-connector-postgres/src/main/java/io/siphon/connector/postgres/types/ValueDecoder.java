package io.siphon.connector.postgres.types;

/**
 * Turns one value in PostgreSQL's binary wire format into the Java value of its {@link
 * io.siphon.model.DataType}. Decoders are stateless and work on a slice of a shared buffer, so that
 * the snapshot hot path copies nothing it does not keep.
 */
@FunctionalInterface
public interface ValueDecoder {

    /**
     * Decodes the bytes {@code [offset, offset + length)} of {@code buf}; never called for NULL.
     */
    Object decode(byte[] buf, int offset, int length);
}
