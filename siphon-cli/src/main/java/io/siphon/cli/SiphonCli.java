package io.siphon.cli;

import io.siphon.cli.terminal.Terminal;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code siphon} command: {@code run}, {@code validate}, {@code status}, {@code drop}, {@code
 * demo}, {@code bench}, {@code server}, and the client of a Siphon server: {@code login}, {@code
 * logout}, {@code connections}, {@code pipelines}, {@code users}, {@code tokens}.
 */
@Command(
        name = "siphon",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description =
                "Copies tables between databases, exactly, in parallel, resumably, and streams"
                        + " their changes.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            PreviewCommand.class,
            StatusCommand.class,
            DropCommand.class,
            ResnapshotCommand.class,
            SetupSqlCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            ServerCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            ConnectionsCommand.class,
            PipelinesCommand.class,
            UsersCommand.class,
            TokensCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    done",
            "  1    failed, or the pipeline is invalid",
            "  2    wrong command line",
            "  130  stopped with Ctrl-C (run the same command again to resume)"
        })
public final class SiphonCli implements Runnable {

    /** The command did what it was asked. */
    public static final int EXIT_OK = 0;

    /** The run failed, or the pipeline or a connection is invalid. */
    public static final int EXIT_FAILED = 1;

    /** Stopped by Ctrl-C, cleanly: a rerun resumes. 128 + SIGINT, as shells report it. */
    public static final int EXIT_INTERRUPTED = 130;

    @Spec private CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        PrintWriter out =
                new PrintWriter(new OutputStreamWriter(System.out, Terminal.stdoutCharset()), true);
        PrintWriter err =
                new PrintWriter(new OutputStreamWriter(System.err, Terminal.stdoutCharset()), true);
        int code = execute(out, err, args);
        if (!Interruption.shuttingDown()) {
            System.exit(code);
        }
    }

    /**
     * Runs a command line in this JVM, writing to the given streams; what {@link #main} does,
     * without exiting. Tests call it directly.
     *
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new SiphonCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorReport());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Name a command: run, validate, status, drop, demo, bench, server, login, logout,"
                        + " connections, pipelines, users or tokens");
    }
}
