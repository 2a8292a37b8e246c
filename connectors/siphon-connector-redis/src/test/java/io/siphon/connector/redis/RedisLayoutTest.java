package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys split back into their parts: escaping, keyless rows and the SCAN pattern. */
class RedisLayoutTest {

    private static final RedisLayout LAYOUT = new RedisLayout("p", false, Duration.ZERO, Map.of());

    private static final TableSchema PAIRS =
            new TableSchema(
                    TableId.of("public", "pairs"),
                    List.of(
                            new Column("a", DataType.StringType.unbounded(), false, null),
                            new Column("b", new DataType.BinaryType(-1), false, null)),
                    List.of("a", "b"));

    @Test
    void escapesBackslashesColonsAndALeadingHash() {
        assertThat(RedisLayout.part("a:b\\c#d")).isEqualTo("a\\:b\\\\c#d");
        assertThat(RedisLayout.part("#x")).isEqualTo("\\#x");
        assertThat(LAYOUT.rowKey(PAIRS, new Object[] {"x:y", new byte[] {1, (byte) 0xab}}))
                .isEqualTo("p:public.pairs:x\\:y:01ab");
    }

    @Test
    void keylessRowsAreKeyedByAHashOfAllValues() {
        TableSchema keyless = new TableSchema(PAIRS.id(), PAIRS.columns(), List.of());
        String one = LAYOUT.rowKey(keyless, new Object[] {"x", null});
        assertThat(one).matches("p:public\\.pairs:[0-9a-f]{64}");
        assertThat(LAYOUT.rowKey(keyless, new Object[] {"x", new byte[0]})).isNotEqualTo(one);
    }

    @Test
    void theScanPatternEscapesGlobCharactersAndMatchesNoOtherTable() {
        assertThat(LAYOUT.tablePattern(TableId.of("s", "t*[x]")))
                .isEqualTo("p:s.\"t\\*\\[x\\]\":*");
        assertThat(LAYOUT.isRowKey(PAIRS.id(), "p:public.pairs:#index:a:x")).isFalse();
        assertThat(LAYOUT.isRowKey(PAIRS.id(), "p:public.pairs:\\#index")).isTrue();
    }
}
