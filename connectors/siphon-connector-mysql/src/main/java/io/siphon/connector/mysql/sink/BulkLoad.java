package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.MySqlOptions;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one configured sink loads tables it created or found empty ({@link MySqlOptions#BULK_LOAD}),
 * and what it learnt about the server: with {@code auto}, the first refusal of {@code LOAD DATA
 * LOCAL} (the server's {@code local_infile} is OFF, or the driver refused) switches every writer of
 * the sink to inserts and is logged once. Shared by the writers of one connector, from their
 * threads.
 */
public final class BulkLoad {

    private static final Logger LOG = LoggerFactory.getLogger(BulkLoad.class);

    /** What the option asks for. */
    enum Mode {
        AUTO,
        LOAD_DATA,
        INSERT
    }

    /** The fix, for messages. */
    static final String FIX =
            "run SET GLOBAL local_infile = ON on the target server (and local_infile = ON under"
                    + " [mysqld] in its configuration, to keep it after a restart), or set"
                    + " 'bulk-load: insert' on the sink";

    private final Mode mode;
    private final AtomicBoolean refused = new AtomicBoolean();
    private final AtomicBoolean validated = new AtomicBoolean();

    /** The choice of a sink's configuration ({@code auto}, {@code load-data} or {@code insert}). */
    public BulkLoad(String option) {
        this.mode = Mode.valueOf(option.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether a writer should load with {@code LOAD DATA LOCAL} now. */
    boolean loadData() {
        return mode != Mode.INSERT && !refused.get();
    }

    /** Whether an error of a {@code LOAD DATA LOCAL} says the server or driver refuses it. */
    static boolean refusal(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // 1148: not allowed with this version (MariaDB, local_infile OFF); 3948: loading local
        // data is disabled (MySQL 8); 2068: rejected by the client library.
        return e.getErrorCode() == 1148
                || e.getErrorCode() == 3948
                || e.getErrorCode() == 2068
                || message.contains("LOCAL INFILE is disabled");
    }

    /**
     * Records that the target refused {@code LOAD DATA LOCAL}: with {@code auto}, the first refusal
     * is logged and every later load uses inserts; with {@code load-data}, the write fails.
     *
     * @param address the target, for the messages
     * @param why what refused it
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} with {@code load-data}
     */
    void refused(String address, String why) {
        if (mode == Mode.LOAD_DATA) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "the sink's 'bulk-load: load-data' needs LOAD DATA LOCAL INFILE, which "
                            + address
                            + " refuses ("
                            + why
                            + "); "
                            + FIX.replace("'bulk-load: insert'", "'bulk-load: auto' or 'insert'"));
        }
        if (refused.compareAndSet(false, true)) {
            LOG.warn(
                    "Loading empty tables at {} with multi-row INSERTs, which are slower than LOAD"
                            + " DATA LOCAL INFILE: the server refuses it ({}). To load faster, {}",
                    address,
                    why,
                    FIX.replace(", or set 'bulk-load: insert' on the sink", ""));
        }
    }

    /**
     * Whether the server of an open connection allows {@code LOAD DATA LOCAL} ({@code
     * local_infile}).
     */
    static boolean serverAllows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@GLOBAL.local_infile")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * For {@code check}: with {@code load-data}, a problem when the server's {@code local_infile}
     * is OFF, since every load would fail; otherwise null.
     */
    public Problem checkProblem(Connection c, String address) throws SQLException {
        if (mode != Mode.LOAD_DATA || serverAllows(c)) {
            return null;
        }
        return new Problem(
                ErrorCode.CONFIG_INVALID_VALUE,
                "The sink's 'bulk-load: load-data' needs LOAD DATA LOCAL INFILE, but the server at "
                        + address
                        + " has local_infile OFF",
                FIX.replace("'bulk-load: insert'", "'bulk-load: auto' or 'insert'"));
    }

    /**
     * For {@code validate}: with {@code auto}, a warning the first time this sink is asked when the
     * server's {@code local_infile} is OFF, so that empty tables get the slower inserts; otherwise
     * null.
     */
    Problem warning(Connection c, String address) throws SQLException {
        if (mode != Mode.AUTO || validated.get() || serverAllows(c)) {
            return null;
        }
        if (!validated.compareAndSet(false, true)) {
            return null;
        }
        return new Problem(
                ErrorCode.CONFIG_INVALID_VALUE,
                "The server at "
                        + address
                        + " has local_infile OFF, which refuses LOAD DATA LOCAL INFILE: tables"
                        + " the sink creates or finds empty are loaded with slower multi-row"
                        + " INSERTs",
                FIX);
    }
}
