package io.siphon.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnAndTypesTest {

    private static final DataType.SetType COLOURS =
            new DataType.SetType(List.of("red", "green", "blue"));

    @Test
    void aSetValueHoldsItsMembersOnceInDeclaredOrder() {
        assertThat(COLOURS.valueOf(List.of("blue", "red", "blue"))).containsExactly("red", "blue");
        assertThat(COLOURS.valueOf(Set.of())).isEmpty();
        assertThatThrownBy(() -> COLOURS.valueOf(List.of("pink")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pink");
    }

    @Test
    void aSetValueReadsMySqlsBitMask() {
        assertThat(COLOURS.valueOf(0b101L)).containsExactly("red", "blue");
        assertThat(COLOURS.valueOf(0L)).isEmpty();
        assertThatThrownBy(() -> COLOURS.valueOf(0b1000L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyAFullySensitiveNoPadCollationIsExact() {
        assertThat(new Collation("utf8mb4_0900_bin", true, true, false).exact()).isTrue();
        assertThat(new Collation("utf8mb4_bin", true, true, true).exact()).isFalse();
        assertThat(new Collation("utf8mb4_0900_ai_ci", false, false, false).exact()).isFalse();
    }

    @Test
    void withersKeepEveryOtherAttribute() {
        Column c =
                new Column("code", new DataType.StringType(10, false), false, "varchar(10)")
                        .withDefault(new ColumnDefault.Literal("x"))
                        .withAutoIncrement(true)
                        .withCollation(new Collation("utf8mb4_general_ci", false, false, true));
        Column renamed = c.withName("code2");
        assertThat(renamed.defaultValue()).isEqualTo(new ColumnDefault.Literal("x"));
        assertThat(renamed.autoIncrement()).isTrue();
        assertThat(renamed.collation().name()).isEqualTo("utf8mb4_general_ci");
        assertThat(renamed.nativeType()).isEqualTo("varchar(10)");
        assertThat(renamed.withName("code")).isEqualTo(c);
        assertThat(Column.of("n", new DataType.Int32()).defaultValue()).isNull();
    }

    @Test
    void columnsSurviveJavaSerializationAsTheSchemaHistoryStoresThem() throws Exception {
        Column c =
                Column.of("tags", COLOURS)
                        .withDefault(new ColumnDefault.Expression("CURRENT_TIMESTAMP"))
                        .withCollation(new Collation("latin1_swedish_ci", false, false, true));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(c);
        }
    }
}
