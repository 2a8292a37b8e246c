package io.siphon.cli.cdc;

import java.util.List;

/**
 * A MySQL table with every type family the MySQL source decodes, filled with the values at their
 * edges, for the end-to-end type matrix: rows 1 to 5 exist before the pipeline starts (snapshot),
 * and {@link #STREAM_COPY} writes them again as rows 101 to 105 while it streams.
 */
final class MySqlTypeMatrix {

    /** The columns in the order of {@link #MYSQL_TEXT}. */
    static final String CREATE_TABLE =
            "CREATE TABLE types (id INT PRIMARY KEY, flag BOOL, i8 TINYINT, u8 TINYINT UNSIGNED,"
                    + " i16 SMALLINT, u16 SMALLINT UNSIGNED, i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED,"
                    + " i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,"
                    + " dec65 DECIMAL(65,30), f FLOAT, d DOUBLE, bits BIT(10), bit64 BIT(64),"
                    + " y YEAR, day DATE, span TIME(6), wall DATETIME(6), instant TIMESTAMP(6) NULL,"
                    + " name VARCHAR(40), latin VARCHAR(20) CHARACTER SET latin1, body TEXT,"
                    + " fixed BINARY(4), bin VARBINARY(16), blob_ BLOB,"
                    + " mood ENUM('sad','ok','happy'), tags SET('x','y','z'), doc JSON,"
                    + " geo GEOMETRY)";

    /**
     * The rows, inserted in a session at +08:00 (the server's zone too): row 1 at the top of every
     * range, row 2 at the bottom (BIGINT UNSIGNED at 2^63, just past a signed long), row 3 in the
     * middle (a negative TIME, a wall clock in New York's DST gap, an SRID), row 4 zero dates only,
     * row 5 NULLs only.
     */
    static final List<String> INSERTS =
            List.of(
                    "SET time_zone = '+08:00'",
                    "INSERT INTO types VALUES (1, TRUE, 127, 255, 32767, 65535, 8388607, 16777215,"
                            + " 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,"
                            + " 99999999999999999999999999999999999.999999999999999999999999999999,"
                            + " 1.5, 1.7976931348623157e308, b'1111111111',"
                            + " b'1111111111111111111111111111111111111111111111111111111111111111',"
                            + " 2155, '9999-12-31', '838:59:59.000000',"
                            + " '9999-12-31 23:59:59.999999', '2038-01-19 11:14:07.999999',"
                            + " 'caf\u00e9 \uD83D\uDE00 \uD834\uDD1E', 'd\u00e9j\u00e0 \u00ff',"
                            + " 'it''s \"quoted\"', x'01020300', x'00ff10', x'deadbeef', 'happy',"
                            + " 'x,z', '{\"a\": [1, 2.5, null], \"b\": \"\u00e9\"}',"
                            + " ST_GeomFromText('POINT(1.5 -2)'))",
                    "INSERT INTO types VALUES (2, FALSE, -128, 0, -32768, 0, -8388608, 0,"
                            + " -2147483648, 0, -9223372036854775808, 9223372036854775808,"
                            + " -0.000000000000000000000000000001, -0.1, -2.25e-300, b'0000000001',"
                            + " b'0', 1901, '1000-01-01', '-838:59:59.000000',"
                            + " '1000-01-01 00:00:00', '1970-01-01 08:00:01', '', '', '', x'', x'',"
                            + " x'', 'sad', '', '[]', ST_GeomFromText('LINESTRING(0 0,1 1)'))",
                    "INSERT INTO types VALUES (3, TRUE, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,"
                            + " 12345.678900000000000000000000000001, 3.25, 0.1, b'1000000000',"
                            + " b'1000000000000000000000000000000000000000000000000000000000000001',"
                            + " 0, '2024-02-29', '-00:00:01.250000', '2024-03-10 02:30:00.654321',"
                            + " '2024-11-03 13:30:00.5', '\u00dcnal', 'fa\u00e7ade', 'line 1', x'ff',"
                            + " x'00', x'00', 'ok', 'x,y,z', '{\"n\": 1}',"
                            + " ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326))",
                    "INSERT INTO types (id, day, span, wall, instant) VALUES (4, '0000-00-00',"
                            + " '100:00:00.500000', '2024-00-10 00:00:00', '0000-00-00 00:00:00')",
                    "INSERT INTO types (id) VALUES (5)");

    /** Writes rows 1 to 5 again as 101 to 105: row events in the binary log. */
    static final String STREAM_COPY =
            "INSERT INTO types SELECT id + 100, flag, i8, u8, i16, u16, i24, u24, i32, u32, i64,"
                    + " u64, dec65, f, d, bits, bit64, y, day, span, wall, instant, name, latin,"
                    + " body, fixed, bin, blob_, mood, tags, doc, geo FROM types WHERE id < 100";

    /**
     * Every column of a MySQL table as text that shows its exact value: binary as hex, bits as 0s
     * and 1s, an instant as its epoch seconds (whatever the session's zone).
     */
    static final String MYSQL_TEXT =
            "SELECT id, flag, i8, u8, i16, u16, i24, u24, i32, u32, i64, u64, dec65,"
                    + " CAST(f AS CHAR), CAST(d AS CHAR), LPAD(BIN(bits), 10, '0'),"
                    + " LPAD(BIN(bit64), 64, '0'), y, CAST(day AS CHAR), CAST(span AS CHAR),"
                    + " CAST(wall AS CHAR), UNIX_TIMESTAMP(instant),"
                    + " name, latin, body, HEX(fixed), HEX(bin), HEX(blob_), mood, tags, doc, %s"
                    + " FROM types ORDER BY id";

    private MySqlTypeMatrix() {}
}
