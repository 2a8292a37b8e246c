import { describe, expect, it } from 'vitest';
import { emptyModel, errorFor, fromYaml, placeErrors, toYaml, type PipelineModel } from './spec';

const shop: PipelineModel = {
  name: 'shop-to-warehouse',
  mode: 'snapshot+cdc',
  source: { connection: 'shop', tables: ['public.orders', 'public.items_.*'], extra: {} },
  sink: { connection: 'warehouse', table: 'analytics.{table}', extra: {} },
  extra: {},
};

describe('the designer model and the YAML', () => {
  it('writes the spec in the order people read it', () => {
    expect(toYaml(shop)).toBe(
      'name: shop-to-warehouse\n' +
        'source:\n  connection: shop\n  tables:\n    - public.orders\n    - public.items_.*\n' +
        'sink:\n  connection: warehouse\n  table: analytics.{table}\n' +
        'mode: snapshot+cdc\n',
    );
  });

  it('reads back what it wrote', () => {
    expect(fromYaml(toYaml(shop)).model).toEqual(shop);
  });

  it('keeps the keys it does not draw through a round trip', () => {
    const text =
      'name: p\nsource:\n  connection: a\n  heartbeat-interval: 10s\nsink:\n  connection: b\n' +
      'mode: cdc\ntransforms:\n  - drop: { columns: [note] }\nrestart: { policy: on-failure }\n';
    const parsed = fromYaml(text).model!;
    expect(parsed.source.extra).toEqual({ 'heartbeat-interval': '10s' });
    expect(parsed.extra).toEqual({ transforms: [{ drop: { columns: ['note'] } }], restart: { policy: 'on-failure' } });
    const again = fromYaml(toYaml({ ...parsed, mode: 'snapshot' })).model!;
    expect(again.extra).toEqual(parsed.extra);
    expect(again.source.extra).toEqual({ 'heartbeat-interval': '10s' });
    expect(again.mode).toBe('snapshot');
  });

  it('reads a single table pattern written as a string', () => {
    expect(fromYaml('source: { connection: a, tables: public.x }').model!.source.tables).toEqual(['public.x']);
  });

  it('says on which line YAML does not parse', () => {
    const parsed = fromYaml('name: p\nsource:\n  connection: [a\n');
    expect(parsed.model).toBeUndefined();
    expect(parsed.error).toMatch(/^line \d+: /);
  });

  it('refuses a document that is not a mapping', () => {
    expect(fromYaml('- a\n- b\n').error).toContain('mapping');
  });

  it('starts a new pipeline as snapshot+cdc into the same names', () => {
    expect(toYaml(emptyModel())).toBe(
      'name: ""\nsource:\n  connection: ""\nsink:\n  connection: ""\n  table: "{schema}.{table}"\nmode: snapshot+cdc\n',
    );
  });
});

describe('field errors of the server', () => {
  const placed = placeErrors([
    { field: 'source.tables', message: 'no table matches' },
    { field: 'sink', message: 'sink: missing' },
    { field: 'mode', message: 'mode: not one of snapshot, cdc' },
    { message: 'something else' },
  ]);

  it('go to the node and field they name', () => {
    expect(placed).toEqual([
      { place: 'source', field: 'tables', message: 'no table matches' },
      { place: 'sink', field: 'connection', message: 'sink: missing' },
      { place: 'pipeline', field: 'mode', message: 'mode: not one of snapshot, cdc' },
      { place: 'pipeline', field: '', message: 'something else' },
    ]);
  });

  it('are found by place and field', () => {
    expect(errorFor(placed, 'source', 'tables')).toBe('no table matches');
    expect(errorFor(placed, 'sink', 'table')).toBeUndefined();
  });
});
