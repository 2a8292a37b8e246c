package io.siphon.connector.postgres.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.connector.support.jdbc.ColumnMapping;
import io.siphon.connector.support.jdbc.ColumnRole;
import io.siphon.connector.support.jdbc.TypeMapper;
import io.siphon.connector.support.jdbc.WriteMapping;
import io.siphon.model.DataType;
import java.util.List;
import java.util.Map;
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
    void createsColumnsThatHoldEveryValueOfTypesFromOtherSystems() {
        assertThat(PgTypeMapping.toPostgresType(new DataType.UInt64())).isEqualTo("numeric(20,0)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.DurationType(6)))
                .isEqualTo("interval(6)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.DurationType(-1)))
                .isEqualTo("interval");
        assertThat(PgTypeMapping.toPostgresType(new DataType.YearType())).isEqualTo("smallint");
        assertThat(PgTypeMapping.toPostgresType(new DataType.BitType(10, false)))
                .isEqualTo("bit(10)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.BitType(64, true)))
                .isEqualTo("bit varying(64)");
        assertThat(PgTypeMapping.toPostgresType(new DataType.BitType(-1, true)))
                .isEqualTo("bit varying");
        assertThat(PgTypeMapping.toPostgresType(new DataType.SetType(List.of("a", "b"))))
                .isEqualTo("text[]");
    }

    @Test
    void readsBitStringsAsBitTypes() {
        PgType bit = new PgType(1560, "pg_catalog", "bit", 'b', 'V', 0, 0, -1, List.of());
        PgType varbit = new PgType(1562, "pg_catalog", "varbit", 'b', 'V', 0, 0, -1, List.of());
        assertThat(PgTypeMapping.toDataType(bit, 8, Map.of()))
                .isEqualTo(new DataType.BitType(8, false));
        assertThat(PgTypeMapping.toDataType(varbit, 16, Map.of()))
                .isEqualTo(new DataType.BitType(16, true));
        assertThat(PgTypeMapping.toDataType(varbit, -1, Map.of()))
                .isEqualTo(new DataType.BitType(-1, true));
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
        assertThat(PgTypeMapping.toDataType(numeric, ((12 << 16) | 4) + 4, Map.of()))
                .isEqualTo(new DataType.DecimalType(12, 4));
        assertThat(PgTypeMapping.toDataType(numeric, ((5 << 16) | (-2 & 0x7ff)) + 4, Map.of()))
                .isEqualTo(new DataType.DecimalType(5, -2));
        assertThat(PgTypeMapping.toDataType(numeric, -1, Map.of()))
                .isEqualTo(new DataType.DecimalType(-1, -1));
    }

    @Test
    void treatsVectorTypesAsScalars() {
        PgType int2vector =
                new PgType(22, "pg_catalog", "int2vector", 'b', 'A', 21, 0, -1, List.of());
        assertThat(PgTypeMapping.toDataType(int2vector, -1, Map.of()))
                .isEqualTo(new DataType.OtherType("int2vector"));
    }

    @Test
    void readsAndWritesThroughTheFamilyMapper() {
        PgType varchar = new PgType(1043, "pg_catalog", "varchar", 'b', 'S', 0, 0, -1, List.of());
        TypeMapper<PgTypeMapping.NativeColumn> mapper = PgTypeMapping.INSTANCE;
        assertThat(mapper.family()).isEqualTo("postgres");
        assertThat(
                        mapper.toColumnMapping(
                                new PgTypeMapping.NativeColumn(varchar, 20 + 4, Map.of())))
                .isEqualTo(new ColumnMapping(new DataType.StringType(20, false), "varchar"));
    }

    @Test
    void keysAnUnboundedStringAsTextLikeAnyOtherColumn() {
        DataType text = DataType.StringType.unbounded();
        assertThat(PgTypeMapping.INSTANCE.toWriteMapping(text, ColumnRole.KEY))
                .isEqualTo(new WriteMapping("text"))
                .isEqualTo(PgTypeMapping.INSTANCE.toWriteMapping(text, ColumnRole.VALUE));
    }
}
