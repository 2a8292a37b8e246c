package io.siphon.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state store whose file cannot grow says so, for real: a child process with a limit on file
 * sizes ({@code ulimit -f}, which the JVM turns into EFBIG "File too large" rather than dying of
 * SIGXFSZ) fills its store. A full disk (ENOSPC) cannot be made here without root (no loop device
 * or tmpfs of our own), so that path is tested on H2's exception chain in {@link PipelineLockTest}.
 */
class StateStoreFullTest {

    @TempDir Path dir;

    @Test
    void aStoreThatCannotGrowIsStateStoreFullNotAnH2Error() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child =
                new ProcessBuilder(
                                "sh",
                                "-c",
                                "ulimit -f 16384 && exec \"$0\" \"$@\"",
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                StateStoreFiller.class.getName(),
                                dir.resolve("state").toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(out)
                .as(out)
                .contains(
                        "STATE_STORE_FULL: could not write the state store in "
                                + dir.resolve("state").toAbsolutePath()
                                + ": the state file may not grow any larger (File too large: a"
                                + " limit on file sizes, such as ulimit -f, is reached)")
                .doesNotContain("no failure");
    }
}
