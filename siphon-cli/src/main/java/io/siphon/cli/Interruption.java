package io.siphon.cli;

import io.siphon.cli.terminal.TerminalLogAppender;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) into a clean stop: a shutdown hook runs the stop action (stop the
 * run) and then holds the JVM open until the command has finished, printed its summary and closed
 * the engine, so that finished chunks are recorded and a rerun resumes.
 *
 * <pre>{@code
 * try (Interruption interruption = Interruption.install(); SiphonEngine engine = ...) {
 *     PipelineRun run = engine.start(spec);
 *     interruption.onInterrupt(run::stop);
 *     ...
 * } // the engine closes first, then the hook is released
 * }</pre>
 */
final class Interruption implements AutoCloseable {

    /** How long the hook waits for the command to wrap up before the JVM exits anyway. */
    private static final long GRACE_SECONDS = 60;

    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    private final Thread hook;
    private final boolean service;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private Runnable stopAction = () -> {};

    private Interruption(boolean service) {
        this.service = service;
        this.hook = new Thread(this::interrupt, "siphon-ctrl-c");
    }

    /**
     * Registers the shutdown hook, which says on the terminal that the run stops cleanly; close it
     * when the command is done.
     */
    static Interruption install() {
        return install(false);
    }

    /**
     * Registers the shutdown hook for a command that runs until a signal stops it (the server): the
     * hook says nothing, as the stop action logs what it does, and once the command is done it ends
     * the JVM with exit code 0, since that stop is the command's normal end, instead of 128 + the
     * signal. Close it when the command is done.
     */
    static Interruption installForService() {
        return install(true);
    }

    private static Interruption install(boolean service) {
        Interruption interruption = new Interruption(service);
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    /**
     * Whether the JVM is shutting down because of a signal: then {@code System.exit} must not be
     * called (it would wait forever for the hook, which waits for the command).
     */
    static boolean shuttingDown() {
        return SHUTTING_DOWN.get();
    }

    /** What to do on Ctrl-C; runs at once if Ctrl-C came already. */
    synchronized void onInterrupt(Runnable action) {
        stopAction = action;
        if (interrupted.get()) {
            action.run();
        }
    }

    /** Whether Ctrl-C was pressed. */
    boolean interrupted() {
        return interrupted.get();
    }

    private void interrupt() {
        SHUTTING_DOWN.set(true);
        interrupted.set(true);
        if (!service) {
            TerminalLogAppender.printLine(
                    // The hook cannot tell Ctrl-C from SIGTERM (a service manager, kill), so it
                    // names neither.
                    "Stopping cleanly: recording the chunks that are finished...");
        }
        synchronized (this) {
            stopAction.run();
        }
        try {
            if (finished.await(GRACE_SECONDS, TimeUnit.SECONDS) && service) {
                // Here, not in main: once this hook returns the JVM may exit with 128 + the
                // signal before main gets to its own exit.
                Runtime.getRuntime().halt(SiphonCli.EXIT_OK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets a running hook finish the JVM's exit, or removes the hook when there was no Ctrl-C. */
    @Override
    public void close() {
        finished.countDown();
        if (!interrupted.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownBegan) {
                // Ctrl-C arrived just now: the hook runs and no longer waits.
            }
        }
    }
}
