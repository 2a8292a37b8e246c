package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.SiphonException;
import org.junit.jupiter.api.Test;

class TxSnapshotTest {

    @Test
    void seesTransactionsEndedBeforeItAndNotThoseInProgressThen() {
        TxSnapshot s = TxSnapshot.parse("100:110:100,102,105");

        assertThat(s.sees(99)).as("below xmin").isTrue();
        assertThat(s.sees(100)).as("xmin itself is in progress").isFalse();
        assertThat(s.sees(101)).isTrue();
        assertThat(s.sees(102)).as("in progress").isFalse();
        assertThat(s.sees(105)).as("in progress").isFalse();
        assertThat(s.sees(109)).isTrue();
    }

    @Test
    void readsAnEmptyInProgressList() {
        assertThat(TxSnapshot.parse("7:7:")).isEqualTo(new TxSnapshot(7, 7, java.util.Set.of()));
    }

    @Test
    void widensThe32BitIdsOfDecodingWithTheSnapshotsEpoch() {
        long epoch = 1L << 32;
        // xmax just past an epoch boundary: a 32-bit id near the top belongs to the epoch before.
        TxSnapshot s =
                TxSnapshot.parse(
                        (epoch - 10) + ":" + (epoch + 5) + ":" + (epoch - 3) + "," + (epoch + 2));

        assertThat(s.sees(epoch - 20)).as("below xmin, epoch before").isTrue();
        assertThat(s.sees(epoch - 3)).as("in progress, epoch before").isFalse();
        assertThat(s.sees(epoch - 4)).isTrue();
        assertThat(s.sees(2)).as("in progress, this epoch").isFalse();
        assertThat(s.sees(1)).isTrue();
    }

    @Test
    void refusesTextThatIsNoSnapshot() {
        assertThatThrownBy(() -> TxSnapshot.parse("12"))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("'12' is not a PostgreSQL snapshot");
    }
}
