package io.siphon.spi;

/**
 * One of the parts a stream is read in by parallel readers ({@link StreamSource#parts()}): the
 * reader of part {@code index} of {@code count} reads only that part's share of the stream, and
 * stores only that share's position.
 *
 * @param index which part, from 0
 * @param count how many parts the stream is read in, at least 1
 */
public record StreamPart(int index, int count) {

    /** The whole stream, read by one reader. */
    public static final StreamPart WHOLE = new StreamPart(0, 1);

    /** Checks that the index is one of the parts. */
    public StreamPart {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("part " + index + " of " + count);
        }
    }

    /** Whether the stream is read by one reader. */
    public boolean whole() {
        return count == 1;
    }
}
