package io.siphon.connector.mysql.types;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * MySQL's text of a {@code TIME} value, a signed duration of up to 838:59:59: {@code
 * [-][[hhh:]mm:]ss[.ffffff]}, as the server prints it and as a DDL default may write it.
 */
public final class TimeText {

    private TimeText() {}

    /** The duration a {@code TIME} text stands for; null for null. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        boolean negative = text.startsWith("-");
        String[] parts = (negative ? text.substring(1) : text).split(":");
        BigDecimal seconds = new BigDecimal(parts[parts.length - 1]);
        long h = parts.length > 2 ? Long.parseLong(parts[0]) : 0;
        long m = parts.length > 1 ? Long.parseLong(parts[parts.length - 2]) : 0;
        Duration d =
                Duration.ofHours(h)
                        .plusMinutes(m)
                        .plusNanos(seconds.movePointRight(9).longValueExact());
        return negative ? d.negated() : d;
    }

    /** The {@code TIME} text of a signed duration, with microseconds: {@code -838:59:59.000000}. */
    public static String of(Duration d) {
        Duration abs = d.abs();
        return (d.isNegative() ? "-" : "")
                + abs.toHours()
                + String.format(
                        ":%02d:%02d.%06d",
                        abs.toMinutesPart(), abs.toSecondsPart(), abs.toNanosPart() / 1000);
    }
}
