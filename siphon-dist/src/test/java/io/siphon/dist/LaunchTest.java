package io.siphon.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar's entry point: one line on a Java that is too old, the command line on Java 21+. */
class LaunchTest {

    /**
     * A Java 17 installed beside the one running the tests (JDKs share a parent folder on Debian,
     * Ubuntu and most installers), the Java this test needs to be too old.
     */
    private static Optional<Path> java17() throws IOException {
        Path installed = Path.of(System.getProperty("java.home")).getParent();
        try (Stream<Path> homes = Files.list(installed)) {
            return homes.filter(home -> releaseSays(home, "JAVA_VERSION=\"17"))
                    .map(home -> home.resolve("bin").resolve("java"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    private static boolean releaseSays(Path home, String prefix) {
        try {
            return Files.readAllLines(home.resolve("release")).stream()
                    .anyMatch(line -> line.startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void onJava17ItSaysInOneLineThatJava21IsNeeded() throws Exception {
        Optional<Path> java17 = java17();
        assumeTrue(java17.isPresent(), "no Java 17 installed beside the one running the tests");
        Process p =
                new ProcessBuilder(
                                java17.get().toString(),
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
