import { describe, expect, it } from 'vitest';
import { chain, emptyModel, errorFor, fromYaml, normalize, placeErrors, toYaml, type GraphNode, type PipelineModel } from './spec';

const node = (id: string, kind: GraphNode['kind'], options: Record<string, unknown> = {}): GraphNode => ({ id, kind, options, extra: {} });
const edge = (from: string, to: string) => ({ from, to, extra: {} });

const shop: PipelineModel = {
  name: 'shop-to-warehouse',
  mode: 'snapshot+cdc',
  nodes: [
    node('source', 'source', { connection: 'shop', tables: ['public.orders', 'public.items_.*'] }),
    node('sink', 'sink', { connection: 'warehouse', table: 'analytics.{table}' }),
  ],
  edges: [edge('source', 'sink')],
  form: 'linear',
  extra: {},
  order: [],
};

const LINEAR =
  'name: p\n' +
  'source:\n  connection: shop\n  heartbeat-interval: 10s\n' +
  'transforms:\n  - filter:\n      where: row.status != \'test\'\n  - mask:\n      columns:\n        - email\n      with: sha256\n' +
  'sink:\n  connection: warehouse\n' +
  'mode: cdc\n' +
  'restart:\n  policy: on-failure\n';

const GRAPH =
  'name: orders-everywhere\n' +
  'mode: snapshot+cdc\n' +
  'nodes:\n' +
  '  - id: eu\n    source:\n      connection: shop-eu\n      tables:\n        - public.orders\n' +
  '  - id: us\n    source:\n      connection: shop-us\n' +
  '  - id: merged\n    union:\n      source-column: region\n' +
  '  - id: warehouse\n    sink:\n      connection: warehouse-db\n' +
  '  - id: paid\n    filter:\n      where: row.status == \'paid\'\n' +
  '  - id: lake\n    sink:\n      connection: lake\n      batch-size: 500\n' +
  'edges:\n' +
  '  - from: eu\n    to: merged\n  - from: us\n    to: merged\n  - from: merged\n    to: warehouse\n' +
  '  - from: eu\n    to: paid\n  - from: paid\n    to: lake\n' +
  'restart:\n  policy: on-failure\n' +
  'x-owner: data-team\n';

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
    expect(fromYaml(toYaml(shop)).model).toEqual({ ...shop, order: ['name', 'source', 'sink', 'mode'] });
  });

  it('draws a linear spec as a chain, step ids as the server names them, and writes it back exactly', () => {
    const model = fromYaml(LINEAR).model!;
    expect(model.form).toBe('linear');
    expect(model.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['source:source', '#1:filter', '#2:mask', 'sink:sink']);
    expect(model.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['source>#1', '#1>#2', '#2>sink']);
    expect(model.nodes[0].options).toEqual({ connection: 'shop', 'heartbeat-interval': '10s' });
    expect(model.extra).toEqual({ restart: { policy: 'on-failure' } });
    expect(toYaml(model)).toBe(LINEAR);
  });

  it('draws a graph spec as written and writes it back exactly, unknown keys included', () => {
    const model = fromYaml(GRAPH).model!;
    expect(model.form).toBe('graph');
    expect(model.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['eu:source', 'us:source', 'merged:union', 'warehouse:sink', 'paid:filter', 'lake:sink']);
    expect(model.nodes[5].options).toEqual({ connection: 'lake', 'batch-size': 500 });
    expect(model.extra).toEqual({ restart: { policy: 'on-failure' }, 'x-owner': 'data-team' });
    expect(toYaml(model)).toBe(GRAPH);
    expect(fromYaml(toYaml(model)).model).toEqual(model);
  });

  it('keeps unknown keys of nodes and edges in the graph form', () => {
    const text = 'name: g\nmode: cdc\nnodes:\n  - id: a\n    source:\n      connection: x\n    note: first\n' +
      '  - id: b\n    sink:\n      connection: y\nedges:\n  - from: a\n    to: b\n    label: main\n';
    const model = fromYaml(text).model!;
    expect(model.nodes[0].extra).toEqual({ note: 'first' });
    expect(model.edges[0].extra).toEqual({ label: 'main' });
    expect(chain(model)).toBeUndefined();
    expect(toYaml(model)).toBe(text);
  });

  it('keeps the top-level keys where they were written', () => {
    const text = 'mode: cdc\nname: p\nrestart:\n  policy: never\nsink:\n  connection: b\nsource:\n  connection: a\n';
    expect(toYaml(fromYaml(text).model!)).toBe(text);
  });

  it('writes a fan-out drawn on the canvas in the graph form, and a chain again in the linear form', () => {
    const base = fromYaml(LINEAR).model!;
    const fanOut = normalize({
      ...base,
      nodes: [...base.nodes, node('lake', 'sink', { connection: 'lake' })],
      edges: [...base.edges, edge('source', 'lake')],
    });
    expect(fanOut.model.form).toBe('graph');
    expect([...fanOut.renamed]).toEqual([['#1', 'filter'], ['#2', 'mask']]);
    const text = toYaml(fanOut.model);
    expect(text).toContain('nodes:\n  - id: source\n    source:\n');
    expect(text).toContain('  - from: source\n    to: filter\n  - from: filter\n    to: mask\n  - from: mask\n    to: sink\n  - from: source\n    to: lake\n');
    const reread = fromYaml(text).model!;
    expect({ ...reread, order: [] }).toEqual({ ...fanOut.model, order: [] });
    expect(toYaml(reread)).toBe(text);

    const back = normalize({ ...fanOut.model, nodes: fanOut.model.nodes.filter((n) => n.id !== 'lake'), edges: fanOut.model.edges.filter((e) => e.to !== 'lake') });
    expect(back.model.form).toBe('linear');
    expect(toYaml(back.model)).toBe(LINEAR);
  });

  it('draws a union of two sources into one node', () => {
    const model = normalize({
      ...emptyModel(),
      nodes: [node('a', 'source', { connection: 'x' }), node('b', 'source', { connection: 'y' }), node('u', 'union'), node('s', 'sink', { connection: 'z' })],
      edges: [edge('a', 'u'), edge('b', 'u'), edge('u', 's')],
    }).model;
    expect(model.form).toBe('graph');
    expect(toYaml(model)).toBe('name: ""\nmode: snapshot+cdc\nnodes:\n' +
      '  - id: a\n    source:\n      connection: x\n  - id: b\n    source:\n      connection: y\n' +
      '  - id: u\n    union: {}\n  - id: s\n    sink:\n      connection: z\n' +
      'edges:\n  - from: a\n    to: u\n  - from: b\n    to: u\n  - from: u\n    to: s\n');
  });

  it('keeps a transforms value it cannot draw as written', () => {
    const text = 'name: p\nsource:\n  connection: a\ntransforms: later\nsink:\n  connection: b\nmode: cdc\n';
    const model = fromYaml(text).model!;
    expect(model.nodes).toHaveLength(2);
    expect(toYaml(model)).toBe(text);
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

describe('errors of the server', () => {
  const placed = placeErrors([
    { field: 'source.tables', message: 'no table matches' },
    { field: 'sink', message: 'sink: missing' },
    { field: 'mode', message: 'mode: not one of snapshot, cdc' },
    { field: 'nodes.lake.sink.connection', message: "there is no connection named 'lak'" },
    { message: "node paid: unknown kind 'filtre': did you mean 'filter'?" },
    { message: "transform '#2' (rename) on table public.items: no column 'x'" },
    { message: 'source node us leads nowhere; add an edge { from: us, to: <node> }' },
    { message: 'transforms #1 (filter): where is required' },
    { message: 'something else' },
  ], ['source', '#1', '#2', 'sink', 'lake', 'paid', 'us']);

  it('go to the node and field they name', () => {
    expect(placed).toEqual([
      { place: 'source', field: 'tables', message: 'no table matches' },
      { place: 'sink', field: 'connection', message: 'sink: missing' },
      { place: 'pipeline', field: 'mode', message: 'mode: not one of snapshot, cdc' },
      { place: 'lake', field: 'connection', message: "there is no connection named 'lak'" },
      { place: 'paid', field: '', message: "node paid: unknown kind 'filtre': did you mean 'filter'?" },
      { place: '#2', field: '', message: "transform '#2' (rename) on table public.items: no column 'x'" },
      { place: 'us', field: '', message: 'source node us leads nowhere; add an edge { from: us, to: <node> }' },
      { place: '#1', field: '', message: 'transforms #1 (filter): where is required' },
      { place: 'pipeline', field: '', message: 'something else' },
    ]);
  });

  it('are found by place and field', () => {
    expect(errorFor(placed, 'source', 'tables')).toBe('no table matches');
    expect(errorFor(placed, 'sink', 'table')).toBeUndefined();
  });
});
