package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.DataType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary wire format, byte for byte as PostgreSQL sends it. */
class BinaryDecodersTest {

    /** numeric: ndigits, weight, sign, dscale, then base-10000 digits. */
    private static Object numeric(int weight, int sign, int dscale, int... digits) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * digits.length);
        b.putShort((short) digits.length).putShort((short) weight);
        b.putShort((short) sign).putShort((short) dscale);
        for (int d : digits) {
            b.putShort((short) d);
        }
        return BinaryDecoders.numeric(b.array(), 0, b.capacity());
    }

    @Test
    void decodesNumericsOfEveryShape() {
        assertThat(numeric(0, 0, 1, 1, 5000)).isEqualTo(new BigDecimal("1.5"));
        assertThat(numeric(1, 0, 0, 1)).isEqualTo(new BigDecimal("10000"));
        assertThat(numeric(-1, 0x4000, 4, 1)).isEqualTo(new BigDecimal("-0.0001"));
        assertThat(numeric(0, 0, 3)).isEqualTo(new BigDecimal("0.000"));
        assertThat(numeric(4, 0, 2, 1, 2, 3, 4, 5, 600))
                .isEqualTo(new BigDecimal("10002000300040005.06"));
        assertThat(numeric(0, 0xC000, 0)).isEqualTo(Double.NaN);
        assertThat(numeric(0, 0xD000, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(numeric(0, 0xF000, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void decodesArraysWithNullsAndDimensions() {
        // int4[2][2] = {{1,NULL},{3,4}}
        ByteBuffer b = ByteBuffer.allocate(12 + 16 + 4 * 8 - 4);
        b.putInt(2).putInt(1).putInt(23);
        b.putInt(2).putInt(1).putInt(2).putInt(1);
        b.putInt(4).putInt(1).putInt(-1).putInt(4).putInt(3).putInt(4).putInt(4);
        Object value =
                BinaryDecoders.forType(new DataType.ArrayType(new DataType.Int32()))
                        .decode(b.array(), 0, b.capacity());
        assertThat(value).isEqualTo(List.of(Arrays.asList(1, null), List.of(3, 4)));
    }

    @Test
    void selectsTypesWithoutABinaryDecoderAsText() {
        assertThat(BinaryDecoders.selectExpression("\"c\"", new DataType.OtherType("inet")))
                .isEqualTo("\"c\"::text");
        assertThat(
                        BinaryDecoders.selectExpression(
                                "\"c\"", new DataType.ArrayType(new DataType.OtherType("box"))))
                .isEqualTo("\"c\"::text[]");
        assertThat(BinaryDecoders.selectExpression("\"c\"", new DataType.JsonType(false)))
                .isEqualTo("to_json(\"c\")::text");
        assertThat(BinaryDecoders.selectExpression("\"c\"", new DataType.DecimalType(10, 2)))
                .isEqualTo("\"c\"::numeric");
        assertThat(BinaryDecoders.selectExpression("\"c\"", new DataType.Int32()))
                .isEqualTo("\"c\"");
    }
}
