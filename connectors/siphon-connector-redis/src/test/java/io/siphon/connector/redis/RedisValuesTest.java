package io.siphon.connector.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.DataType;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisValuesTest {

    /** Timestamps at the edges of the hand-written ISO text. */
    static final List<LocalDateTime> TIMES =
            List.of(
                    LocalDateTime.of(2024, 2, 29, 0, 0),
                    LocalDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000),
                    LocalDateTime.of(1999, 12, 31, 23, 59, 59, 1),
                    LocalDateTime.of(2000, 1, 1, 9, 5, 7, 500_000_000),
                    LocalDateTime.of(0, 1, 1, 0, 0, 0, 100),
                    LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999),
                    LocalDateTime.of(10_000, 1, 1, 0, 0),
                    LocalDateTime.of(-1, 6, 15, 12, 0, 30));

    @Test
    void timestampsAreWrittenAsTheIsoFormatterWritesThem() {
        for (LocalDateTime t : TIMES) {
            assertThat(RedisValues.localDateTime(t))
                    .isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        }
    }

    @Test
    void instantsAreWrittenAtUtcAsTheIsoFormatterWritesThem() {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
        for (LocalDateTime t : TIMES) {
            for (ZoneOffset offset : List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30))) {
                OffsetDateTime instant = t.atOffset(offset);
                assertThat(RedisValues.instant(instant)).isEqualTo(iso.format(instant));
            }
        }
        assertThat(RedisValues.instant(OffsetDateTime.of(TIMES.get(1), ZoneOffset.UTC)))
                .isEqualTo("2024-03-10T02:30:00.654321Z");
    }

    @Test
    void multiDimensionalArraysAreNestedJsonArraysAndReadBackAsNestedLists() {
        DataType ints = new DataType.ArrayType(new DataType.Int32());
        List<Object> matrix = List.of(List.of(1, 2), Arrays.asList(3, null));
        assertThat(RedisValues.text(ints, matrix)).isEqualTo("[[1,2],[3,null]]");
        assertThat(RedisValues.fromText(ints, "[[1,2],[3,null]]")).isEqualTo(matrix);
        // A JSON element that is an array stays one element.
        DataType json = new DataType.ArrayType(new DataType.JsonType(true));
        assertThat(RedisValues.fromText(json, "[[1,2]]")).isEqualTo(List.of("[1,2]"));
    }
}
