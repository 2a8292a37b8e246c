package io.siphon.connector.postgres;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pgjdbc parameters a connection URL may carry. Others are refused: some load a class or write
 * a file named in the URL ({@code socketFactory}, {@code sslfactory}, {@code
 * authenticationPluginClassName}, {@code loggerFile}), and credentials belong in the {@code user}
 * and {@code password} options, where the password is kept secret, not in a URL that is shown.
 */
final class UrlParameters {

    private static final Set<String> CREDENTIALS =
            Set.of("user", "password", "sslpassword", "passwd", "pwd");

    /**
     * Connection behaviour, TLS and timeouts: nothing that runs code or touches other files. In
     * alphabetical order, for messages and the docs.
     */
    static final List<String> ALLOWED =
            List.of(
                    "ApplicationName",
                    "assumeMinServerVersion",
                    "autosave",
                    "binaryTransfer",
                    "cancelSignalTimeout",
                    "channelBinding",
                    "cleanupSavepoints",
                    "connectTimeout",
                    "currentSchema",
                    "defaultRowFetchSize",
                    "gssEncMode",
                    "hostRecheckSeconds",
                    "loadBalanceHosts",
                    "loginTimeout",
                    "options",
                    "preferQueryMode",
                    "prepareThreshold",
                    "readOnly",
                    "readOnlyMode",
                    "reWriteBatchedInserts",
                    "socketTimeout",
                    "ssl",
                    "sslcert",
                    "sslkey",
                    "sslmode",
                    "sslNegotiation",
                    "sslrootcert",
                    "stringtype",
                    "targetServerType",
                    "tcpKeepAlive",
                    "tcpNoDelay");

    private UrlParameters() {}

    /**
     * Refuses credentials and parameters outside {@link #ALLOWED} in a JDBC URL.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} naming the parameter and what
     *     to do instead
     */
    static void check(String url) {
        int authority = url.indexOf("//");
        int query = url.indexOf('?');
        int hostsEnd = url.indexOf('/', authority < 0 ? 0 : authority + 2);
        String hosts =
                authority < 0
                        ? ""
                        : url.substring(
                                authority + 2,
                                hostsEnd < 0 ? (query < 0 ? url.length() : query) : hostsEnd);
        if (hosts.contains("@")) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "url: credentials are not allowed in the URL; put the user in 'user' and the"
                            + " password in 'password', where it is kept secret");
        }
        if (query < 0) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (String pair : url.substring(query + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "url: the parameter '"
                                + name
                                + "' is not allowed in the URL; put the user in 'user' and the"
                                + " password in 'password', where it is kept secret");
            }
            if (!ALLOWED.contains(name)) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "url: the pgjdbc parameters "
                            + refused
                            + " are not allowed; the URL may carry only "
                            + String.join(", ", ALLOWED));
        }
    }
}
