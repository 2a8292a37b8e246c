package io.siphon.transforms.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.transforms.expr.RowExpression.Op;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every function docs/transforms.md lists, on one row, with its exact result. */
class DocumentedFunctionsTest {

    private static final TableSchema SCHEMA =
            new TableSchema(
                    TableId.of("public", "t"),
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            Column.of("name", DataType.StringType.unbounded()),
                            Column.of("price", new DataType.DecimalType(10, 2)),
                            Column.of("at", new DataType.TimestampTzType(6)),
                            Column.of(
                                    "tags",
                                    new DataType.ArrayType(DataType.StringType.unbounded())),
                            Column.of("missing", DataType.StringType.unbounded())),
                    List.of("id"));

    private static final Row ROW =
            Row.of(
                    7L,
                    " Ann Lee ",
                    new BigDecimal("2.70"),
                    OffsetDateTime.of(2026, 3, 29, 0, 30, 0, 0, ZoneOffset.UTC),
                    List.of("a", "b"),
                    null);

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "size(row.name) | 9",
                "row.name.contains('Lee') && row.name.startsWith(' A') && row.name.endsWith(' ') | true",
                "row.name.matches('^ [A-Z]') | true",
                "row.name.trim().lowerAscii() | ann lee",
                "row.name.trim().upperAscii().replace(' ', '_') | ANN_LEE",
                "row.name.trim().split(' ') | [Ann, Lee]",
                "row.name.substring(1, 4) + row.name.charAt(5) + string(row.name.indexOf('e'))"
                        + " | AnnL6",
                "row.tags.join('-') + 'abc'.reverse() | a-bcba",
                "int(row.price) | 2",
                "string(row.id) + string(double(row.id)) | 77.0",
                "math.round(row.price) + math.ceil(1.2) + math.floor(1.8) + math.trunc(-1.5) | 5.0",
                "math.abs(-3) + math.sign(-2) + math.greatest(1, 5, 3) + math.least(4, 2) | 9",
                "math.sqrt(16.0) | 4.0",
                "math.isNaN(0.0 / 0.0) && math.isInf(1.0 / 0.0) | true",
                "row.at.getFullYear() * 100 + row.at.getMonth('Europe/Paris') + 1 | 202603",
                "row.at.getHours('Europe/Paris') * 100 + row.at.getMinutes('+05:45') | 115",
                "row.at.getDayOfMonth() + row.at.getDayOfWeek() | 28",
                "string(to_local(row.at, 'Europe/Paris')) | 2026-03-29T01:30:00Z",
                "string(to_instant(timestamp('2026-07-01T08:30:00Z'), 'America/New_York'))"
                        + " | 2026-07-01T12:30:00Z",
                "sha256('abc') | ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "sha256(b'abc') == sha256('abc') | true",
                "coalesce(row.missing, 'none') + coalesce(row.name, 'x').trim() | noneAnn Lee",
                "base64.encode(b'hi') + string(base64.decode('aGk=')) | aGk=hi",
                "'b' in row.tags && row.tags.exists(t, t == 'a') && row.tags.all(t, size(t) == 1)"
                        + " | true",
                "row.tags.map(t, t + t).filter(t, t != 'aa') | [bb]",
                "op + ' ' + table | snapshot public.t",
                "duration('90m') + duration('1h') | PT2H30M",
            })
    void evaluates(String expression, String expected) {
        Object result =
                RowExpression.compile("test", expression, SCHEMA).evaluate(ROW, null, Op.SNAPSHOT);

        assertThat(String.valueOf(result)).isEqualTo(expected);
    }
}
