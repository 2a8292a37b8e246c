package io.siphon.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;

/** How values of the server's JSON answers show in tables and lines of text. */
final class Cells {

    /** What a cell shows for a value that is absent or null. */
    static final String NONE = "-";

    private Cells() {}

    /** A field's value as text, or {@value #NONE}. */
    static String text(JsonNode node, String field) {
        return node.path(field).asString(NONE);
    }

    /** A timestamp field to the second, {@code 2026-05-04T10:15:30Z}, or {@value #NONE}. */
    static String time(JsonNode node, String field) {
        String text = node.path(field).asString("");
        if (text.isEmpty()) {
            return NONE;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            // Not an instant as this client knows it: show what the server said.
            return text;
        }
    }
}
