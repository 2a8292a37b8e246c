package io.siphon.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import io.siphon.model.DataType;
import io.siphon.transforms.expr.CelValues;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MySQL's types (BIGINT UNSIGNED, TIME as a duration, YEAR, BIT, SET) in casts and CEL. */
class TypesFromOtherSystemsTest {

    private static final BigInteger U64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    private static final DataType.SetType COLOURS =
            new DataType.SetType(List.of("red", "green", "blue"));

    private static Object cast(DataType from, DataType to, Object value) {
        return Casts.converter(from, to).orElseThrow().apply(value);
    }

    @Test
    void castsToAndFromText() {
        DataType text = DataType.StringType.unbounded();
        assertThat(cast(text, new DataType.UInt64(), "18446744073709551615")).isEqualTo(U64_MAX);
        assertThat(cast(new DataType.UInt64(), text, U64_MAX)).isEqualTo("18446744073709551615");
        assertThat(cast(text, new DataType.DurationType(6), "PT-838H-59M-59S"))
                .isEqualTo(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59));
        assertThat(cast(text, COLOURS, "blue,red")).isEqualTo(List.of("red", "blue"));
        assertThat(cast(COLOURS, text, List.of("red", "blue"))).isEqualTo("red,blue");
        assertThat(cast(text, new DataType.BitType(4, false), "0101")).isEqualTo("0101");
        assertThatThrownBy(() -> cast(text, new DataType.BitType(4, false), "01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cast(text, new DataType.UInt64(), "-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void castsBetweenNumbersAndFromATimeOfDay() {
        assertThat(cast(new DataType.UInt64(), new DataType.DecimalType(20, 0), U64_MAX))
                .isEqualTo(new java.math.BigDecimal(U64_MAX));
        assertThat(cast(new DataType.Int32(), new DataType.YearType(), 2024))
                .isEqualTo((short) 2024);
        assertThat(cast(new DataType.TimeType(6), new DataType.DurationType(6), LocalTime.NOON))
                .isEqualTo(Duration.ofHours(12));
    }

    @Test
    void celSeesUnsignedAsUintSetsAsListsAndDurationsAsText() {
        assertThat(CelValues.celType(new DataType.UInt64(), false)).isEqualTo(SimpleType.UINT);
        assertThat(CelValues.celType(COLOURS, false)).isEqualTo(ListType.create(SimpleType.STRING));
        assertThat(CelValues.toCel(U64_MAX, new DataType.UInt64()))
                .isEqualTo(UnsignedLong.fromLongBits(-1L));
        assertThat(CelValues.fromCel(UnsignedLong.fromLongBits(-1L), new DataType.UInt64()))
                .isEqualTo(U64_MAX);
        assertThat(CelValues.toCel(Duration.ofHours(25), new DataType.DurationType(0)))
                .isEqualTo("PT25H");
        assertThat(CelValues.fromCel("PT25H", new DataType.DurationType(0)))
                .isEqualTo(Duration.ofHours(25));
        assertThat(CelValues.fromCel(List.of("blue", "red"), COLOURS))
                .isEqualTo(List.of("red", "blue"));
        assertThat(CelValues.toCel((short) 2024, new DataType.YearType())).isEqualTo(2024L);
    }
}
