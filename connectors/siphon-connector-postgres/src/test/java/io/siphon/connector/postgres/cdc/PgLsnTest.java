package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgLsnTest {

    private final PgLsnCodec codec = new PgLsnCodec();

    @Test
    void describesItselfTheWayPostgresWritesIt() {
        assertThat(new PgLsn(0x16B3748L).describe()).isEqualTo("0/16B3748");
        assertThat(new PgLsn(0x1_0000_0000L).describe()).isEqualTo("1/0");
        assertThat(new PgLsn(-1L).describe()).isEqualTo("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void parsesWhatItDescribes() {
        assertThat(PgLsn.parse("0/16B3748")).isEqualTo(new PgLsn(0x16B3748L));
        assertThat(PgLsn.parse("16/b374d848")).isEqualTo(new PgLsn(0x16_B374_D848L));
        assertThat(PgLsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(new PgLsn(-1L));
    }

    @Test
    void ordersUnsigned() {
        assertThat(PgLsn.parse("FFFFFFFF/0")).isGreaterThan(PgLsn.parse("7FFFFFFF/FFFFFFFF"));
        assertThat(PgLsn.parse("0/2")).isGreaterThan(PgLsn.parse("0/1"));
    }

    @Test
    void rejectsTextThatIsNotAnLsn() {
        for (String bad : new String[] {"", "16B3748", "/1", "1/", "x/1", "1/2/3", "100000000/0"}) {
            assertThatThrownBy(() -> PgLsn.parse(bad))
                    .isInstanceOf(SiphonException.class)
                    .hasMessageContaining("is not a PostgreSQL LSN");
        }
    }

    @Test
    void storesAsJsonAndReadsItBack() {
        PgLsn lsn = PgLsn.parse("0/16B3748");
        assertThat(codec.toJson(lsn)).isEqualTo("{\"lsn\":\"0/16B3748\"}");
        assertThat(codec.fromJson("{\"lsn\":\"0/16B3748\"}")).isEqualTo(lsn);
        assertThat(codec.fromJson(" { \"lsn\" : \"1/0\" } ")).isEqualTo(new PgLsn(1L << 32));
    }

    @Test
    void anOffsetOfAnotherConnectorIsAStateStoreFailure() {
        for (String bad : new String[] {"{\"file\":\"binlog.000001\"}", "[]", "{\"lsn\":\"x\"}"}) {
            assertThatThrownBy(() -> codec.fromJson(bad))
                    .isInstanceOfSatisfying(
                            SiphonException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_STORE_FAILED));
        }
    }

    @Test
    void namesItselfAsDebeziumsPostgresSourceBlockDoes() {
        assertThat(PgLsn.parse("0/16B3748").sourceFields())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("connector", "postgresql", "lsn", 0x16B3748L));
    }
}
