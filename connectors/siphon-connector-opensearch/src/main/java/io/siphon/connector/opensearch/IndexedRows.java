package io.siphon.connector.opensearch;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Interval;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * the inverse mapping, so that tests and checks compare documents with source rows exactly. JSON
 * fields are taken as the raw text of {@code _source}, which OpenSearch keeps as it was sent.
 */
final class IndexedRows {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private IndexedRows() {}

    private static final int PAGE = 5000;

    /**
     * Every document of a table's index (refreshed first), as rows in the table's column order,
     * read page by page with a scroll so that no result window caps the count.
     */
    static List<Row> read(String url, String index, TableSchema table) {
        send(url, "POST", "/" + index + "/_refresh", null);
        List<Row> rows = new ArrayList<>();
        String body =
                send(
                        url,
                        "POST",
                        "/" + index + "/_search?scroll=1m&size=" + PAGE,
                        "{\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}");
        while (true) {
            int before = rows.size();
            String scrollId = page(body, table, rows);
            if (rows.size() == before || scrollId == null) {
                if (scrollId != null) {
                    send(url, "DELETE", "/_search/scroll/" + scrollId, null);
                }
                return rows;
            }
            body =
                    send(
                            url,
                            "POST",
                            "/_search/scroll",
                            "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
        }
    }

    /** Adds the documents of one page of hits to {@code rows}; returns the scroll's id. */
    private static String page(String body, TableSchema table, List<Row> rows) {
        String scrollId = null;
        try (JsonParser p = OpenSearchHttp.JSON.createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.PROPERTY_NAME
                        && p.currentName().equals("_scroll_id")) {
                    p.nextToken();
                    scrollId = p.getString();
                } else if (p.currentToken() == JsonToken.PROPERTY_NAME
                        && p.currentName().equals("_source")) {
                    p.nextToken();
                    rows.add(row(p, body, table));
                }
            }
        }
        return scrollId;
    }

    private static Row row(JsonParser p, String body, TableSchema table) {
        Object[] values = new Object[table.columns().size()];
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            int i = table.indexOf(p.currentName());
            p.nextToken();
            if (i < 0) {
                throw new SiphonException(
                        ErrorCode.SCHEMA_MISMATCH,
                        "A document has field "
                                + p.currentName()
                                + " that table "
                                + table.id()
                                + " lacks");
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

    /** Sends a request and returns the body; fails on an error status. */
    static String send(String url, String method, String path, String json) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new SiphonException(
                        ErrorCode.SINK_WRITE_FAILED,
                        method + " " + path + " answered " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiphonException(
                    ErrorCode.CONNECTION_FAILED, method + " " + path + " interrupted", e);
        }
    }
}
