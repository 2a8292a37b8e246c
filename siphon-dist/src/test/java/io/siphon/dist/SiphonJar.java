package io.siphon.dist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shaded jar as users run it, {@code java -jar target/siphon.jar}, with nothing else on the
 * class path.
 */
final class SiphonJar {

    private static final Path JAR = Path.of("target", "siphon.jar");

    private SiphonJar() {}

    /** A process builder for {@code siphon args...} from the jar, with this JVM's java. */
    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            // As the ./siphon launcher does: Hazelcast's bundled JCTools uses sun.misc.Unsafe,
            // and Java 23+ warns about it on standard error at every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
