package io.siphon.model;

import java.io.Serializable;

/**
 * A calendar interval kept as its three independent parts, the way SQL databases store them: a
 * month is not a fixed number of days and a day is not always 24 hours, so the parts are never
 * folded into each other.
 *
 * @param months whole months (years are 12 months)
 * @param days whole days
 * @param micros the time part in microseconds
 */
public record Interval(int months, int days, long micros) implements Serializable {

    /** The zero interval. */
    public static final Interval ZERO = new Interval(0, 0, 0);
}
