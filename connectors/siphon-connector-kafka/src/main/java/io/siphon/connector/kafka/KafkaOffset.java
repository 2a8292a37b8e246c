package io.siphon.connector.kafka;

import io.siphon.model.Offset;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Where a Kafka source stands: per topic and partition, the offset of the next record to read. A
 * partition not named is read from its beginning, so {@link #START} (none named) is the start of
 * every topic.
 *
 * @param next per topic, per partition, the next offset to read
 */
public record KafkaOffset(Map<String, Map<Integer, Long>> next) implements Offset {

    /** Nothing read yet: every partition from its beginning. */
    public static final KafkaOffset START = new KafkaOffset(Map.of());

    private static final int DESCRIBED_PARTITIONS = 4;

    /** Copies the maps, sorted, so that equal positions are equal and print alike. */
    public KafkaOffset {
        TreeMap<String, Map<Integer, Long>> copy = new TreeMap<>();
        next.forEach((topic, partitions) -> copy.put(topic, new TreeMap<>(partitions)));
        next = copy;
    }

    /** The next offset of a partition, or -1 when it is read from its beginning. */
    public long next(String topic, int partition) {
        Map<Integer, Long> partitions = next.get(topic);
        Long offset = partitions == null ? null : partitions.get(partition);
        return offset == null ? -1 : offset;
    }

    /**
     * {@code topic[partition]=offset} for a few partitions, then how many more: the offsets of the
     * next records to read.
     */
    @Override
    public String describe() {
        StringJoiner out = new StringJoiner(", ");
        int shown = 0;
        int total = 0;
        for (Map.Entry<String, Map<Integer, Long>> t : next.entrySet()) {
            for (Map.Entry<Integer, Long> p : t.getValue().entrySet()) {
                total++;
                if (shown < DESCRIBED_PARTITIONS) {
                    out.add(t.getKey() + "[" + p.getKey() + "]=" + p.getValue());
                    shown++;
                }
            }
        }
        if (total == 0) {
            return "start";
        }
        return total > shown
                ? out + " and " + (total - shown) + " more partitions"
                : out.toString();
    }

    /** Kafka's fields of a {@code source} block: the connector only (a position is many). */
    @Override
    public Map<String, Object> sourceFields() {
        return Map.of("connector", "kafka");
    }
}
