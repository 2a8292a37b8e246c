package io.siphon.connector.mysql.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinlogOffsetTest {

    private final BinlogOffsetCodec codec = new BinlogOffsetCodec();

    @Test
    void roundTripsThroughReadableJson() {
        BinlogOffset offset = new BinlogOffset("mariadb-bin.000003", 1234, "0-1-42", 1);
        String json = codec.toJson(offset);
        assertThat(json)
                .isEqualTo(
                        "{\"file\":\"mariadb-bin.000003\",\"position\":1234,\"gtids\":\"0-1-42\","
                                + "\"server_id\":1}");
        assertThat(codec.fromJson(json)).isEqualTo(offset);
        BinlogOffset noGtid = new BinlogOffset("binlog.000001", 4, null, 7);
        assertThat(codec.fromJson(codec.toJson(noGtid))).isEqualTo(noGtid);
        assertThat(offset.describe()).isEqualTo("mariadb-bin.000003:1234 (GTID 0-1-42)");
    }

    @Test
    void refusesAnotherConnectorsOffset() {
        assertThatThrownBy(() -> codec.fromJson("{\"lsn\":\"0/16B3748\"}"))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("is not a MySQL binlog offset")
                .satisfies(
                        e ->
                                assertThat(((SiphonException) e).code())
                                        .isEqualTo(ErrorCode.STATE_STORE_FAILED));
    }

    @Test
    void ordersByFileThenPosition() {
        BinlogOffset a = new BinlogOffset("b.000009", 999_999, null, 1);
        BinlogOffset b = new BinlogOffset("b.000010", 4, null, 1);
        assertThat(a.compareTo(b)).isNegative();
        assertThat(Long.compareUnsigned(a.packed(), b.packed())).isNegative();
        assertThat(b.packed()).isEqualTo((10L << 32) | 4);
    }

    @Test
    void namesItselfAsDebeziumsMySqlSourceBlockDoes() {
        assertThat(new BinlogOffset("mariadb-bin.000003", 1234, "0-1-42", 1).sourceFields())
                .containsExactly(
                        Map.entry("connector", "mysql"),
                        Map.entry("server_id", 1L),
                        Map.entry("gtid", "0-1-42"),
                        Map.entry("file", "mariadb-bin.000003"),
                        Map.entry("pos", 1234L));
        assertThat(new BinlogOffset("binlog.000001", 4, null, 7).sourceFields())
                .doesNotContainKey("gtid");
    }
}
