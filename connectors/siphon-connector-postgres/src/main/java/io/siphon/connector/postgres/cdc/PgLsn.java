package io.siphon.connector.postgres.cdc;

import io.siphon.model.Offset;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Map;

/**
 * A PostgreSQL write-ahead log position (LSN): the offset of a PostgreSQL change stream. Written
 * the way PostgreSQL writes it, two hexadecimal halves: {@code 0/16B3748}.
 *
 * @param value the 64-bit position, compared unsigned
 */
public record PgLsn(long value) implements Offset, Comparable<PgLsn> {

    /**
     * Parses {@code X/Y} hexadecimal text.
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the text is not an LSN
     */
    public static PgLsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash > 9) {
            throw invalid(text);
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return new PgLsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static SiphonException invalid(String text) {
        return new SiphonException(
                ErrorCode.DATA_INVALID,
                "'" + text + "' is not a PostgreSQL LSN (two hexadecimal numbers, like 0/16B3748)");
    }

    /** Debezium's PostgreSQL {@code source} fields: the LSN as a number. */
    @Override
    public Map<String, Object> sourceFields() {
        return Map.of("connector", "postgresql", "lsn", value);
    }

    /** {@code 0/16B3748}. */
    @Override
    public String describe() {
        return Long.toHexString(value >>> 32).toUpperCase(java.util.Locale.ROOT)
                + "/"
                + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public int compareTo(PgLsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return describe();
    }
}
