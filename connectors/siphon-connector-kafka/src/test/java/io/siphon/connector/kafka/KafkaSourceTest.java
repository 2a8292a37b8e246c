package io.siphon.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The source's pure parts: topic names to tables, positions, schemas read back. */
class KafkaSourceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theTopicRuleReadBackwardsNamesTheTable() {
        TopicTables rule = new TopicTables("{prefix}.{schema}.{table}", "shop");
        assertThat(rule.tableOf("shop.public.orders")).contains(TableId.of("public", "orders"));
        assertThat(rule.tableOf("shop.public.a.b")).contains(TableId.of("public", "a.b"));
        assertThat(rule.tableOf("other.public.orders")).isEmpty();
        assertThat(rule.tableOf("shop")).isEmpty();
        assertThat(new TopicTables("cdc-{prefix}-{table}", "s.1").tableOf("cdc-s.1-orders"))
                .isEqualTo(Optional.of(TableId.of("s.1", "orders")));
    }

    @Test
    void aPositionIsTheNextOffsetOfEachPartitionAsJson() {
        KafkaOffsetCodec codec = new KafkaOffsetCodec();
        KafkaOffset offset =
                new KafkaOffset(Map.of("b", Map.of(1, 40L, 0, 12L), "a", Map.of(0, 3L)));
        assertThat(codec.toJson(offset))
                .isEqualTo("{\"next\":{\"a\":{\"0\":3},\"b\":{\"0\":12,\"1\":40}}}");
        assertThat(codec.fromJson(codec.toJson(offset))).isEqualTo(offset);
        assertThat(offset.describe()).isEqualTo("a[0]=3, b[0]=12, b[1]=40");
        assertThat(offset.next("b", 1)).isEqualTo(40L);
        assertThat(offset.next("b", 2)).isEqualTo(-1L);
        assertThat(KafkaOffset.START.describe()).isEqualTo("start");
        assertThat(
                        new KafkaOffset(Map.of("t", Map.of(0, 1L, 1, 1L, 2, 1L, 3, 1L, 4, 1L)))
                                .describe())
                .isEqualTo("t[0]=1, t[1]=1, t[2]=1, t[3]=1 and 1 more partitions");
        assertThatThrownBy(() -> codec.fromJson("{\"lsn\": 5}"))
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_STORE_FAILED));
    }

    @Test
    void everySchemaTheSinkWritesReadsBackAsItsType() {
        // Each type as written, and as read back where the envelope does not say all of it.
        List<DataType[]> cases =
                List.of(
                        same(new DataType.BooleanType()),
                        same(new DataType.Int16()),
                        same(new DataType.Int32()),
                        same(new DataType.Int64()),
                        read(new DataType.UInt64(), new DataType.DecimalType(20, 0)),
                        same(new DataType.DecimalType(12, 2)),
                        same(new DataType.DecimalType(DataType.UNBOUNDED, DataType.UNBOUNDED)),
                        same(new DataType.Float32()),
                        same(new DataType.Float64()),
                        read(new DataType.StringType(20, true), DataType.StringType.unbounded()),
                        read(new DataType.BinaryType(16), new DataType.BinaryType(-1)),
                        same(new DataType.DateType()),
                        read(new DataType.TimeType(0), new DataType.TimeType(3)),
                        read(new DataType.TimeType(DataType.UNBOUNDED), new DataType.TimeType(6)),
                        read(new DataType.DurationType(6), new DataType.TimeType(6)),
                        same(new DataType.YearType()),
                        read(new DataType.TimestampType(2), new DataType.TimestampType(3)),
                        same(new DataType.TimestampType(6)),
                        read(
                                new DataType.TimestampTzType(6),
                                new DataType.TimestampTzType(DataType.UNBOUNDED)),
                        same(new DataType.IntervalType()),
                        same(new DataType.UuidType()),
                        read(new DataType.JsonType(true), new DataType.JsonType(false)),
                        same(new DataType.ArrayType(new DataType.Int32())),
                        read(
                                new DataType.EnumType("public.mood", List.of("a", "b")),
                                new DataType.EnumType(null, List.of("a", "b"))),
                        same(new DataType.SetType(List.of("x", "y"))),
                        read(new DataType.BitType(1, false), new DataType.BooleanType()),
                        read(new DataType.BitType(9, true), new DataType.BitType(9, false)),
                        read(
                                new DataType.GeometryType("geometry"),
                                DataType.StringType.unbounded()),
                        read(new DataType.OtherType("inet"), DataType.StringType.unbounded()));
        List<Column> written = new ArrayList<>();
        List<Column> expected = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            written.add(Column.of("c" + i, cases.get(i)[0]));
            expected.add(Column.of("c" + i, cases.get(i)[1]));
        }
        ConnectSchemas schemas =
                new ConnectSchemas(
                        new Encoding(true, Encoding.Decimals.PRECISE, Encoding.Times.ADAPTIVE));
        byte[] struct =
                JsonBytes.of(
                        JSON,
                        g -> schemas.struct(g, written, List.of(), true, "t.Value", null, null));
        assertThat(EnvelopeReader.columns(JSON.readTree(struct))).isEqualTo(expected);
    }

    private static DataType[] same(DataType type) {
        return new DataType[] {type, type};
    }

    private static DataType[] read(DataType written, DataType read) {
        return new DataType[] {written, read};
    }
}
