package io.siphon.engine.memory;

import io.siphon.model.Offset;

/**
 * A position in a memory database's change log: the number of changes before and including it.
 *
 * @param sequence the position
 */
public record MemoryOffset(long sequence) implements Offset {
    @Override
    public String describe() {
        return "#" + sequence;
    }
}
