package io.siphon.cli;

import io.siphon.server.ServerSettings;
import io.siphon.server.SiphonServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code siphon server}: the REST management API, the metadata store and the engine in this
 * process, until SIGTERM or Ctrl-C stops it cleanly; pipelines that were running resume at the next
 * start.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Runs the Siphon server: the REST API under /api/v1 (OpenAPI at /api/v1/openapi.json),"
                    + " health and Prometheus metrics under /actuator, and the pipelines stored in"
                    + " its metadata store.",
            "Runs until SIGTERM or Ctrl-C, then stops its pipelines cleanly and exits 0; the"
                    + " pipelines that were running resume at the next start, also after a crash.",
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  SIPHON_ADMIN_PASSWORD     password of the user admin, created at the first",
            "                            start (default: a random one, printed once)",
            "  SIPHON_SECRET_KEY         base64 of the 256-bit key that encrypts connection",
            "                            secrets (default: <data-dir>/secret.key, made at",
            "                            the first start)",
            "  SIPHON_METADATA_PASSWORD  password of the --metadata-url database"
        })
final class ServerCommand implements Callable<Integer> {

    private static final String ADMIN_PASSWORD_ENV = "SIPHON_ADMIN_PASSWORD";
    private static final String SECRET_KEY_ENV = "SIPHON_SECRET_KEY";
    private static final String METADATA_PASSWORD_ENV = "SIPHON_METADATA_PASSWORD";

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + ServerSettings.DEFAULT_PORT,
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "0.0.0.0",
            description =
                    "Address to listen on; 127.0.0.1 for this machine only (default:"
                            + " ${DEFAULT-VALUE}, every interface)")
    private String bind;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".siphon",
            description =
                    "Folder for the embedded metadata store, the secret key file, the engine's"
                            + " state and the log, siphon.log (default: ${DEFAULT-VALUE})")
    private Path dataDir;

    @Option(
            names = "--metadata-url",
            paramLabel = "JDBC_URL",
            description =
                    "Keep the metadata in PostgreSQL (jdbc:postgresql://host:5432/db) instead of"
                            + " the embedded H2 database in the data directory; the password comes"
                            + " from SIPHON_METADATA_PASSWORD")
    private String metadataUrl;

    @Option(
            names = "--metadata-user",
            paramLabel = "USER",
            description = "User of the --metadata-url database")
    private String metadataUser;

    @Option(
            names = "--allow-hosts",
            paramLabel = "HOSTS",
            split = ",",
            description =
                    "Hosts connections may go to: host names, IP addresses and CIDR networks,"
                            + " comma-separated (db1.internal,10.0.0.0/8); connections to other"
                            + " hosts are refused (default: every host)")
    private List<String> allowHosts = List.of();

    @Option(
            names = "--forwarded-headers",
            description =
                    "Trust the X-Forwarded-For/-Proto/-Host headers of a TLS-terminating proxy in"
                            + " front of the server (client address in the audit log, Secure"
                            + " session cookie over HTTPS); only when every request comes"
                            + " through that proxy")
    private boolean forwardedHeaders;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description =
                    "text, or json: one JSON object a line, with the pipeline and table, for a log"
                            + " collector; on the terminal and in siphon.log (default:"
                            + " ${DEFAULT-VALUE})")
    private String logFormat;

    @Spec private CommandSpec command;

    @Override
    public Integer call() throws InterruptedException {
        LogFormat format = LogFormat.named(logFormat);
        if (format == null) {
            throw new ParameterException(
                    command.commandLine(), "--log-format must be text or json");
        }
        if (metadataUrl == null && metadataUser != null) {
            throw new ParameterException(
                    command.commandLine(), "--metadata-user goes with --metadata-url");
        }
        PrintWriter out = command.commandLine().getOut();
        Path dir = dataDir.toAbsolutePath().normalize();
        LogFile.useDataDir(dir, format);
        ServerTerminalLog terminalLog = ServerTerminalLog.install(format);

        ServerSettings settings =
                ServerSettings.defaults(dir)
                        .withBindAddress(bind)
                        .withPort(port)
                        .withAdminPassword(System.getenv(ADMIN_PASSWORD_ENV))
                        .withSecretKey(System.getenv(SECRET_KEY_ENV))
                        .withAllowHosts(allowHosts)
                        .withForwardedHeaders(forwardedHeaders);
        if (metadataUrl != null) {
            settings =
                    settings.withMetadata(
                            metadataUrl, metadataUser, System.getenv(METADATA_PASSWORD_ENV));
        }
        // Not a field: picocli creates every command at start, and --version should not log.
        Logger log = LoggerFactory.getLogger(ServerCommand.class);
        log.info("Starting: {}", settings);
        try (Interruption interruption = Interruption.installForService();
                SiphonServer server = SiphonServer.start(settings)) {
            interruption.onInterrupt(
                    () -> {
                        log.info(
                                "Stopping: the running pipelines stop now and resume at the next"
                                        + " start");
                        server.close();
                    });
            terminalLog.started();
            out.println(
                    "Siphon server " + SiphonVersion.version() + " listening on " + server.url());
            server.generatedAdminPassword()
                    .ifPresent(
                            password -> {
                                out.println();
                                out.println(
                                        "The first user is admin, with this generated password:");
                                out.println();
                                out.println("    " + password);
                                out.println();
                                out.println(
                                        "It is shown only this once (only its hash is stored). Set"
                                                + " "
                                                + ADMIN_PASSWORD_ENV
                                                + " before the first start to choose it.");
                                out.println();
                            });
            out.println("Log: " + LogFile.current() + "; stop with Ctrl-C or SIGTERM.");
            out.flush();
            server.awaitStop();
            // Before the interruption closes: on a signal, the JVM exits right after that.
            log.info("Stopped");
        }
        return SiphonCli.EXIT_OK;
    }
}
