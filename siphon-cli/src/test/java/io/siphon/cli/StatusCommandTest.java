package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StatusFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
    private static final long THIS_PROCESS = ProcessHandle.current().pid();

    private static StatusFile.Status status(RunPhase phase, Duration age, long pid) {
        return new StatusFile.Status(
                new RunProgress("orders", phase, List.of(), Duration.ofMinutes(1), null),
                NOW.minus(age),
                pid,
                null);
    }

    @Test
    void aFreshStatusOfARunningPipelineIsLive() {
        assertThat(
                        StatusCommand.age(
                                status(RunPhase.STREAMING, Duration.ofSeconds(1), THIS_PROCESS),
                                NOW))
                .isEqualTo("live");
    }

    @Test
    void aStaleStatusWasLastSeen() {
        assertThat(
                        StatusCommand.age(
                                status(RunPhase.STREAMING, Duration.ofSeconds(42), THIS_PROCESS),
                                NOW))
                .isEqualTo("last seen 42.0s ago");
    }

    @Test
    void anEndedRunIsNeverLive() {
        assertThat(
                        StatusCommand.age(
                                status(RunPhase.STOPPED, Duration.ofSeconds(1), THIS_PROCESS), NOW))
                .isEqualTo("last seen 1.0s ago");
    }

    @Test
    void aRunWhoseProcessIsGoneIsNotLive() {
        long gone =
                ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1)
                        + 100_000;

        assertThat(StatusCommand.age(status(RunPhase.STREAMING, Duration.ofSeconds(1), gone), NOW))
                .isEqualTo("last seen 1.0s ago (its process is gone)");
    }

    @Test
    void aPipelineWithoutStatusIsAnErrorThatNamesTheStateDirectory(@TempDir Path stateDir) {
        CliOutcome outcome =
                CliOutcome.siphon("status", "--state-dir", stateDir.toString(), "nope");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err())
                .isEqualTo(
                        "error [CONFIG_INVALID_VALUE]: pipeline nope has no status in "
                                + stateDir
                                + "; it has not run with this state directory (pass the one it"
                                + " runs with as --state-dir)\n");
    }

    @Test
    void anEmptyStateDirectorySaysSo(@TempDir Path stateDir) {
        CliOutcome outcome = CliOutcome.siphon("status", "--state-dir", stateDir.toString());

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out())
                .isEqualTo("No pipeline has run with state directory " + stateDir + ".\n");
    }
}
