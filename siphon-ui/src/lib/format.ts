// Numbers, durations and progress as the pages show them.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatCount = (n: number) => integer.format(n);

export function formatBytes(n: number): string {
  if (n < 0) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export interface TableProgressLike {
  chunksTotal: number;
  chunksDone: number;
  rowsEstimated: number;
  rowsWritten: number;
  done: boolean;
}

/** A table's snapshot progress, 0 to 1: by chunks, which the engine counts exactly. */
export function snapshotShare(t: TableProgressLike): number {
  if (t.done) return 1;
  if (t.chunksTotal <= 0) return 0;
  return Math.min(1, t.chunksDone / t.chunksTotal);
}

/**
 * The time left to copy a table at the rate seen so far, in ms; null when it cannot be told (no
 * estimate, nothing written yet, or done).
 */
export function eta(t: TableProgressLike, elapsedMs: number): number | null {
  if (t.done || t.rowsWritten <= 0 || t.rowsEstimated <= t.rowsWritten || elapsedMs <= 0) return null;
  const rate = t.rowsWritten / elapsedMs;
  return (t.rowsEstimated - t.rowsWritten) / rate;
}

/** Sum of the change events of a table (insert, update, delete, truncate, schema). */
export const eventTotal = (events: Record<string, number> | undefined) =>
  Object.values(events ?? {}).reduce((a, b) => a + b, 0);
