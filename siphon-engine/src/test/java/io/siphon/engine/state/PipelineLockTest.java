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
        SQLException wrapped =
                new SQLException("General error: MVStoreException", new RuntimeException(full));

        assertThat(StateStore.diskFull(wrapped)).isTrue();
        assertThat(StateStore.describe(full))
                .isEqualTo("the disk is full: No space left on device");
        assertThat(StateStore.diskFull(new SQLException("Table not found"))).isFalse();
    }
}
