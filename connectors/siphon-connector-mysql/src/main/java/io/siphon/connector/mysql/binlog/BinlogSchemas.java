package io.siphon.connector.mysql.binlog;

import io.siphon.model.ChangeEvent;
import io.siphon.model.EventMeta;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The schema of each streamed table as of the stream's position. */
final class BinlogSchemas {

    private Map<TableId, TableSchema> schemas;

    BinlogSchemas(List<TableSchema> tables) {
        Map<TableId, TableSchema> out = new HashMap<>();
        tables.forEach(t -> out.put(t.id(), t));
        schemas = Map.copyOf(out);
    }

    TableSchema schema(TableId id) {
        return schemas.get(id);
    }

    Map<TableId, TableSchema> snapshot() {
        return schemas;
    }

    List<ChangeEvent> catchUp(Connection catalog, Set<TableId> asOfFrom, EventMeta meta) {
        return List.of();
    }

    List<ChangeEvent> apply(String database, String sql, EventMeta meta) {
        return List.of();
    }
}
