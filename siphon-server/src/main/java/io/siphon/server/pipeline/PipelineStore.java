package io.siphon.server.pipeline;

import io.siphon.server.Timestamps;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Pipelines and their runs in the metadata store. */
@Repository
class PipelineStore {

    /** A stored pipeline row. */
    record Row(
            String name,
            String specJson,
            PipelineState state,
            String desiredState,
            String errorCode,
            String errorMessage,
            java.time.Instant errorAt,
            java.time.Instant createdAt,
            java.time.Instant updatedAt,
            String createdBy) {}

    static final String RUNNING = "RUNNING";
    static final String STOPPED = "STOPPED";

    private final JdbcClient jdbc;

    PipelineStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Row> list() {
        return jdbc.sql("SELECT * FROM siphon_pipeline ORDER BY name")
                .query(PipelineStore::row)
                .list();
    }

    Optional<Row> find(String name) {
        return jdbc.sql("SELECT * FROM siphon_pipeline WHERE name = ?")
                .param(name)
                .query(PipelineStore::row)
                .optional();
    }

    Row get(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new SiphonException(
                                        ErrorCode.NOT_FOUND,
                                        "pipeline '" + name + "' does not exist"));
    }

    void insert(PipelineDefinition d, String specJson, String user) {
        var now = Timestamps.now();
        jdbc.sql(
                        "INSERT INTO siphon_pipeline (name, spec_json, source_connection,"
                                + " sink_connection, desired_state, state, created_at, updated_at,"
                                + " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        d.name(),
                        specJson,
                        d.sourceConnection(),
                        d.sinkConnection(),
                        STOPPED,
                        PipelineState.STOPPED.name(),
                        now,
                        now,
                        user)
                .update();
    }

    void updateSpec(PipelineDefinition d, String specJson) {
        jdbc.sql(
                        "UPDATE siphon_pipeline SET spec_json = ?, source_connection = ?,"
                                + " sink_connection = ?, updated_at = ? WHERE name = ?")
                .params(
                        specJson,
                        d.sourceConnection(),
                        d.sinkConnection(),
                        Timestamps.now(),
                        d.name())
                .update();
    }

    void setState(String name, PipelineState state, String desiredState) {
        jdbc.sql(
                        "UPDATE siphon_pipeline SET state = ?, desired_state = ?, updated_at = ?"
                                + " WHERE name = ?")
                .params(state.name(), desiredState, Timestamps.now(), name)
                .update();
    }

    void setDesired(String name, String desiredState) {
        jdbc.sql("UPDATE siphon_pipeline SET desired_state = ?, updated_at = ? WHERE name = ?")
                .params(desiredState, Timestamps.now(), name)
                .update();
    }

    void setError(String name, String code, String message) {
        jdbc.sql(
                        "UPDATE siphon_pipeline SET last_error_code = ?, last_error_message = ?,"
                                + " last_error_at = ? WHERE name = ?")
                .params(code, truncate(message), code == null ? null : Timestamps.now(), name)
                .update();
    }

    void delete(String name) {
        jdbc.sql("DELETE FROM siphon_pipeline WHERE name = ?").param(name).update();
    }

    /** Pipelines that should run, by name. */
    List<String> desiredRunning() {
        return jdbc.sql("SELECT name FROM siphon_pipeline WHERE desired_state = ? ORDER BY name")
                .param(RUNNING)
                .query(String.class)
                .list();
    }

    long startRun(String pipeline, String cause, String user) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        "INSERT INTO siphon_pipeline_run (pipeline, cause, started_by, started_at,"
                                + " status) VALUES (?, ?, ?, ?, ?)")
                .params(pipeline, cause, user, Timestamps.now(), RUNNING)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void endRun(
            long runId,
            String status,
            long rowsWritten,
            long events,
            String errorCode,
            String errorMessage) {
        jdbc.sql(
                        "UPDATE siphon_pipeline_run SET ended_at = ?, status = ?, rows_written ="
                                + " ?, events = ?, error_code = ?, error_message = ? WHERE id = ?")
                .params(
                        Timestamps.now(),
                        status,
                        rowsWritten,
                        events,
                        errorCode,
                        truncate(errorMessage),
                        runId)
                .update();
    }

    /** Marks the runs a killed server left open; returns how many. */
    int interruptOpenRuns() {
        return jdbc.sql(
                        "UPDATE siphon_pipeline_run SET status = 'INTERRUPTED', ended_at = ? WHERE"
                                + " status = ?")
                .params(Timestamps.now(), RUNNING)
                .update();
    }

    List<RunView> runs(String pipeline, int limit) {
        return jdbc.sql(
                        "SELECT * FROM siphon_pipeline_run WHERE pipeline = ? ORDER BY id DESC"
                                + " FETCH FIRST ? ROWS ONLY")
                .params(pipeline, limit)
                .query(
                        (rs, n) ->
                                new RunView(
                                        rs.getLong("id"),
                                        rs.getString("cause"),
                                        rs.getString("started_by"),
                                        Timestamps.read(rs, "started_at"),
                                        Timestamps.read(rs, "ended_at"),
                                        rs.getString("status"),
                                        rs.getLong("rows_written"),
                                        rs.getLong("events"),
                                        rs.getString("error_code"),
                                        rs.getString("error_message")))
                .list();
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 10_000
                ? message
                : message.substring(0, 10_000);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getString("name"),
                rs.getString("spec_json"),
                PipelineState.valueOf(rs.getString("state")),
                rs.getString("desired_state"),
                rs.getString("last_error_code"),
                rs.getString("last_error_message"),
                Timestamps.read(rs, "last_error_at"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"),
                rs.getString("created_by"));
    }
}
