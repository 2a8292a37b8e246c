package io.siphon.connector.mysql.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WkbTest {

    @Test
    void writesEachGeometryKindAsMySqlsText() {
        assertThat(Wkb.toText(stored(0, point(1.5, -2)))).isEqualTo("POINT(1.5 -2)");
        assertThat(Wkb.toText(stored(4326, point(0, 100)))).isEqualTo("SRID=4326;POINT(0 100)");
        assertThat(Wkb.toText(stored(0, line(0, 0, 1, 1)))).isEqualTo("LINESTRING(0 0,1 1)");
        assertThat(Wkb.toText(stored(0, polygon(0, 0, 1, 0, 1, 1, 0, 0))))
                .isEqualTo("POLYGON((0 0,1 0,1 1,0 0))");
        assertThat(Wkb.toText(stored(0, multi(4, point(1, 1), point(2, 2)))))
                .isEqualTo("MULTIPOINT(1 1,2 2)");
        assertThat(Wkb.toText(stored(0, multi(5, line(0, 0, 1, 1), line(2, 2, 3, 3)))))
                .isEqualTo("MULTILINESTRING((0 0,1 1),(2 2,3 3))");
        assertThat(Wkb.toText(stored(0, multi(6, polygon(0, 0, 1, 0, 1, 1, 0, 0)))))
                .isEqualTo("MULTIPOLYGON(((0 0,1 0,1 1,0 0)))");
        assertThat(Wkb.toText(stored(0, multi(7, point(1, 2), line(0, 0, 1, 1)))))
                .isEqualTo("GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))");
        assertThat(Wkb.toText(stored(0, multi(7)))).isEqualTo("GEOMETRYCOLLECTION EMPTY");
    }

    private static byte[] stored(int srid, byte[] wkb) {
        return ByteBuffer.allocate(4 + wkb.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(srid)
                .put(wkb)
                .array();
    }

    private static ByteBuffer header(int type, int size) {
        return ByteBuffer.allocate(5 + size)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 1)
                .putInt(type);
    }

    private static byte[] point(double x, double y) {
        return header(1, 16).putDouble(x).putDouble(y).array();
    }

    private static byte[] line(double... xy) {
        ByteBuffer b = header(2, 4 + xy.length * 8).putInt(xy.length / 2);
        for (double d : xy) {
            b.putDouble(d);
        }
        return b.array();
    }

    private static byte[] polygon(double... xy) {
        ByteBuffer b = header(3, 8 + xy.length * 8).putInt(1).putInt(xy.length / 2);
        for (double d : xy) {
            b.putDouble(d);
        }
        return b.array();
    }

    private static byte[] multi(int type, byte[]... members) {
        int size = 4;
        for (byte[] m : members) {
            size += m.length;
        }
        ByteBuffer b = header(type, size).putInt(members.length);
        for (byte[] m : members) {
            b.put(m);
        }
        return b.array();
    }
}
