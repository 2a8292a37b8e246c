package io.siphon.connector.mysql.binlog;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores a {@link BinlogOffset} as {@code {"file":"mariadb-bin.000003","position":1234,
 * "gtids":"0-1-42","server_id":1}}, readable in status output.
 */
public final class BinlogOffsetCodec implements OffsetCodec<BinlogOffset> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toJson(BinlogOffset offset) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", offset.file());
        node.put("position", offset.position());
        if (offset.gtids() != null) {
            node.put("gtids", offset.gtids());
        }
        node.put("server_id", offset.serverId());
        return node.toString();
    }

    @Override
    public BinlogOffset fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode file = node.get("file");
            JsonNode position = node.get("position");
            JsonNode serverId = node.get("server_id");
            if (file == null
                    || !file.isString()
                    || position == null
                    || !position.isIntegralNumber()
                    || serverId == null
                    || !serverId.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        "it needs \"file\", \"position\" and \"server_id\"");
            }
            JsonNode gtids = node.get("gtids");
            return new BinlogOffset(
                    file.asString(),
                    position.asLong(),
                    gtids == null || gtids.isNull() ? null : gtids.asString(),
                    serverId.asLong());
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "stored offset "
                            + json
                            + " is not a MySQL binlog offset: "
                            + e.getMessage()
                            + ". Was the state written by another connector?",
                    e);
        }
    }
}
