package io.siphon.connector.mysql.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.mysql.ServerFlavor;
import io.siphon.connector.support.jdbc.ColumnRole;
import io.siphon.model.DataType;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlTypeMapperTest {

    private final MySqlTypeMapper mariadb = new MySqlTypeMapper(ServerFlavor.MARIADB, 255, false);
    private final MySqlTypeMapper mysql = new MySqlTypeMapper(ServerFlavor.MYSQL, 100, true);

    @Test
    void unboundedTextKeyBecomesVarcharOfTheKeyLengthWithABinaryNoPadCollation() {
        assertThat(write(mariadb, DataType.StringType.unbounded(), ColumnRole.KEY))
                .isEqualTo("varchar(255) character set utf8mb4 collate utf8mb4_nopad_bin");
        assertThat(write(mysql, DataType.StringType.unbounded(), ColumnRole.KEY))
                .isEqualTo("varchar(100) character set utf8mb4 collate utf8mb4_0900_bin");
        assertThat(write(mariadb, DataType.StringType.unbounded(), ColumnRole.VALUE))
                .isEqualTo("longtext character set utf8mb4 collate utf8mb4_nopad_bin");
        assertThat(write(mariadb, new DataType.BinaryType(DataType.UNBOUNDED), ColumnRole.KEY))
                .isEqualTo("varbinary(255)");
    }

    @Test
    void instantsAreUtcDatetimesAndWallClocksDatetimes() {
        assertThat(write(mariadb, new DataType.TimestampTzType(3), ColumnRole.VALUE))
                .isEqualTo("datetime(3)");
        assertThat(write(mysql, new DataType.TimestampTzType(3), ColumnRole.VALUE))
                .isEqualTo("timestamp(3)");
        assertThat(write(mariadb, new DataType.TimestampType(DataType.UNBOUNDED), ColumnRole.VALUE))
                .isEqualTo("datetime(6)");
        assertThat(write(mariadb, new DataType.TimeType(9), ColumnRole.VALUE)).isEqualTo("time(6)");
    }

    @Test
    void uuidIsTextOnBothSinceMariaDbsUuidRefusesSomeValues() {
        assertThat(write(mariadb, new DataType.UuidType(), ColumnRole.KEY))
                .isEqualTo("char(36) character set ascii collate ascii_bin");
        assertThat(write(mysql, new DataType.UuidType(), ColumnRole.KEY))
                .isEqualTo("char(36) character set ascii collate ascii_bin");
    }

    @Test
    void refusesWhatMySqlCannotHoldOrIndex() {
        assertRefused(() -> write(mariadb, new DataType.DecimalType(80, 2), ColumnRole.VALUE));
        assertRefused(() -> write(mariadb, new DataType.JsonType(true), ColumnRole.KEY));
        assertRefused(() -> write(mariadb, new DataType.StringType(1000, false), ColumnRole.KEY));
        assertRefused(
                () -> write(mariadb, new DataType.ArrayType(new DataType.Int32()), ColumnRole.KEY));
        assertThatThrownBy(() -> new MySqlTypeMapper(ServerFlavor.MARIADB, 769, true))
                .hasMessageContaining("'key-text-length'");
    }

    @Test
    void readsUnsignedIntegersIntoTypesThatHoldTheirWholeRange() {
        assertThat(read("bigint", "bigint(20) unsigned")).isEqualTo(new DataType.UInt64());
        assertThat(read("year", "year(4)")).isEqualTo(new DataType.YearType());
        assertThat(read("time", "time(2)")).isEqualTo(new DataType.DurationType(2));
        assertThat(read("bit", "bit(5)")).isEqualTo(new DataType.BitType(5, false));
        assertThat(read("set", "set('x','y')")).isEqualTo(new DataType.SetType(List.of("x", "y")));
        assertThat(read("int", "int(10) unsigned")).isEqualTo(new DataType.Int64());
        assertThat(read("smallint", "smallint(5) unsigned")).isEqualTo(new DataType.Int32());
        assertThat(read("tinyint", "tinyint(1)")).isEqualTo(new DataType.BooleanType());
        assertThat(read("enum", "enum('a','b''c','d\\\\e')"))
                .isEqualTo(
                        new DataType.EnumType(
                                "enum('a','b''c','d\\\\e')", List.of("a", "b'c", "d\\e")));
    }

    private static String write(MySqlTypeMapper m, DataType type, ColumnRole role) {
        return m.toWriteMapping(type, role).nativeType();
    }

    private DataType read(String dataType, String columnType) {
        return mariadb.toColumnMapping(MySqlColumnType.of(dataType, columnType)).type();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        SiphonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TYPE_UNSUPPORTED));
    }
}
