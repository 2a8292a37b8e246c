package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The client library's row deserializers with exact date and time decoding ({@link
 * BinlogTemporal}); strings and binary strings stay bytes, decoded later with each column's
 * character set.
 */
final class BinlogRowDeserializers {

    private BinlogRowDeserializers() {}

    /**
     * An event deserializer whose row events decode dates and times with {@link BinlogTemporal}.
     */
    static EventDeserializer eventDeserializer() {
        Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        // The library keeps its table maps to itself: these deserializers need their own copy.
        EventDeserializer deserializer =
                new EventDeserializer() {
                    @Override
                    public Event nextEvent(ByteArrayInputStream in) throws IOException {
                        Event event = super.nextEvent(in);
                        if (event != null
                                && event.getHeader().getEventType() == EventType.TABLE_MAP) {
                            TableMapEventData map = event.getData();
                            tableMaps.put(map.getTableId(), map);
                        }
                        return event;
                    }
                };
        deserializer.setCompatibilityMode(
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        for (EventType t : new EventType[] {EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS}) {
            deserializer.setEventDataDeserializer(
                    t,
                    new Write(tableMaps)
                            .setMayContainExtraInformation(t == EventType.EXT_WRITE_ROWS));
        }
        for (EventType t : new EventType[] {EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS}) {
            deserializer.setEventDataDeserializer(
                    t,
                    new Update(tableMaps)
                            .setMayContainExtraInformation(t == EventType.EXT_UPDATE_ROWS));
        }
        for (EventType t : new EventType[] {EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS}) {
            deserializer.setEventDataDeserializer(
                    t,
                    new Delete(tableMaps)
                            .setMayContainExtraInformation(t == EventType.EXT_DELETE_ROWS));
        }
        return deserializer;
    }

    /** Whether {@link #temporal} decodes cells of this type. */
    private static boolean isTemporal(ColumnType type) {
        return switch (type) {
            case DATE, TIME, TIME_V2, TIMESTAMP, TIMESTAMP_V2, DATETIME, DATETIME_V2, YEAR -> true;
            default -> false;
        };
    }

    /** A date or time cell decoded by {@link BinlogTemporal}, in place of the library's. */
    private static Serializable temporal(ColumnType type, int meta, ByteArrayInputStream in)
            throws IOException {
        return switch (type) {
            case DATE -> BinlogTemporal.date(in);
            case TIME -> BinlogTemporal.time(in);
            case TIME_V2 -> BinlogTemporal.time2(meta, in);
            case TIMESTAMP -> BinlogTemporal.timestamp(in);
            case TIMESTAMP_V2 -> BinlogTemporal.timestamp2(meta, in);
            case DATETIME -> BinlogTemporal.datetime(in);
            case DATETIME_V2 -> BinlogTemporal.datetime2(meta, in);
            case YEAR -> BinlogTemporal.year(in);
            default -> throw new IllegalArgumentException("not a date or time type: " + type);
        };
    }

    // The three row-event deserializers share no base class of ours: each routes date and time
    // cells to the one decoder above.

    private static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(
                ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return isTemporal(type)
                    ? temporal(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }

    private static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(
                ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return isTemporal(type)
                    ? temporal(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }

    private static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(
                ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return isTemporal(type)
                    ? temporal(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }
}
