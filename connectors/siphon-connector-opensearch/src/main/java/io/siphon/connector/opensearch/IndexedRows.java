package io.siphon.connector.opensearch;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads an index back as rows of a table, decoding each field as {@link FieldEncoding} wrote it:
 * the inverse mapping, so that a copy compares with its source rows exactly. JSON fields are taken
 * as the raw text of {@code _source}, which OpenSearch keeps as it was sent.
 */
final class IndexedRows {

    private static final int PAGE = 5000;
    private static final String KEEP_ALIVE = "1m";

    private IndexedRows() {}

    /**
     * Every document of a table's index, as rows in the table's column order; the index is
     * refreshed first, so that every acknowledged write is read. Pages through a scroll, so any
     * number of documents is read.
     */
    static List<Row> read(OpenSearchHttp http, String index, TableSchema table) {
        http.text("POST", "/" + index + "/_refresh", null);
        List<Row> rows = new ArrayList<>();
        String body =
                http.text(
                        "POST",
                        "/" + index + "/_search?scroll=" + KEEP_ALIVE,
                        "{\"size\":" + PAGE + ",\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}");
        String scroll = null;
        try {
            while (true) {
                scroll = OpenSearchHttp.JSON.readTree(body).path("_scroll_id").asString();
                int before = rows.size();
                rows.addAll(hits(body, table));
                if (rows.size() == before) {
                    return rows;
                }
                body =
                        http.text(
                                "POST",
                                "/_search/scroll",
                                OpenSearchHttp.JSON
                                        .createObjectNode()
                                        .put("scroll", KEEP_ALIVE)
                                        .put("scroll_id", scroll)
                                        .toString());
            }
        } finally {
            if (scroll != null && !scroll.isEmpty()) {
                http.send(
                        "DELETE",
                        "/_search/scroll",
                        OpenSearchHttp.JSON.createObjectNode().put("scroll_id", scroll).toString());
            }
        }
    }

    /**
     * The documents a search finds, as rows of the table, in the order the search returns them.
     *
     * @param request a search request body, such as {@code {"query":{"term":{"id":5}}}}
     */
    static List<Row> search(OpenSearchHttp http, String index, TableSchema table, String request) {
        return hits(http.text("POST", "/" + index + "/_search", request), table);
    }

    /** The {@code _source} of each hit of a search answer, decoded. */
    private static List<Row> hits(String body, TableSchema table) {
        List<Row> rows = new ArrayList<>();
        try (JsonParser p = OpenSearchHttp.JSON.createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.PROPERTY_NAME
                        && p.currentName().equals("_source")) {
                    p.nextToken();
                    rows.add(row(p, body, table));
                }
            }
        }
        return rows;
    }

    private static Row row(JsonParser p, String body, TableSchema table) {
        Object[] values = new Object[table.columns().size()];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            int i = table.indexOf(p.currentName());
            p.nextToken();
            if (i < 0) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID,
                        "A document of table "
                                + table.id()
                                + " has field "
                                + p.currentName()
                                + ", which the table lacks");
            }
            Column column = table.columns().get(i);
            if (column.type() instanceof DataType.JsonType && !p.currentToken().isScalarValue()) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getCharOffset();
                values[i] = body.substring(start, end);
            } else {
                JsonNode node = p.readValueAsTree();
                values[i] = decode(column.type(), node);
            }
        }
        return new Row(values);
    }

    /** The value a field holds, as the table's type carries it. */
    static Object decode(DataType type, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return switch (type) {
            case DataType.BooleanType b -> n.asBoolean();
            case DataType.Int16 i -> (short) n.asInt();
            case DataType.Int32 i -> n.asInt();
            case DataType.Int64 i -> n.asLong();
            case DataType.YearType y -> (short) n.asInt();
            case DataType.UInt64 u -> n.bigIntegerValue();
            case DataType.DecimalType d ->
                    switch (n.asString()) {
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        case "-Infinity" -> Double.NEGATIVE_INFINITY;
                        default -> new BigDecimal(n.asString());
                    };
            case DataType.Float32 f ->
                    n.isString() ? Float.parseFloat(n.asString()) : n.floatValue();
            case DataType.Float64 f ->
                    n.isString() ? Double.parseDouble(n.asString()) : n.doubleValue();
            case DataType.BinaryType b -> Base64.getDecoder().decode(n.asString());
            case DataType.DateType d -> LocalDate.parse(n.asString());
            case DataType.TimeType t -> LocalTime.parse(n.asString());
            case DataType.TimestampType t -> LocalDateTime.parse(n.asString());
            case DataType.TimestampTzType t -> OffsetDateTime.parse(n.asString());
            case DataType.DurationType d ->
                    Duration.ofSeconds(
                            Math.floorDiv(n.asLong(), 1_000_000L),
                            Math.floorMod(n.asLong(), 1_000_000L) * 1000);
            case DataType.IntervalType i ->
                    new Interval(
                            n.path("months").asInt(),
                            n.path("days").asInt(),
                            n.path("micros").asLong());
            case DataType.UuidType u -> UUID.fromString(n.asString());
            case DataType.JsonType j -> n.isString() ? n.asString() : n.toString();
            case DataType.ArrayType a -> {
                List<Object> out = new ArrayList<>();
                for (JsonNode e : n) {
                    out.add(decode(e.isArray() ? a : a.element(), e));
                }
                yield out;
            }
            case DataType.SetType s -> {
                List<Object> out = new ArrayList<>();
                for (JsonNode e : n) {
                    out.add(e.asString());
                }
                yield out;
            }
            case DataType.StringType s -> n.asString();
            case DataType.EnumType e -> n.asString();
            case DataType.BitType b -> n.asString();
            case DataType.GeometryType g -> n.asString();
            case DataType.OtherType o -> n.asString();
        };
    }
}
