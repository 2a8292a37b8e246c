package io.siphon.cli;

import static io.siphon.cli.CliOutcome.siphon;
import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.testkit.pg.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siphon validate} with the sink's column-types: each override shown with the type it
 * replaces, a narrowing one warned about, a misspelt table or column refused with the nearest name.
 */
class ColumnTypesValidateIT {

    @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

    @TempDir Path dir;

    private Path spec(String columnTypes) throws Exception {
        String source = PG.server().createDatabase("coltypes_src");
        PG.server()
                .execute(
                        source,
                        "CREATE TABLE public.orders (id int PRIMARY KEY, note text,"
                                + " total numeric(10,2))");
        return Files.writeString(
                dir.resolve("pipeline.yaml"),
                """
                name: validate-column-types
                source:
                  type: postgres
                  url: %s
                  user: postgres
                  tables: [public.orders]
                sink:
                  type: postgres
                  url: %s
                  user: postgres
                  table: "dw.{table}"
                  column-types:
                %s
                """
                        .formatted(
                                PG.server().jdbcUrl(source),
                                PG.server().jdbcUrl(PG.server().createDatabase("coltypes_dst")),
                                columnTypes.indent(4).stripTrailing()));
    }

    private CliOutcome validate(Path spec) {
        return siphon("validate", spec.toString(), "--state-dir", dir.resolve("s").toString());
    }

    @Test
    void showsEachOverrideAndWarnsOfOneThatMayNotHoldEveryValue() throws Exception {
        CliOutcome validate =
                validate(
                        spec(
                                """
                                dw.orders.note: varchar(200)
                                dw.orders.total: numeric(20,4)"""));

        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out())
                .startsWith(
                        """
                        OK: 1 table
                          public.orders -> dw.orders
                              column-types: note varchar(200) instead of string, \
                        total numeric(20,4) instead of decimal(10,2)
                        warning: Column note of target table dw.orders gets type varchar(200)\
                         (sink.column-types), which may not hold every value of the source's text\
                        """);
        assertThat(validate.out()).doesNotContain("Column total");

        CliOutcome json =
                siphon(
                        "validate",
                        dir.resolve("pipeline.yaml").toString(),
                        "--state-dir",
                        dir.resolve("s").toString(),
                        "--json");
        assertThat(json.out())
                .contains(
                        "\"column-types\":{\"note\":\"varchar(200)\",\"total\":\"numeric(20,4)\"}");
    }

    @Test
    void aMisspeltTableOrColumnIsRefusedWithTheNearestName() throws Exception {
        CliOutcome validate =
                validate(
                        spec(
                                """
                                dw.ordrs.note: text
                                dw.orders.totl: numeric(20,4)"""));

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.err())
                .contains("sink.column-types names table dw.ordrs")
                .contains("did you mean dw.orders?")
                .contains("sink.column-types names column totl of target table dw.orders")
                .contains("did you mean total?");
    }

    @Test
    void aKeyThatIsNotATargetColumnIsASpecErrorWithItsLine() throws Exception {
        CliOutcome validate = validate(spec("orders.note: text"));

        assertThat(validate.exitCode()).as(validate.toString()).isNotZero();
        assertThat(validate.err()).contains("pipeline.yaml:").contains("schema.table.column");
    }
}
