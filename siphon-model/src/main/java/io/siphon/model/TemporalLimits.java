package io.siphon.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How the special values of date and time types are carried, so that every connector agrees.
 *
 * <ul>
 *   <li>{@code infinity} / {@code -infinity} dates are {@link LocalDate#MAX} / {@link
 *       LocalDate#MIN}; timestamps {@link LocalDateTime#MAX} / {@link LocalDateTime#MIN}; instants
 *       {@link #TIMESTAMPTZ_POSITIVE_INFINITY} / {@link #TIMESTAMPTZ_NEGATIVE_INFINITY}.
 *   <li>The end-of-day time {@code 24:00:00} is {@link LocalTime#MAX}.
 *   <li>Zero dates (MySQL's {@code 0000-00-00}, {@code 0000-00-00 00:00:00}, and dates with a zero
 *       month or day such as {@code 2024-00-15}) are not dates and have no value here: a source
 *       that can read one applies the {@code zero-dates} option (the SPI's {@code
 *       StandardOptions.ZERO_DATES}), which either carries it as NULL (and then declares the column
 *       nullable, since a NOT NULL column may hold one) or stops with an error naming the table,
 *       column and key.
 * </ul>
 */
public final class TemporalLimits {

    /** {@code infinity} for an instant type. */
    public static final OffsetDateTime TIMESTAMPTZ_POSITIVE_INFINITY =
            LocalDateTime.MAX.atOffset(ZoneOffset.UTC);

    /** {@code -infinity} for an instant type. */
    public static final OffsetDateTime TIMESTAMPTZ_NEGATIVE_INFINITY =
            LocalDateTime.MIN.atOffset(ZoneOffset.UTC);

    private TemporalLimits() {}
}
