package io.siphon.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One lock per pipeline: a second holder is refused by name, another pipeline is not. */
class PipelineLockTest {

    @TempDir Path stateDir;

    @Test
    void aSecondLockOfTheSamePipelineIsRefusedNamingTheHolderAndAnotherPipelineIsNot() {
        try (PipelineLock first = PipelineLock.acquire(stateDir, "orders")) {
            assertThatThrownBy(() -> PipelineLock.acquire(stateDir, "orders"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PIPELINE_ALREADY_RUNNING))
                    .hasMessageStartingWith(
                            "pipeline orders is already running (process "
                                    + ProcessHandle.current().pid()
                                    + " on "
                                    + PipelineLock.hostName()
                                    + " with state directory "
                                    + stateDir.toAbsolutePath()
                                    + " since ")
                    .hasMessageContaining("siphon status orders --state-dir ");
            try (PipelineLock other = PipelineLock.acquire(stateDir, "customers")) {
                assertThat(other.file()).isNotEqualTo(first.file());
            }
        }
    }

    @Test
    void aServerIsToldToChooseAnotherDataDirectoryNotAStateDirectory() {
        try (PipelineLock first = PipelineLock.acquire(stateDir, "orders", "--data-dir")) {
            assertThatThrownBy(() -> PipelineLock.acquire(stateDir, "orders", "--data-dir"))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PIPELINE_ALREADY_RUNNING))
                    .hasMessageEndingWith(
                            "; stop that run first (Ctrl-C, or SIGTERM to its process), or give"
                                    + " this one another --data-dir")
                    .hasMessageNotContaining("--state-dir");
        }
    }

    @Test
    void aStateStoreOpenedForAServerNamesItsDataDirectoryOption() throws IOException {
        Path file = java.nio.file.Files.createFile(stateDir.resolve("not-a-directory"));

        assertThatThrownBy(() -> StateStore.open(file.resolve("state"), "--data-dir"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageEndingWith("; choose a writable --data-dir")
                .hasMessageNotContaining("--state-dir");
    }

    @Test
    void aFullDiskIsSaidToBeOne() {
        IOException full = new IOException("No space left on device");
        SQLException e = h2WriteFailure(full);

        SiphonException failure = StateStore.failure("--state-dir", "store the position of p", e);

        assertThat(failure.code()).isEqualTo(ErrorCode.STATE_STORE_FULL);
        assertThat(failure.getMessage())
                .isEqualTo(
                        "could not store the position of p: the disk holding the state directory"
                                + " is full (No space left on device); free space there or choose"
                                + " a --state-dir on another disk. What was stored before is"
                                + " kept: the run resumes from it");
        assertThat(failure.getCause()).isSameAs(e);
        assertThat(StateStore.describe(full))
                .isEqualTo("the disk is full: No space left on device");
        assertThat(StateStore.diskFull(new SQLException("Table not found"))).isFalse();
    }

    @Test
    void aFileThatMayNotGrowIsSaidToBeOne() {
        SQLException e = h2WriteFailure(new IOException("File too large"));

        SiphonException failure = StateStore.failure("--data-dir", "store the position of p", e);

        assertThat(failure.code()).isEqualTo(ErrorCode.STATE_STORE_FULL);
        assertThat(failure.getMessage())
                .startsWith(
                        "could not store the position of p: the state file may not grow any"
                                + " larger (File too large: a limit on file sizes, such as ulimit"
                                + " -f, is reached)");
    }

    /**
     * The exception H2's JDBC layer throws when the store's file cannot be written: built by H2's
     * own code from the operating system's error, as {@code DataUtils.writeFully} does it.
     */
    private static SQLException h2WriteFailure(IOException os) {
        SQLException e =
                org.h2.message.DbException.toSQLException(
                        org.h2.mvstore.DataUtils.newMVStoreException(
                                org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED,
                                "Writing to {0} failed; length {1} at {2}",
                                "/state/siphon-state.mv.db",
                                4096,
                                1_048_576L,
                                os));
        assertThat(e.getMessage()).contains("MVStoreException");
        return e;
    }
}
