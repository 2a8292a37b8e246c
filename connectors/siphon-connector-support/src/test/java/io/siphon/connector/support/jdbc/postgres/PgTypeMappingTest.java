package io.siphon.connector.support.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portable-to-PostgreSQL direction, used for sources of another kind. */
class PgTypeMappingTest {

    @Test
    void createsTheClosestBuiltInType() {
        assertThat(PgTypeMapping.toPostgresType(new DataType.DecimalType(12, 4)))
                .isEqualTo("numeric(12,4)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.DecimalType(-1, -1)))
                .isEqualTo("numeric");
        assertThat(PgTypeMapping.toPostgresType(new DataType.StringType(20, true)))
                .isEqualTo("character(20)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.StringType(20, false)))
                .isEqualTo("character varying(20)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.StringType(100_000_000, false)))
                .isEqualTo("text");
        assertThat(PgTypeMapping.toPostgresType(new DataType.TimestampTzType(9)))
                .isEqualTo("timestamp(6) with time zone");
        assertThat(PgTypeMapping.toPostgresType(new DataType.TimeType(-1)))
                .isEqualTo("time without time zone");
        assertThat(PgTypeMapping.toPostgresType(new DataType.JsonType(true))).isEqualTo("jsonb");
        assertThat(PgTypeMapping.toPostgresType(new DataType.ArrayType(new DataType.Int64())))
                .isEqualTo("bigint[]");
    }

    @Test
    void carriesTypesWithoutAPortableTwinAsText() {
        assertThat(PgTypeMapping.toPostgresType(new DataType.OtherType("geography")))
                .isEqualTo("text");
        assertThat(PgTypeMapping.toPostgresType(new DataType.EnumType(null, List.of("a"))))
                .isEqualTo("text");
        assertThat(PgTypeMapping.toPostgresType(new DataType.GeometryType("geometry")))
                .isEqualTo("text");
    }

    @Test
    void readsNumericModifiersIncludingNegativeScales() {
        PgType numeric = new PgType(1700, "pg_catalog", "numeric", 'b', 'N', 0, 0, -1, List.of());
        assertThat(PgTypeMapping.toDataType(numeric, ((12 << 16) | 4) + 4, java.util.Map.of()))
                .isEqualTo(new DataType.DecimalType(12, 4));
        assertThat(
                        PgTypeMapping.toDataType(
                                numeric, ((5 << 16) | (-2 & 0x7ff)) + 4, java.util.Map.of()))
                .isEqualTo(new DataType.DecimalType(5, -2));
        assertThat(PgTypeMapping.toDataType(numeric, -1, java.util.Map.of()))
                .isEqualTo(new DataType.DecimalType(-1, -1));
    }

    @Test
    void treatsVectorTypesAsScalars() {
        PgType int2vector =
                new PgType(22, "pg_catalog", "int2vector", 'b', 'A', 21, 0, -1, List.of());
        assertThat(PgTypeMapping.toDataType(int2vector, -1, java.util.Map.of()))
                .isEqualTo(new DataType.OtherType("int2vector"));
    }
}
