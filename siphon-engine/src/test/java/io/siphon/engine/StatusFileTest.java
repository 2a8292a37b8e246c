package io.siphon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.TableId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A status file is written when the progress changes and otherwise only marked as confirmed: read
 * back, a confirmed status is as of its mark, its run that much longer.
 */
class StatusFileTest {

    @TempDir Path stateDir;

    private static RunProgress streaming(Duration elapsed, Duration tableElapsed, long inserts) {
        TableId t = TableId.of("public", "orders");
        return new RunProgress(
                "idle",
                RunPhase.STREAMING,
                List.of(
                        new TableProgress(
                                t,
                                t,
                                1,
                                1,
                                10,
                                10,
                                false,
                                tableElapsed,
                                true,
                                Map.of("insert", inserts),
                                null,
                                null)),
                elapsed,
                new StreamProgress("0/16B3748", "0/16B3748", 0.0, 12, 40, 0));
    }

    @Test
    void progressesThatDifferOnlyInTheirTimesAreTheSameStatus() {
        assertThat(
                        StatusFile.withoutTimes(
                                streaming(Duration.ofSeconds(5), Duration.ofSeconds(1), 3)))
                .isEqualTo(
                        StatusFile.withoutTimes(
                                streaming(Duration.ofMinutes(9), Duration.ofMinutes(2), 3)));
        assertThat(
                        StatusFile.withoutTimes(
                                streaming(Duration.ofSeconds(5), Duration.ofSeconds(1), 3)))
                .isNotEqualTo(
                        StatusFile.withoutTimes(
                                streaming(Duration.ofSeconds(5), Duration.ofSeconds(1), 4)));
    }

    @Test
    void aConfirmedStatusIsReadAsOfItsConfirmationWithItsRunThatMuchLonger() throws Exception {
        StatusFile.write(stateDir, streaming(Duration.ofSeconds(30), Duration.ZERO, 3), null);
        Path file = stateDir.resolve("status").resolve("idle.json");
        // A modification time before the time written in the file: the status as written.
        Files.setLastModifiedTime(file, FileTime.from(Instant.EPOCH));
        StatusFile.Status written = StatusFile.read(stateDir, "idle").orElseThrow();
        assertThat(written.progress().elapsed()).isEqualTo(Duration.ofSeconds(30));
        String json = Files.readString(file);

        Files.setLastModifiedTime(file, FileTime.from(written.writtenAt().plusSeconds(90)));
        StatusFile.Status confirmed = StatusFile.read(stateDir, "idle").orElseThrow();

        assertThat(Files.readString(file)).isEqualTo(json);
        assertThat(confirmed.writtenAt()).isEqualTo(written.writtenAt().plusSeconds(90));
        assertThat(confirmed.progress().elapsed()).isEqualTo(Duration.ofSeconds(120));
        assertThat(confirmed.progress().tables()).isEqualTo(written.progress().tables());
        assertThat(confirmed.processId()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void onlyAnExistingStatusCanBeConfirmed() throws Exception {
        assertThat(StatusFile.touch(stateDir, "idle")).isFalse();
        StatusFile.write(stateDir, streaming(Duration.ofSeconds(30), Duration.ZERO, 3), null);
        assertThat(StatusFile.touch(stateDir, "idle")).isTrue();
    }
}
