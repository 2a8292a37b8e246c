package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TablePattern;
import io.siphon.spi.transform.TransformOptions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables an operator acts on ({@link TransformOptions#TABLES}) and the column checks every
 * operator shares at bind time.
 *
 * @param patterns the patterns; empty for every table
 */
record TableSelection(List<TablePattern> patterns) {

    static TableSelection of(Config config) {
        return new TableSelection(TransformOptions.tables(config));
    }

    boolean matches(TableId table) {
        return TransformOptions.tablesMatch(patterns, table);
    }

    /**
     * The position of a column an option names.
     *
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} naming the option and the column,
     *     with the nearest existing name and every column of the table
     */
    static int require(TableSchema schema, String column, String option) {
        int i = schema.indexOf(column);
        if (i < 0) {
            throw new SiphonException(ErrorCode.TRANSFORM_INVALID, missing(schema, column, option));
        }
        return i;
    }

    static String missing(TableSchema schema, String column, String option) {
        String hint =
                NameSuggester.nearest(column, schema.columnNames())
                        .map(n -> " (did you mean '" + n + "'?)")
                        .orElse("");
        return "'"
                + option
                + "' names column '"
                + column
                + "', which "
                + schema.id()
                + " does not have"
                + hint
                + "; its columns are: "
                + schema.columns().stream().map(Column::name).collect(Collectors.joining(", "));
    }

    static SiphonException invalid(String message) {
        return new SiphonException(ErrorCode.TRANSFORM_INVALID, message);
    }
}
