package io.siphon.server;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Times in the metadata store: {@code TIMESTAMP WITH TIME ZONE} columns, read and written as {@link
 * OffsetDateTime} in UTC, which H2 and PostgreSQL both map exactly.
 */
public final class Timestamps {

    private Timestamps() {}

    /** Now, for a column. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** An instant for a column; null stays null. */
    public static OffsetDateTime column(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A column's instant, or null. */
    public static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
