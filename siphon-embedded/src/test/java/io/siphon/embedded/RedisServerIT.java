package io.siphon.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An embedded Redis dies with the JVM that started it, however that JVM ends. */
class RedisServerIT {

    /** The JVM under test: starts a server, prints its folder, and waits to be killed. */
    public static void main(String[] args) throws InterruptedException {
        RedisServer server = RedisServer.start();
        System.out.println(server.root());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    @Test
    void serverStopsAndItsFolderGoesWhenItsJvmGetsSigterm() throws Exception {
        Path root = startAndKill(false);
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void serverStopsWhenItsJvmIsKilled() throws Exception {
        Path root = startAndKill(true);
        TempDirectories.deleteRecursively(root);
    }

    /**
     * Starts a JVM with a server, kills the JVM ({@code SIGKILL} or {@code SIGTERM}) and waits for
     * every process it started to end; returns the server's folder.
     */
    private static Path startAndKill(boolean forcibly) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process jvm =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        RedisServerIT.class.getName()))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        Path root;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            root = Path.of(out.readLine());
        }
        List<ProcessHandle> started = jvm.descendants().toList();
        assertThat(started).anyMatch(p -> p.info().command().orElse("").contains("redis-server"));

        if (forcibly) {
            jvm.destroyForcibly();
        } else {
            jvm.destroy();
        }
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle p : started) {
            p.onExit().get(60, TimeUnit.SECONDS);
        }
        assertThat(started).noneMatch(ProcessHandle::isAlive);
        return root;
    }
}
