package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The jar's entry point: one line on a Java that is too old, the command line on Java 21+. */
class LaunchTest {

    /** Where Debian and Ubuntu install OpenJDK 17, the Java this test needs to be too old. */
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    @Test
    void onJava17ItSaysInOneLineThatJava21IsNeeded() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_17), "no Java 17 at " + JAVA_17);
        Process p =
                new ProcessBuilder(
                                JAVA_17.toString(),
                                "-cp",
                                Path.of("target", "classes").toString(),
                                Launch.class.getName(),
                                "--version")
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output)
                .startsWith("Siphon needs Java 21 or newer, but this is Java 17 (")
                .endsWith(
                        "); run it with a Java 21+ runtime (set JAVA_HOME, or call that java"
                                + " -jar).\n")
                .doesNotContain("UnsupportedClassVersionError");
    }

    @Test
    void readsOldAndNewVersionNumbers() {
        assertThat(Launch.major("1.8")).isEqualTo(8);
        assertThat(Launch.major("17")).isEqualTo(17);
        assertThat(Launch.major("25")).isEqualTo(25);
        assertThat(Launch.major("weird")).isZero();
    }
}
