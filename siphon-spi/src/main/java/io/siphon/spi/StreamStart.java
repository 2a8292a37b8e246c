package io.siphon.spi;

import io.siphon.model.Offset;

/**
 * Where a newly prepared change stream starts.
 *
 * @param start the first position of the stream (changes after it are streamed)
 * @param snapshot a read point showing the data exactly as of {@code start}, when one was asked for
 *     and the stream was created just now; otherwise null. The caller closes it.
 */
public record StreamStart(Offset start, ReadPoint snapshot) {}
