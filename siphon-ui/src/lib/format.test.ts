import { describe, expect, it } from 'vitest';
import { eta, eventTotal, formatBytes, formatCount, formatDuration, snapshotShare } from './format';
import { append, emptySeries } from './series';

const table = { chunksTotal: 4, chunksDone: 1, rowsEstimated: 1000, rowsWritten: 250, done: false };

describe('progress', () => {
  it('counts the snapshot by chunks', () => {
    expect(snapshotShare(table)).toBe(0.25);
    expect(snapshotShare({ ...table, done: true })).toBe(1);
    expect(snapshotShare({ ...table, chunksTotal: 0 })).toBe(0);
  });

  it('tells the time left at the rate so far', () => {
    expect(eta(table, 10_000)).toBe(30_000);
    expect(eta({ ...table, rowsWritten: 0 }, 10_000)).toBeNull();
    expect(eta({ ...table, done: true }, 10_000)).toBeNull();
    expect(eta({ ...table, rowsEstimated: 100 }, 10_000)).toBeNull();
  });

  it('adds up the change events of a table', () => {
    expect(eventTotal({ insert: 3, update: 2, delete: 1 })).toBe(6);
    expect(eventTotal(undefined)).toBe(0);
  });
});

describe('formatting', () => {
  it('writes counts, bytes and durations', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(-1)).toBe('unknown');
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3_725_000)).toBe('1h 2m');
  });
});

describe('live series', () => {
  it('keeps a window of the newest samples', () => {
    let s = emptySeries(3, 2);
    for (let i = 1; i <= 5; i++) s = append(s, i, [i * 10, i * 100]);
    expect(s.t).toEqual([3, 4, 5]);
    expect(s.values).toEqual([[30, 40, 50], [300, 400, 500]]);
  });
});
