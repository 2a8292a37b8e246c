package io.siphon.dist;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that any Java can load it: on a Java older than 21
 * it says in one line what is needed instead of failing with an {@code
 * UnsupportedClassVersionError} trace; otherwise it hands over to the command line.
 */
public final class Launch {

    private static final int NEEDED = 21;

    private Launch() {}

    /** Checks the Java version, then runs {@code io.siphon.cli.SiphonCli}. */
    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version", "0");
        if (major(version) < NEEDED) {
            System.err.println(
                    "Siphon needs Java "
                            + NEEDED
                            + " or newer, but this is Java "
                            + version
                            + " ("
                            + System.getProperty("java.home")
                            + "); run it with a Java "
                            + NEEDED
                            + "+ runtime (set JAVA_HOME, or call that java -jar).");
            System.exit(1);
        }
        try {
            Class.forName("io.siphon.cli.SiphonCli")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code 1.8} is 8, {@code 17} is 17. */
    static int major(String version) {
        String[] parts = version.split("\\.");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
