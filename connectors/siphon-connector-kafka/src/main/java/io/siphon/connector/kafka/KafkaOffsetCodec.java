package io.siphon.connector.kafka;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code {"next": {"topic": {"0": 12, "1": 40}}}}: per partition, the next offset to read. */
final class KafkaOffsetCodec implements OffsetCodec<KafkaOffset> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String toJson(KafkaOffset offset) {
        return JSON.writeValueAsString(Map.of("next", offset.next()));
    }

    @Override
    public KafkaOffset fromJson(String json) {
        try {
            JsonNode next = JSON.readTree(json).get("next");
            if (next == null || !next.isObject()) {
                throw new IllegalArgumentException("no 'next' object");
            }
            Map<String, Map<Integer, Long>> topics = new HashMap<>();
            for (Map.Entry<String, JsonNode> t : next.properties()) {
                Map<Integer, Long> partitions = new HashMap<>();
                for (Map.Entry<String, JsonNode> p : t.getValue().properties()) {
                    partitions.put(Integer.parseInt(p.getKey()), p.getValue().asLong());
                }
                topics.put(t.getKey(), partitions);
            }
            return new KafkaOffset(topics);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "The stored position '" + json + "' is not a Kafka source's position",
                    e);
        }
    }

    /**
     * The stored offsets with those of the part's partitions replaced: a part's position names only
     * the partitions it reads, and each partition is read by one part.
     */
    @Override
    public KafkaOffset merge(KafkaOffset stored, KafkaOffset part) {
        Map<String, Map<Integer, Long>> next = new HashMap<>();
        stored.next().forEach((topic, partitions) -> next.put(topic, new HashMap<>(partitions)));
        part.next()
                .forEach(
                        (topic, partitions) ->
                                next.computeIfAbsent(topic, t -> new HashMap<>())
                                        .putAll(partitions));
        return new KafkaOffset(next);
    }
}
