package io.siphon.connector.support.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.DataType;
import org.junit.jupiter.api.Test;

/** Which type changes keep every value, so the sink follows them at the target. */
class TypeWideningTest {

    private static final int UNBOUNDED = DataType.UNBOUNDED;

    private static boolean widens(DataType from, DataType to) {
        return TypeWidening.widens(from, to);
    }

    @Test
    void integersWidenUpwards() {
        assertThat(widens(new DataType.Int16(), new DataType.Int32())).isTrue();
        assertThat(widens(new DataType.Int16(), new DataType.Int64())).isTrue();
        assertThat(widens(new DataType.Int32(), new DataType.Int64())).isTrue();
        assertThat(widens(new DataType.Int64(), new DataType.Int32())).isFalse();
        assertThat(widens(new DataType.Int32(), new DataType.Float64())).isFalse();
    }

    @Test
    void bitStringsDurationsAndSetsWidenWhereEveryValueStays() {
        assertThat(widens(new DataType.BitType(8, false), new DataType.BitType(8, true))).isTrue();
        assertThat(widens(new DataType.BitType(8, true), new DataType.BitType(UNBOUNDED, true)))
                .isTrue();
        assertThat(widens(new DataType.BitType(8, false), new DataType.BitType(16, false)))
                .isFalse();
        assertThat(widens(new DataType.DurationType(0), new DataType.DurationType(6))).isTrue();
        assertThat(widens(new DataType.DurationType(6), new DataType.DurationType(3))).isFalse();
        DataType.SetType ab = new DataType.SetType(java.util.List.of("a", "b"));
        assertThat(widens(ab, new DataType.SetType(java.util.List.of("a", "b", "c")))).isTrue();
        assertThat(widens(ab, new DataType.SetType(java.util.List.of("b", "a", "c")))).isFalse();
        assertThat(widens(new DataType.UInt64(), new DataType.Int64())).isFalse();
        assertThat(widens(new DataType.YearType(), new DataType.Int16())).isFalse();
    }

    @Test
    void floatWidensToDouble() {
        assertThat(widens(new DataType.Float32(), new DataType.Float64())).isTrue();
        assertThat(widens(new DataType.Float64(), new DataType.Float32())).isFalse();
    }

    @Test
    void numericsWidenWhenBothSidesOfThePointKeepTheirDigits() {
        DataType.DecimalType tenTwo = new DataType.DecimalType(10, 2);
        assertThat(widens(tenTwo, new DataType.DecimalType(12, 2))).isTrue();
        assertThat(widens(tenTwo, new DataType.DecimalType(12, 4))).isTrue();
        assertThat(widens(tenTwo, new DataType.DecimalType(UNBOUNDED, UNBOUNDED))).isTrue();
        assertThat(widens(tenTwo, new DataType.DecimalType(10, 4))).isFalse();
        assertThat(widens(tenTwo, new DataType.DecimalType(12, 1))).isFalse();
        assertThat(widens(new DataType.DecimalType(UNBOUNDED, UNBOUNDED), tenTwo)).isFalse();
    }

    @Test
    void stringsWidenToLongerOfTheSameKind() {
        DataType.StringType varchar10 = new DataType.StringType(10, false);
        assertThat(widens(varchar10, new DataType.StringType(50, false))).isTrue();
        assertThat(widens(varchar10, DataType.StringType.unbounded())).isTrue();
        assertThat(widens(varchar10, new DataType.StringType(5, false))).isFalse();
        assertThat(widens(DataType.StringType.unbounded(), varchar10)).isFalse();
        assertThat(widens(new DataType.StringType(5, true), new DataType.StringType(10, false)))
                .as("char(n) to varchar drops the padding")
                .isFalse();
        assertThat(widens(new DataType.StringType(5, true), new DataType.StringType(10, true)))
                .isTrue();
    }

    @Test
    void timestampsWidenToMorePrecision() {
        assertThat(widens(new DataType.TimestampType(3), new DataType.TimestampType(6))).isTrue();
        assertThat(widens(new DataType.TimestampType(3), new DataType.TimestampType(UNBOUNDED)))
                .isTrue();
        assertThat(widens(new DataType.TimestampType(UNBOUNDED), new DataType.TimestampType(3)))
                .isFalse();
        assertThat(widens(new DataType.TimestampTzType(0), new DataType.TimestampTzType(3)))
                .isTrue();
        assertThat(widens(new DataType.TimestampType(3), new DataType.TimestampTzType(6)))
                .as("wall clock to instant depends on a time zone")
                .isFalse();
        assertThat(widens(new DataType.TimeType(0), new DataType.TimeType(6))).isTrue();
    }

    @Test
    void arraysWidenByTheirElements() {
        assertThat(
                        widens(
                                new DataType.ArrayType(new DataType.Int32()),
                                new DataType.ArrayType(new DataType.Int64())))
                .isTrue();
        assertThat(
                        widens(
                                new DataType.ArrayType(new DataType.Int64()),
                                new DataType.ArrayType(new DataType.Int32())))
                .isFalse();
    }

    @Test
    void otherChangesAreNotWidenings() {
        assertThat(widens(new DataType.JsonType(false), new DataType.JsonType(true))).isFalse();
        assertThat(widens(DataType.StringType.unbounded(), new DataType.Int32())).isFalse();
        assertThat(widens(new DataType.DateType(), new DataType.TimestampType(6))).isFalse();
    }
}
