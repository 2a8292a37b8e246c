package io.siphon.cli;

import io.siphon.spi.ErrorCategory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How errors reach the person at the terminal: one block per error, {@code error [CODE]: message}
 * and the fix, never a stack trace (that goes to the log file). Also the handler for anything a
 * command throws, so that no exception escapes as a trace.
 */
final class ErrorReport implements IExecutionExceptionHandler {

    /**
     * Prints an error: code and message (which says what to do), and where the details are. A
     * message of several lines (several problems) is indented under the first.
     */
    static void print(PrintWriter err, SiphonException e) {
        err.println("error [" + e.code() + "]: " + e.getMessage().replace("\n", "\n  "));
        Path log = LogFile.current();
        if (e.code().category() == ErrorCategory.INTERNAL && log != null) {
            err.println("  details: " + log);
        }
        err.flush();
    }

    /** Prints a problem found by a check: code, message and fix on its own line. */
    static void print(PrintWriter err, Problem problem) {
        err.println("error [" + problem.code() + "]: " + problem.message());
        err.println("  fix: " + problem.fix());
        err.flush();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(cmd.getErr(), cmd.getCommandName(), ex);
    }

    /**
     * Logs an exception that ends a command, with its stack trace (to the log file only), and
     * prints it as an error block.
     *
     * @return the exit code
     */
    static int report(PrintWriter err, String command, Exception ex) {
        if (ex instanceof SiphonException e) {
            log(command + " failed: " + e, e);
            print(err, e);
        } else {
            log(command + " failed unexpectedly", ex);
            print(
                    err,
                    new SiphonException(
                            ErrorCode.INTERNAL_ERROR,
                            "unexpected "
                                    + ex.getClass().getName()
                                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                                    + ". This is a bug in Siphon; please report it with the"
                                    + " log file."));
        }
        return SiphonCli.EXIT_FAILED;
    }

    /**
     * Logs a failure with its stack trace when the command writes a log file. Without one (client
     * commands, --version, a typo) the terminal shows no logged errors, so starting the logging
     * system would cost a client command about a quarter of a second for nothing.
     */
    private static void log(String message, Exception ex) {
        if (LogFile.current() != null) {
            Logger log = LoggerFactory.getLogger(ErrorReport.class);
            log.error(message, ex);
        }
    }
}
