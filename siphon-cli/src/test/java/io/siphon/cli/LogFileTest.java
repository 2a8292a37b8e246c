package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code siphon.log} rolls over by size and keeps a fixed number of older files. */
class LogFileTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogFileTest.class);

    @TempDir Path dir;

    @Test
    void theLogRollsOverAtItsSizeAndKeepsOnlyTheNewestFiles() throws Exception {
        LogFile.use(
                dir,
                "--state-dir",
                LogFormat.TEXT,
                FileSize.valueOf("2KB"),
                Duration.buildByMilliseconds(1));
        String filler = "x".repeat(200);
        Path oldest = dir.resolve("siphon." + LogFile.KEPT + ".log");

        // Log until the oldest kept file exists, then until it has been replaced by a newer one:
        // the file rolled over more often than it keeps files.
        long line = 0;
        while (!Files.exists(oldest)) {
            LOG.info("line {} {}", ++line, filler);
        }
        String firstOldest = Files.readString(oldest);
        while (Files.readString(oldest).equals(firstOldest)) {
            LOG.info("line {} {}", ++line, filler);
        }

        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly(
                            "siphon.1.log",
                            "siphon.2.log",
                            "siphon.3.log",
                            "siphon.4.log",
                            "siphon.5.log",
                            "siphon.log");
        }
        assertThat(Files.readString(dir.resolve("siphon.1.log")))
                .contains("INFO  [main] io.siphon.cli.LogFileTest  - line ");
        assertThat(Files.readString(dir.resolve("siphon.log")))
                .endsWith("line " + line + " " + filler + "\n");
        assertThat(LogFile.current()).isEqualTo(dir.resolve("siphon.log"));
    }
}
