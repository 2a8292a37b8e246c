package io.siphon.cli;

import io.siphon.cli.terminal.Terminal;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
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

    /**
     * The subcommands, in the order {@code --help} lists them. They are added to the command line
     * by {@link #commandLine}, not by the annotation, so that a run builds only the model of the
     * command it runs: picocli reflects over every option of every command it is given, which was
     * most of a short command's start-up time.
     */
    private static final List<Class<?>> SUBCOMMANDS =
            List.of(
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
                    CommandLine.HelpCommand.class);

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
        CommandLine commandLine = commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorReport());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line with only the subcommand that {@code args} names, none for {@code
     * --version}, or all of them when the first argument names none (help, a typo that needs
     * suggestions, no command at all).
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new SiphonCli());
        String first = args.length > 0 ? args[0] : "";
        if (first.equals("-V") || first.equals("--version")) {
            return commandLine;
        }
        List<Class<?>> named =
                SUBCOMMANDS.stream()
                        .filter(c -> c != CommandLine.HelpCommand.class)
                        .filter(c -> c.getAnnotation(Command.class).name().equals(first))
                        .toList();
        for (Class<?> subcommand : named.isEmpty() ? SUBCOMMANDS : named) {
            commandLine.addSubcommand(subcommand);
        }
        return commandLine;
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Name a command: run, validate, status, drop, demo, bench, server, login, logout,"
                        + " connections, pipelines, users or tokens");
    }
}
