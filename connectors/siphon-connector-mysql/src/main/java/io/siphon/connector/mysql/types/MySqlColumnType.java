package io.siphon.connector.mysql.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A native column type as {@code information_schema.COLUMNS} describes it.
 *
 * @param dataType the type's name ({@code DATA_TYPE}: {@code int}, {@code varchar}, ...), lower
 *     case
 * @param columnType the full declaration ({@code COLUMN_TYPE}: {@code int(10) unsigned}, {@code
 *     enum('a','b')}), lower case except for enum and set labels
 * @param json whether MariaDB declares the column {@code JSON}, which it stores as {@code longtext}
 *     with a {@code json_valid} check (MySQL reports {@code json} itself)
 */
public record MySqlColumnType(String dataType, String columnType, boolean json) {

    /** Normalises the names. */
    public MySqlColumnType {
        dataType = Objects.requireNonNull(dataType, "dataType").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(columnType, "columnType");
    }

    /** A type without the JSON mark. */
    public static MySqlColumnType of(String dataType, String columnType) {
        return new MySqlColumnType(dataType, columnType, false);
    }

    /** Whether the declaration says {@code unsigned}. */
    public boolean unsigned() {
        return columnType.toLowerCase(Locale.ROOT).contains(" unsigned");
    }

    /**
     * The numbers in the parentheses after the name: {@code decimal(12,4)} has two, {@code
     * varchar(20)} one, {@code text} none. Not for enums and sets.
     */
    public List<Integer> arguments() {
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')', open + 1);
        List<Integer> out = new ArrayList<>();
        if (open < 0 || close < 0) {
            return out;
        }
        for (String part : columnType.substring(open + 1, close).split(",")) {
            out.add(Integer.parseInt(part.strip()));
        }
        return out;
    }

    /** The first number in parentheses, or {@code otherwise}. */
    public int argument(int otherwise) {
        List<Integer> args = arguments();
        return args.isEmpty() ? otherwise : args.get(0);
    }

    /** The labels of an {@code enum(...)} or {@code set(...)}, quotes removed. */
    public List<String> labels() {
        List<String> labels = new ArrayList<>();
        int i = columnType.indexOf('(') + 1;
        StringBuilder label = new StringBuilder();
        boolean quoted = false;
        for (; i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (quoted) {
                if (c == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i++;
                } else if (c == '\\' && i + 1 < columnType.length()) {
                    label.append(columnType.charAt(++i));
                } else if (c == '\'') {
                    quoted = false;
                    labels.add(label.toString());
                    label.setLength(0);
                } else {
                    label.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
            } else if (c == ')') {
                break;
            }
        }
        return labels;
    }
}
