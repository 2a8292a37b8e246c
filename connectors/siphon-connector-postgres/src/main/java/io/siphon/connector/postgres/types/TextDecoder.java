package io.siphon.connector.postgres.types;

/**
 * Turns one value in PostgreSQL's text form (what the type's output function writes, in the session
 * set up by {@link io.siphon.connector.postgres.PostgresEndpoint}) into the Java value of its
 * {@link io.siphon.model.DataType}: the same value {@link BinaryDecoders} gives for the binary
 * form. Decoders are stateless and never called for NULL.
 */
@FunctionalInterface
public interface TextDecoder {

    /**
     * Decodes one value.
     *
     * @throws IllegalArgumentException (or a subclass such as {@link NumberFormatException}) or
     *     {@link java.time.DateTimeException} when the text is not a value of the type
     */
    Object decode(String text);
}
