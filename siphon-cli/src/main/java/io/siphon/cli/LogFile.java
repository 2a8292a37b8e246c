package io.siphon.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The full log of a command, stack traces included, in {@code <state-dir>/siphon.log} (the server's
 * in {@code <data-dir>/siphon.log}): the terminal shows only warnings (see {@code logback.xml}), or
 * for the server no stack traces, so this file is where a failure is explained in detail.
 */
final class LogFile {

    static final String NAME = "siphon.log";

    /** The size at which the log file rolls over. */
    static final String MAX_SIZE = "50MB";

    /** How many rolled-over files are kept besides the current one. */
    static final int KEPT = 5;

    private static final String APPENDER = "STATE_DIR_FILE";

    private static volatile Path current;

    private LogFile() {}

    /** The file the log goes to, or null before a command has chosen its state directory. */
    static Path current() {
        return current;
    }

    /**
     * Sends the log to {@code siphon.log} under the state directory from now on (appending),
     * instead of any earlier command's file.
     *
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the directory cannot be
     *     created
     */
    static void useStateDir(Path stateDir) {
        use(stateDir, "--state-dir", LogFormat.TEXT);
    }

    /**
     * Sends the server's log to {@code siphon.log} under its data directory from now on
     * (appending), in the given format.
     *
     * @throws SiphonException {@link ErrorCode#STATE_STORE_FAILED} when the directory cannot be
     *     created
     */
    static void useDataDir(Path dataDir, LogFormat format) {
        use(dataDir, "--data-dir", format);
    }

    private static void use(Path dir, String option, LogFormat format) {
        use(dir, option, format, FileSize.valueOf(MAX_SIZE), null);
    }

    /**
     * Sends the log to {@code siphon.log} under {@code dir}, rolling it over at {@code maxSize}.
     *
     * @param checkEvery how often at most the file's size is looked at, or null for logback's
     *     default (once a minute: the file may outgrow {@code maxSize} by what is logged meanwhile)
     */
    static void use(
            Path dir, String option, LogFormat format, FileSize maxSize, Duration checkEvery) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "cannot create the folder "
                            + dir.toAbsolutePath()
                            + " ("
                            + e.getClass().getSimpleName()
                            + "); choose a writable "
                            + option,
                    e);
        }
        Path file = dir.resolve(NAME);
        current = file;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // A pipeline that streams for months must not fill the disk with its log: at MAX_SIZE the
        // file moves to siphon.1.log (the older ones up to siphon.<KEPT>.log) and starts anew.
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setAppend(true);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve("siphon.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEPT);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(maxSize);
        if (checkEvery != null) {
            trigger.setCheckIncrement(checkEvery);
        }
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(
                format.encoder(
                        context, "%d{ISO8601} %-5level [%thread] %logger{36} %X - %msg%n", true));
        appender.start();
        replaceRootAppender(appender);
    }

    /**
     * Puts a started appender on the root logger in place of the one with the same name (which is
     * stopped), or beside the others when there is none.
     */
    static void replaceRootAppender(Appender<ILoggingEvent> appender) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> previous = root.getAppender(appender.getName());
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        root.addAppender(appender);
    }
}
