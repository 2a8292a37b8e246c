package io.siphon.cli;

import io.siphon.engine.state.ChunkStatus;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.state.TableCopyRecord;
import io.siphon.engine.state.TableCopyStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Reads a running child's state store through a copy of its file: the child holds the H2 file open.
 * A copy taken mid-write may not open; the probes then answer as if nothing were stored yet, and
 * the caller polls again.
 */
public final class StateProbe {

    private StateProbe() {}

    /** Snapshot chunks of the pipeline marked done. */
    public static long doneChunks(Path stateDir, String pipeline, Path scratch) {
        try (StateStore state = StateStore.open(copy(stateDir, scratch))) {
            return state.chunks(pipeline).stream()
                    .filter(c -> c.status() == ChunkStatus.DONE)
                    .count();
        } catch (IOException | RuntimeException copyTakenMidWrite) {
            return 0;
        }
    }

    /**
     * The status of each table copy (per-table re-snapshot) of the pipeline, in the store's order;
     * empty when none is stored or the copy was taken mid-write.
     */
    public static List<TableCopyStatus> tableCopies(Path stateDir, String pipeline, Path scratch) {
        try (StateStore state = StateStore.open(copy(stateDir, scratch))) {
            return state.tableCopies(pipeline).stream().map(TableCopyRecord::status).toList();
        } catch (IOException | RuntimeException copyTakenMidWrite) {
            return List.of();
        }
    }

    /** The stored stream position of the pipeline. */
    public static Optional<String> offset(Path stateDir, String pipeline, Path scratch)
            throws IOException {
        try (StateStore state = StateStore.open(copy(stateDir, scratch))) {
            return state.offset(pipeline);
        }
    }

    /** A copy of the state directory's store in a new folder under {@code scratch}. */
    public static Path copy(Path stateDir, Path scratch) throws IOException {
        Path copy = Files.createTempDirectory(scratch, "probe-");
        Path file = stateDir.resolve("state.mv.db");
        if (Files.exists(file)) {
            Files.copy(file, copy.resolve("state.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }
}
