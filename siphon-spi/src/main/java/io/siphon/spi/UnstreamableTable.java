package io.siphon.spi;

import io.siphon.model.TableId;

/**
 * A table that matches a pipeline but that its change stream cannot carry yet, because of something
 * at the source that Siphon may not change itself (PostgreSQL: a publication the user manages does
 * not include it). The pipeline leaves it out, says so once, and takes it as soon as the fix is
 * made.
 *
 * @param table the source table
 * @param reason why the stream cannot carry it, naming the source object
 * @param fix what to run or change, as exactly as possible (the SQL statement)
 */
public record UnstreamableTable(TableId table, String reason, String fix) {

    /** {@code Table <table> <reason>; <fix>}: one line for a log or a terminal. */
    @Override
    public String toString() {
        return "Table " + table + " " + reason + "; " + fix;
    }
}
