package io.siphon.connector.mysql.binlog;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MySQL's stored spatial value (a 4-byte little-endian SRID, then the geometry as WKB) as text: WKT
 * as {@code ST_AsText} writes it ({@code POINT(1 2)}, {@code LINESTRING(0 0,1 1)}), with {@code
 * SRID=<n>;} in front when the SRID is not 0 (PostGIS's EWKT), so no spatial value loses its
 * reference system.
 */
public final class Wkb {

    private Wkb() {}

    /**
     * The text of a stored spatial value.
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the bytes are not one
     */
    public static String toText(byte[] stored) {
        try {
            ByteBuffer in = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
            int srid = in.getInt();
            StringBuilder out = new StringBuilder();
            if (srid != 0) {
                out.append("SRID=").append(Integer.toUnsignedString(srid)).append(';');
            }
            geometry(in, out);
            return out.toString();
        } catch (RuntimeException e) {
            throw new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "a spatial value of " + stored.length + " bytes is not SRID and WKB",
                    e);
        }
    }

    private static void geometry(ByteBuffer in, StringBuilder out) {
        in.order(in.get() == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int type = in.getInt();
        switch (type) {
            case 1 -> {
                out.append("POINT(");
                point(in, out);
                out.append(')');
            }
            case 2 -> {
                out.append("LINESTRING");
                points(in, out);
            }
            case 3 -> {
                out.append("POLYGON");
                rings(in, out);
            }
            case 4, 5, 6, 7 -> {
                out.append(
                        switch (type) {
                            case 4 -> "MULTIPOINT";
                            case 5 -> "MULTILINESTRING";
                            case 6 -> "MULTIPOLYGON";
                            default -> "GEOMETRYCOLLECTION";
                        });
                int n = in.getInt();
                if (n == 0) {
                    out.append(" EMPTY");
                    return;
                }
                out.append('(');
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    int mark = out.length();
                    geometry(in, out);
                    if (type != 7) {
                        // Members of a MULTI* are written without their own type name.
                        int open = out.indexOf("(", mark);
                        out.delete(mark, type == 4 ? open + 1 : open);
                        if (type == 4) {
                            out.setLength(out.length() - 1);
                        }
                    }
                }
                out.append(')');
            }
            default -> throw new IllegalArgumentException("unknown WKB type " + type);
        }
    }

    private static void rings(ByteBuffer in, StringBuilder out) {
        int n = in.getInt();
        out.append('(');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            points(in, out);
        }
        out.append(')');
    }

    private static void points(ByteBuffer in, StringBuilder out) {
        int n = in.getInt();
        out.append('(');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            point(in, out);
        }
        out.append(')');
    }

    private static void point(ByteBuffer in, StringBuilder out) {
        out.append(number(in.getDouble())).append(' ').append(number(in.getDouble()));
    }

    private static String number(double d) {
        if (d == 0) {
            return "0";
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
