package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Each SQLState means one thing for a pipeline, decided in one place. */
class PostgresErrorsTest {

    private static ErrorCode code(String state) {
        return PostgresErrors.codeFor(state, ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void connectionFailuresAreRetriable() {
        assertThat(code("08001")).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(code("08006")).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(code("08003")).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(code("57P01")).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(code("53300")).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(ErrorCode.CONNECTION_LOST.retriable()).isTrue();
    }

    @Test
    void credentialsPrivilegesAndNames() {
        assertThat(code("28P01")).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(code("28000")).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(code("3D000")).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
        assertThat(code("42501")).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code("42P01")).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
        assertThat(code("42703")).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
    }

    @Test
    void writeConflictsAreRetriableAndRefusalsAreNot() {
        assertThat(code("40001")).isEqualTo(ErrorCode.SINK_WRITE_RETRIABLE);
        assertThat(code("40P01")).isEqualTo(ErrorCode.SINK_WRITE_RETRIABLE);
        assertThat(ErrorCode.SINK_WRITE_RETRIABLE.retriable()).isTrue();
        assertThat(code("23505")).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        assertThat(code("53100")).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        assertThat(code("22P02")).isEqualTo(ErrorCode.DATA_INVALID);
    }

    @Test
    void unknownStatesTakeTheCallersFallback() {
        assertThat(PostgresErrors.codeFor("XX000", ErrorCode.SINK_WRITE_FAILED))
                .isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        assertThat(PostgresErrors.codeFor(null, ErrorCode.CONNECTION_LOST))
                .isEqualTo(ErrorCode.CONNECTION_LOST);
    }

    @Test
    void aFullDiskSaysSo() {
        SiphonException e =
                PostgresErrors.translate(
                        new SQLException("could not extend file", "53100"),
                        "writing to public.orders",
                        ErrorCode.SINK_WRITE_FAILED);
        assertThat(e.code()).isEqualTo(ErrorCode.SINK_WRITE_FAILED);
        assertThat(e.getMessage())
                .isEqualTo(
                        "PostgreSQL failed while writing to public.orders: could not extend file"
                                + " (SQLState 53100). The server's disk is full: free space on"
                                + " its data disk, then run the pipeline again");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
    }

    @Test
    void aRefusedConnectionNamesHostAndPort() {
        PostgresEndpoint endpoint =
                new PostgresEndpoint(
                        "jdbc:postgresql://db1:6543/shop", "db1", 6543, "shop", "u", null, 5);
        var problem =
                PostgresErrors.connectProblem(
                        new SQLException("Connection refused", "08001"), endpoint);
        assertThat(problem.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(problem.message())
                .isEqualTo("Cannot connect to PostgreSQL at db1:6543: Connection refused");
        assertThat(problem.fix())
                .startsWith("Check that the server is running and listening on db1:6543");
    }
}
