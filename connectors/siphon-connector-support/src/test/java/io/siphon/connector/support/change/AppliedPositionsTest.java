package io.siphon.connector.support.change;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeOrder;
import io.siphon.model.EventMeta;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedPositionsTest {

    private static final TableId T = TableId.of("s", "t");

    @Test
    void replayedChangesAreDroppedAndTheLastNewOneIsNotedUntilRecorded() throws Exception {
        AppliedPositions positions = new AppliedPositions(table -> new ChangeOrder(10, 2));
        List<ChangeEvent> fresh =
                positions.fresh(
                        T, List.of(at(10, 1), at(10, 2), at(10, 3), unordered(), at(11, 0)));
        assertThat(fresh)
                .extracting(c -> c.meta().order())
                .containsExactly(new ChangeOrder(10, 3), null, new ChangeOrder(11, 0));
        assertThat(positions.unrecorded()).isEqualTo(Map.of(T, new ChangeOrder(11, 0)));
        assertThat(positions.fresh(T, List.of(at(11, 0)))).isEmpty();
        positions.recorded();
        assertThat(positions.unrecorded()).isEmpty();
    }

    @Test
    void aRollbackForgetsWhatTheTransactionNotedAndReadsTheTargetAgain() throws Exception {
        int[] reads = {0};
        AppliedPositions positions =
                new AppliedPositions(
                        table -> {
                            reads[0]++;
                            return null;
                        });
        assertThat(positions.fresh(T, List.of(at(5, 0)))).hasSize(1);
        positions.rolledBack();
        assertThat(positions.unrecorded()).isEmpty();
        assertThat(positions.fresh(T, List.of(at(5, 0)))).hasSize(1);
        assertThat(reads[0]).isEqualTo(2);
    }

    private static ChangeEvent at(long commit, long index) {
        return new ChangeEvent.Insert(
                T, Row.of(1), new EventMeta(null, null, null, new ChangeOrder(commit, index)));
    }

    private static ChangeEvent unordered() {
        return new ChangeEvent.Insert(T, Row.of(2), EventMeta.NONE);
    }
}
