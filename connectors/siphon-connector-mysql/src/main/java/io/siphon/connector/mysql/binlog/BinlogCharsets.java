package io.siphon.connector.mysql.binlog;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The character sets of a server's collations: the binlog names each text column's collation by
 * number, and the column's bytes are decoded with the Java charset of its character set.
 */
final class BinlogCharsets {

    /** The collation of binary strings ({@code BINARY}, {@code BLOB}): no character set. */
    static final int BINARY = 63;

    /** MySQL character set names whose Java name differs (MySQL's latin1 is Windows-1252). */
    private static final Map<String, String> JAVA_NAMES =
            Map.ofEntries(
                    Map.entry("utf8mb4", "UTF-8"),
                    Map.entry("utf8mb3", "UTF-8"),
                    Map.entry("utf8", "UTF-8"),
                    Map.entry("latin1", "windows-1252"),
                    Map.entry("latin2", "ISO-8859-2"),
                    Map.entry("latin5", "ISO-8859-9"),
                    Map.entry("latin7", "ISO-8859-13"),
                    Map.entry("greek", "ISO-8859-7"),
                    Map.entry("hebrew", "ISO-8859-8"),
                    Map.entry("ascii", "US-ASCII"),
                    Map.entry("ucs2", "UTF-16BE"),
                    Map.entry("utf16", "UTF-16BE"),
                    Map.entry("utf16le", "UTF-16LE"),
                    Map.entry("utf32", "UTF-32BE"),
                    Map.entry("cp1250", "windows-1250"),
                    Map.entry("cp1251", "windows-1251"),
                    Map.entry("cp1256", "windows-1256"),
                    Map.entry("cp1257", "windows-1257"),
                    Map.entry("cp850", "IBM850"),
                    Map.entry("cp852", "IBM852"),
                    Map.entry("cp866", "IBM866"),
                    Map.entry("koi8r", "KOI8-R"),
                    Map.entry("koi8u", "KOI8-U"),
                    Map.entry("sjis", "Shift_JIS"),
                    Map.entry("cp932", "windows-31j"),
                    Map.entry("ujis", "EUC-JP"),
                    Map.entry("eucjpms", "x-eucJP-Open"),
                    Map.entry("euckr", "EUC-KR"),
                    Map.entry("gb2312", "GB2312"),
                    Map.entry("gbk", "GBK"),
                    Map.entry("gb18030", "GB18030"),
                    Map.entry("big5", "Big5"),
                    Map.entry("tis620", "TIS-620"),
                    Map.entry("macroman", "x-MacRoman"),
                    Map.entry("macce", "x-MacCentralEurope"));

    private final Map<Integer, String> charsetByCollation;

    private BinlogCharsets(Map<Integer, String> charsetByCollation) {
        this.charsetByCollation = charsetByCollation;
    }

    /**
     * Reads the server's collations. MariaDB 10.10+ lists each collation's id once per character
     * set it applies to in {@code COLLATION_CHARACTER_SET_APPLICABILITY} (the UCA 14.0.0 collations
     * have ids there only); MySQL in {@code COLLATIONS}.
     */
    static BinlogCharsets read(Connection c) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS"
                                        + " WHERE ID IS NOT NULL")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT ID, CHARACTER_SET_NAME FROM"
                                        + " information_schema.COLLATION_CHARACTER_SET_APPLICABILITY"
                                        + " WHERE ID IS NOT NULL")) {
            while (rs.next()) {
                out.putIfAbsent(rs.getInt(1), rs.getString(2));
            }
        } catch (SQLException e) {
            // MySQL and MariaDB before 10.10 have no ID column there: COLLATIONS has them all.
        }
        return new BinlogCharsets(Map.copyOf(out));
    }

    /**
     * The Java charset of a collation, or null for {@link #BINARY}.
     *
     * @throws SiphonException {@link ErrorCode#TYPE_UNSUPPORTED} when Java has no such charset
     */
    Charset charset(int collation, String column) {
        if (collation == BINARY) {
            return null;
        }
        String name = charsetByCollation.get(collation);
        if (name == null) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "Column "
                            + column
                            + " has collation id "
                            + collation
                            + ", which the server does not list in information_schema; convert"
                            + " the column to utf8mb4");
        }
        if (name.equals("utf8mb4") || name.equals("utf8mb3") || name.equals("utf8")) {
            return StandardCharsets.UTF_8;
        }
        String java = JAVA_NAMES.get(name);
        if (java == null || !Charset.isSupported(java)) {
            throw new SiphonException(
                    ErrorCode.TYPE_UNSUPPORTED,
                    "Column "
                            + column
                            + " uses character set "
                            + name
                            + ", which Java cannot decode; convert it: ALTER TABLE ... MODIFY "
                            + column
                            + " ... CHARACTER SET utf8mb4");
        }
        return Charset.forName(java);
    }
}
