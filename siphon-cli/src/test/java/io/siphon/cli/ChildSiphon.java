package io.siphon.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code siphon} command in a child JVM on this test's class path, with this JVM's module opens
 * and time zone, so that a test can kill it for real. Its output goes to {@code <name>.out} and
 * {@code <name>.err} in a folder.
 */
public final class ChildSiphon {

    private ChildSiphon() {}

    /** Starts {@code siphon <args>}; the caller waits for or kills the process. */
    public static Process start(Path outputDir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens")
                    || arg.startsWith("--add-exports")
                    || arg.startsWith("-Duser.timezone")) {
                command.add(arg);
            }
        }
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SiphonCli.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(outputDir.resolve(name + ".out").toFile())
                .redirectError(outputDir.resolve(name + ".err").toFile())
                .start();
    }

    /** What a child named {@code name} printed, standard output then standard error. */
    public static String output(Path outputDir, String name) {
        try {
            return Files.readString(outputDir.resolve(name + ".out"))
                    + Files.readString(outputDir.resolve(name + ".err"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
