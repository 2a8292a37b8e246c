// A fixed-size window of samples for the live charts: one point per status update, the oldest
// dropped, so a page left open for hours holds the same memory as after a minute.

export interface Series {
  readonly capacity: number;
  readonly t: number[];
  readonly values: number[][];
}

export function emptySeries(capacity: number, lines: number): Series {
  return { capacity, t: [], values: Array.from({ length: lines }, () => []) };
}

/** A new series with the sample appended (and the oldest dropped when full). */
export function append(series: Series, t: number, sample: number[]): Series {
  const drop = series.t.length >= series.capacity ? 1 : 0;
  return {
    capacity: series.capacity,
    t: [...series.t.slice(drop), t],
    values: series.values.map((line, i) => [...line.slice(drop), sample[i] ?? 0]),
  };
}
