package io.siphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.engine.RunPhase;
import io.siphon.engine.StatusFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.awaitility.Awaitility;

/**
 * The {@code siphon} command in a child JVM on this test's class path, with this JVM's module opens
 * and time zone, so that a test can kill it for real. Its output goes to {@code <name>.out} and
 * {@code <name>.err} in a folder.
 */
public final class ChildSiphon {

    private ChildSiphon() {}

    /** Starts {@code siphon run <spec> --state-dir <stateDir>}, its output named {@code name}. */
    public static Process run(Path outputDir, String name, Path spec, Path stateDir)
            throws IOException {
        return start(outputDir, name, "run", spec.toString(), "--state-dir", stateDir.toString());
    }

    /**
     * Waits until this very process reports the pipeline streaming in its status file; fails at
     * once, with the child's output, if it ends first.
     */
    public static void awaitStreaming(
            Process run, Path stateDir, String pipeline, Path outputDir, String name) {
        Awaitility.await(name + " streaming")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            assertThat(run.isAlive()).as(output(outputDir, name)).isTrue();
                            return StatusFile.read(stateDir, pipeline)
                                    .map(
                                            s ->
                                                    s.progress().phase() == RunPhase.STREAMING
                                                            && s.processId() == run.pid())
                                    .orElse(false);
                        });
    }

    /**
     * Waits until this process's snapshot has recorded at least {@code chunks} chunks as done;
     * fails at once, with the child's output, if it ends first (it must still be there to be
     * killed).
     */
    public static void awaitChunksDone(
            Process run, Path stateDir, String pipeline, Path outputDir, String name, int chunks) {
        Awaitility.await(name + ": " + chunks + " chunks done")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            assertThat(run.isAlive()).as(output(outputDir, name)).isTrue();
                            return StateProbe.doneChunks(stateDir, pipeline, outputDir) >= chunks;
                        });
    }

    /**
     * Starts {@code siphon run}, waits until its snapshot has recorded 2 to 4 more chunks as done
     * than before it started (a random count), then kills it with SIGKILL and checks that the
     * snapshot was still under way: fewer than {@code totalChunks} chunks done.
     */
    public static void killMidSnapshot(
            Path outputDir,
            String name,
            Path spec,
            Path stateDir,
            String pipeline,
            Random random,
            long totalChunks)
            throws IOException, InterruptedException {
        long before = StateProbe.doneChunks(stateDir, pipeline, outputDir);
        Process run = run(outputDir, name, spec, stateDir);
        awaitChunksDone(
                run, stateDir, pipeline, outputDir, name, (int) before + 2 + random.nextInt(3));
        kill(run);
        assertThat(StateProbe.doneChunks(stateDir, pipeline, outputDir))
                .as("chunks done when " + name + " was killed mid-snapshot")
                .isLessThan(totalChunks);
    }

    /**
     * Starts {@code siphon run}, waits until it streams, lets it stream for 0.5 to 2.5 s (a random
     * moment) while the source's {@code writes} count grows, then kills it with SIGKILL.
     */
    public static void killMidStream(
            Path outputDir,
            String name,
            Path spec,
            Path stateDir,
            String pipeline,
            Random random,
            LongSupplier writes)
            throws IOException, InterruptedException {
        Process run = run(outputDir, name, spec, stateDir);
        awaitStreaming(run, stateDir, pipeline, outputDir, name);
        long before = writes.getAsLong();
        Thread.sleep(500 + random.nextInt(2000));
        assertThat(writes.getAsLong())
                .as("source writes while " + name + " streams")
                .isGreaterThan(before);
        kill(run);
    }

    /** Kills the process with SIGKILL, as a crash would, and checks that it died of it. */
    public static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
    }

    /** Starts {@code siphon <args>}; the caller waits for or kills the process. */
    public static Process start(Path outputDir, String name, String... args) throws IOException {
        return start(outputDir, name, Map.of(), args);
    }

    /**
     * Starts {@code siphon <args>} with extra environment variables (the server's {@code
     * SIPHON_ADMIN_PASSWORD}, for example); the caller waits for or kills the process.
     */
    public static Process start(
            Path outputDir, String name, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens")
                    || arg.startsWith("--add-exports")
                    || arg.startsWith("-Duser.timezone")) {
                command.add(arg);
            }
        }
        if (Runtime.version().feature() >= 23) {
            // As the ./siphon launcher does: Hazelcast's bundled JCTools uses sun.misc.Unsafe,
            // and Java 23+ warns about it on standard error at every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SiphonCli.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(outputDir.resolve(name + ".out").toFile())
                        .redirectError(outputDir.resolve(name + ".err").toFile());
        builder.environment().putAll(environment);
        return builder.start();
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
