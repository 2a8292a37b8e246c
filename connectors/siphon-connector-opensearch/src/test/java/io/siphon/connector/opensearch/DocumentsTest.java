package io.siphon.connector.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SiphonException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentsTest {

    private static final FieldEncoding.Layout LAYOUT =
            new FieldEncoding.Layout(FieldEncoding.Strings.TEXT_AND_KEYWORD, true);

    private static final TableSchema ITEMS =
            new TableSchema(
                    TableId.of("public", "items"),
                    List.of(
                            new Column("id", new DataType.Int32(), false, null),
                            new Column("region", DataType.StringType.unbounded(), false, null),
                            Column.of("price", new DataType.DecimalType(12, 2)),
                            Column.of("seen", new DataType.TimestampTzType(6)),
                            Column.of("wall", new DataType.TimestampType(6)),
                            Column.of("at", new DataType.TimeType(6)),
                            Column.of("tags", new DataType.JsonType(true))),
                    List.of("id", "region"));

    @Test
    void compositeKeysAreEscapedSoThatNoTwoShareAnId() {
        assertThat(Documents.keyId(ITEMS, Row.of(1, "a,b"))).isEqualTo("1,a\\,b");
        assertThat(Documents.keyId(ITEMS, Row.of(1, "a\\"))).isEqualTo("1,a\\\\");
        assertThat(Documents.keyId(ITEMS, Row.of(1, "a,b")))
                .isNotEqualTo(Documents.keyId(ITEMS, Row.of(1, "a\\,b")));
        assertThat(Documents.keyId(ITEMS, Row.of(1, null))).isEqualTo("1,\\N");
        assertThat(Documents.keyId(ITEMS, Row.of(1, "\\N"))).isEqualTo("1,\\\\N");
    }

    @Test
    void anIdLongerThan512BytesIsItsHash() {
        String id = Documents.keyId(ITEMS, Row.of(1, "x".repeat(600)));
        assertThat(id).startsWith("sha256:").hasSize(7 + 64);
    }

    @Test
    void documentsHoldExactValues() {
        byte[] doc =
                Documents.document(
                        ITEMS,
                        Row.of(
                                7,
                                "r1",
                                new BigDecimal("1.50"),
                                OffsetDateTime.of(2024, 2, 29, 23, 59, 59, 0, ZoneOffset.UTC),
                                LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000),
                                LocalTime.MIDNIGHT,
                                "{\"a\": [1, 2]}"),
                        LAYOUT);
        assertThat(new String(doc, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"id\":7,\"region\":\"r1\",\"price\":\"1.50\","
                                + "\"seen\":\"2024-02-29T23:59:59.000000Z\","
                                + "\"wall\":\"2024-03-10T02:30:00.654321\","
                                + "\"at\":\"00:00:00.000000\",\"tags\":{\"a\": [1, 2]}}");
    }

    @Test
    void keylessRowsAreIdentifiedByTheirWholeDocument() {
        byte[] a = "{\"msg\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Documents.wholeRowId(a)).hasSize(64).isEqualTo(Documents.wholeRowId(a.clone()));
    }

    @Test
    void mappingsFollowTheTypes() {
        assertThat(FieldEncoding.mapping(new DataType.DecimalType(12, 2), false, LAYOUT).toString())
                .isEqualTo(
                        "{\"type\":\"scaled_float\",\"scaling_factor\":100.0,"
                                + "\"ignore_malformed\":true}");
        assertThat(FieldEncoding.mapping(new DataType.DecimalType(30, 2), false, LAYOUT).toString())
                .isEqualTo("{\"type\":\"keyword\"}");
        assertThat(FieldEncoding.mapping(new DataType.Int16(), false, LAYOUT).toString())
                .isEqualTo("{\"type\":\"long\"}");
        assertThat(FieldEncoding.mapping(DataType.StringType.unbounded(), true, LAYOUT).toString())
                .isEqualTo("{\"type\":\"keyword\"}");
        assertThat(FieldEncoding.mapping(DataType.StringType.unbounded(), false, LAYOUT).toString())
                .isEqualTo(
                        "{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\","
                                + "\"ignore_above\":256}}}");
    }

    @Test
    void anIndexNameOpenSearchRefusesIsAConfigurationError() {
        assertThat(IndexNames.of("{schema}.{table}", TableId.of("Shop", "Orders")))
                .isEqualTo("shop.orders");
        assertThatThrownBy(() -> IndexNames.of("_{table}", TableId.of("public", "orders")))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("starts with '_'");
        assertThatThrownBy(() -> IndexNames.of("{table}", TableId.of("public", "my orders")))
                .hasMessageContaining("holds ' '");
    }
}
