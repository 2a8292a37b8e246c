package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which copy of a pipeline owns its stream objects at the source: the instance token of that copy's
 * state, recorded in the comment of the publication Siphon created for it, together with the name
 * of the replication slot that goes with it.
 *
 * <p>A replication slot has no comment, and a non-superuser cannot create a replication origin or
 * be expected to create a table of its own at the source; the publication Siphon creates is the one
 * object it owns there, created in the same step as the slot and dropped with it, so its comment
 * speaks for both. A publication named by {@code publication-name} is the user's and never altered:
 * then nothing is recorded, and a slot is tied to its copy by the position that copy's state holds
 * (see {@code PgStreamSource}).
 *
 * @param token the recorded instance token, or null when none is (no publication, a publication
 *     created by an older version, or one named by the user)
 * @param exists whether the publication exists
 */
record StreamOwner(String token, boolean exists) {

    private static final Logger LOG = LoggerFactory.getLogger(StreamOwner.class);

    /** Nothing recorded: a publication named by the user, which Siphon does not read or alter. */
    static final StreamOwner UNRECORDED = new StreamOwner(null, false);

    private static final Pattern TOKEN = Pattern.compile("^siphon instance ([0-9a-f]+);");

    /**
     * What a pipeline's publication records: {@link #UNRECORDED} for one named by the user, which
     * is not read.
     */
    static StreamOwner of(Connection c, StreamNames names) throws SQLException {
        return names.publicationConfigured() ? UNRECORDED : read(c, names.publication());
    }

    /** What the comment of a publication records; {@code exists} false when there is none. */
    static StreamOwner read(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT pg_catalog.obj_description(oid, 'pg_publication') FROM"
                                + " pg_catalog.pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new StreamOwner(null, false);
                }
                return new StreamOwner(token(rs.getString(1)), true);
            }
        }
    }

    /** The instance token a publication comment records, or null. */
    static String token(String comment) {
        if (comment == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(comment);
        return m.find() ? m.group(1) : null;
    }

    /** The comment that records a copy's instance token on its publication. */
    static String comment(String instance, String pipeline, String slot) {
        return "siphon instance "
                + instance
                + "; pipeline "
                + pipeline
                + "; replication slot "
                + slot
                + ". Created by Siphon with the slot; `siphon drop` removes both.";
    }

    /**
     * Records the instance token on the pipeline's publication, which Siphon created (or an older
     * version did, without a token: then it is adopted, with a warning).
     *
     * @param adopted whether the publication existed before this run, unrecorded
     */
    void record(Connection c, StreamNames names, String pipeline, String instance, boolean adopted)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "COMMENT ON PUBLICATION "
                            + SqlText.quote(names.publication())
                            + " IS "
                            + SqlText.literal(comment(instance, pipeline, names.slot())));
        } catch (SQLException e) {
            // 42501: a publication of this name that Siphon's role does not own (made for it by
            // someone else): it streams as before, unrecorded.
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            LOG.warn(
                    "Publication {} of pipeline {} is not owned by Siphon's role, so its instance"
                            + " token is not recorded there: {}",
                    names.publication(),
                    pipeline,
                    e.getMessage());
            return;
        }
        if (adopted) {
            LOG.warn(
                    "Publication {} and replication slot {} of pipeline {} carried no instance"
                            + " token (created by an older version of Siphon); adopted by this"
                            + " state directory's token {}",
                    names.publication(),
                    names.slot(),
                    pipeline,
                    instance);
        }
    }
}
