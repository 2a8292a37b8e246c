package io.siphon.cli.terminal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of text in aligned columns, for summaries: the first column left-aligned, the others
 * right-aligned (they hold numbers), a rule under the header and above an optional footer row. A
 * table of {@link #ofText text columns} aligns every column left, for lists of names.
 */
public final class TextTable {

    private final String[] header;
    private final boolean numbers;
    private final List<String[]> rows = new ArrayList<>();
    private String[] footer;

    /** A table with these column headings, numbers in all columns but the first. */
    public TextTable(String... header) {
        this(true, header);
    }

    private TextTable(boolean numbers, String... header) {
        this.header = header.clone();
        this.numbers = numbers;
    }

    /** A table with these column headings, text in every column. */
    public static TextTable ofText(String... header) {
        return new TextTable(false, header);
    }

    /** Adds a row; it must have one cell per column. */
    public TextTable row(String... cells) {
        rows.add(checked(cells));
        return this;
    }

    /** Sets the footer row (a total), shown under a rule. */
    public TextTable footer(String... cells) {
        footer = checked(cells);
        return this;
    }

    /** The lines of the table, without line ends. */
    public List<String> lines() {
        int[] widths = new int[header.length];
        List<String[]> all = new ArrayList<>(rows);
        all.add(header);
        if (footer != null) {
            all.add(footer);
        }
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        String rule = "-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1));
        List<String> lines = new ArrayList<>();
        lines.add(format(header, widths));
        lines.add(rule);
        rows.forEach(r -> lines.add(format(r, widths)));
        if (footer != null) {
            lines.add(rule);
            lines.add(format(footer, widths));
        }
        return lines;
    }

    private String[] checked(String[] cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException(
                    "a row needs " + header.length + " cells, got " + cells.length);
        }
        return cells.clone();
    }

    private String format(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(widths[i] - cells[i].codePointCount(0, cells[i].length()));
            if (i > 0 && numbers) {
                line.append("  ").append(pad).append(cells[i]);
            } else if (i > 0) {
                line.append("  ").append(cells[i]).append(pad);
            } else {
                line.append(cells[i]).append(pad);
            }
        }
        return line.toString().stripTrailing();
    }
}
