package io.siphon.connector.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
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

    private static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.time2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.year(in);
        }
    }

    private static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.time2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.year(in);
        }
    }

    private static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.date(in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.time2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in)
                throws IOException {
            return BinlogTemporal.datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return BinlogTemporal.year(in);
        }
    }
}
