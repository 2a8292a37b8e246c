package io.siphon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.siphon.cli.terminal.TerminalLogAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What {@code siphon server} shows on the terminal (standard error), instead of only warnings as
 * the other commands do: a server's terminal, or its container's log, is where it is followed.
 *
 * <ul>
 *   <li>Siphon's lifecycle (INFO and above) and Flyway's schema migrations;
 *   <li>every library's warnings and errors, but those of the start itself only once the server is
 *       up: when the start fails, the libraries report the same failure several times over (Spring,
 *       Tomcat, Flyway), while the command prints it once as {@code error [CODE]: message};
 *   <li>never a stack trace, nor the other libraries' INFO notes (Tomcat, Hikari, Spring): those
 *       are in {@code siphon.log}.
 * </ul>
 */
final class ServerTerminalLog extends Filter<ILoggingEvent> {

    private static final String APPENDER = "TERMINAL";

    /** Flyway's logger of the schema migrations it applies: "Migrating schema ... to version 2". */
    private static final String FLYWAY_MIGRATIONS = "org.flywaydb.core.internal.command.DbMigrate";

    private static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}%replace( [%X]){' \\[\\]', ''} -"
                    + " %msg%n%nopex";

    private final List<ILoggingEvent> heldBack = new ArrayList<>();
    private TerminalLogAppender appender;
    private boolean starting = true;

    private ServerTerminalLog() {}

    /** Replaces the terminal appender of {@code logback.xml} with the server's, in a format. */
    static ServerTerminalLog install(LogFormat format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ServerTerminalLog log = new ServerTerminalLog();
        log.setContext(context);
        log.start();
        TerminalLogAppender appender = new TerminalLogAppender();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.addFilter(log);
        appender.setEncoder(format.encoder(context, TEXT_PATTERN, false));
        appender.start();
        log.appender = appender;
        LogFile.replaceRootAppender(appender);
        return log;
    }

    /** The server is up: shows the libraries' warnings of its start, which were held back. */
    void started() {
        List<ILoggingEvent> release;
        synchronized (this) {
            starting = false;
            release = List.copyOf(heldBack);
            heldBack.clear();
        }
        release.forEach(appender::doAppend);
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String logger = event.getLoggerName();
        boolean siphon = logger.startsWith("io.siphon.");
        if (logger.equals(ErrorReport.class.getName())) {
            // The failure that ends the command, which it prints itself.
            return FilterReply.DENY;
        }
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            synchronized (this) {
                if (starting && !siphon) {
                    // Its thread's MDC and message are taken now, not when it is shown.
                    event.prepareForDeferredProcessing();
                    heldBack.add(event);
                    return FilterReply.DENY;
                }
            }
            return FilterReply.NEUTRAL;
        }
        return event.getLevel() == Level.INFO && (siphon || logger.equals(FLYWAY_MIGRATIONS))
                ? FilterReply.NEUTRAL
                : FilterReply.DENY;
    }
}
