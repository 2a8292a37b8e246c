// The designer's model of a pipeline, a graph of nodes and edges, and its two-way mapping to the
// YAML spec the server takes. A chain (one source, operators, one sink) is written in the linear
// form (`source`, `transforms`, `sink`); anything more in the graph form (`nodes`, `edges`). Keys
// the designer does not draw (restart, per-connector options, unknown keys) are kept as written,
// and top-level keys keep their order, so editing on the canvas never loses a hand edit.
import { parseDocument, stringify } from 'yaml';

export type Mode = 'snapshot' | 'cdc' | 'snapshot+cdc';
export const MODES: Mode[] = ['snapshot', 'snapshot+cdc', 'cdc'];

/** The built-in operators, in the order of docs/transforms.md. */
export const OPERATORS = ['filter', 'compute', 'drop', 'keep', 'rename', 'cast', 'mask', 'route', 'script'] as const;
export const KINDS = ['source', ...OPERATORS, 'union', 'sink'] as const;
export type Kind = (typeof KINDS)[number];

export interface GraphNode {
  /** `source`, `#1`, `#2`..., `sink` in the linear form (as the server names them); as written in a graph. */
  id: string;
  kind: Kind;
  /** The kind's block (a source or sink block, an operator's options), as written. */
  options: Record<string, unknown>;
  /** The node entry's other keys (graph form), as written. */
  extra: Record<string, unknown>;
}

export interface GraphEdge { from: string; to: string; extra: Record<string, unknown> }

export interface PipelineModel {
  name: string;
  mode: Mode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** How the YAML writes it: `linear` only when the graph is a chain. */
  form: 'linear' | 'graph';
  /** The other top-level keys, as written. */
  extra: Record<string, unknown>;
  /** Top-level keys in the order they were written, so they are written back in that order. */
  order: string[];
}

export const DEFAULT_TARGET_TABLE = '{schema}.{table}';

export function emptyModel(): PipelineModel {
  return {
    name: '',
    mode: 'snapshot+cdc',
    nodes: [
      { id: 'source', kind: 'source', options: { connection: '' }, extra: {} },
      { id: 'sink', kind: 'sink', options: { connection: '', table: DEFAULT_TARGET_TABLE }, extra: {} },
    ],
    edges: [{ from: 'source', to: 'sink', extra: {} }],
    form: 'linear',
    extra: {},
    order: [],
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

/** A list option as a list of texts (a single text counts as one). */
export function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value) return [value];
  return [];
}

/** A block with one key set (in place, keeping the key order) or removed when undefined. */
export function withOption(block: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (value === undefined) {
    const { [key]: _, ...rest } = block;
    return rest;
  }
  return { ...block, [key]: value };
}

const isOperator = (kind: string) => (OPERATORS as readonly string[]).includes(kind);

/**
 * The nodes of the graph along its only path when it is a chain (one source, operators, one
 * sink, each node once, nothing beside); undefined otherwise.
 */
export function chain(model: Pick<PipelineModel, 'nodes' | 'edges'>): GraphNode[] | undefined {
  const { nodes, edges } = model;
  const sources = nodes.filter((n) => n.kind === 'source');
  const sinks = nodes.filter((n) => n.kind === 'sink');
  if (sources.length !== 1 || sinks.length !== 1 || edges.length !== nodes.length - 1) return undefined;
  if (nodes.some((n) => Object.keys(n.extra).length > 0) || edges.some((e) => Object.keys(e.extra).length > 0)) return undefined;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  if (byId.size !== nodes.length) return undefined;
  const path = [sources[0]];
  const seen = new Set([sources[0].id]);
  while (path.length < nodes.length) {
    const out = edges.filter((e) => e.from === path[path.length - 1].id);
    const next = out.length === 1 ? byId.get(out[0].to) : undefined;
    if (!next || seen.has(next.id)) return undefined;
    path.push(next);
    seen.add(next.id);
  }
  const last = path[path.length - 1];
  if (last.kind !== 'sink' || path.slice(1, -1).some((n) => !isOperator(n.kind))) return undefined;
  return path;
}

const GRAPH_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The model after an edit on the canvas: a chain takes the linear form and its ids (`source`,
 * `#1`..., `sink`); anything else the graph form, where ids that only the linear form allows
 * (`#1`) become the operator's name. `renamed` maps each changed id to its new one.
 */
export function normalize(model: PipelineModel): { model: PipelineModel; renamed: Map<string, string> } {
  const path = chain(model);
  const renamed = new Map<string, string>();
  if (path) {
    let step = 0;
    path.forEach((n) => {
      const id = n.kind === 'source' ? 'source' : n.kind === 'sink' ? 'sink' : `#${++step}`;
      if (id !== n.id) renamed.set(n.id, id);
    });
  } else {
    const taken = new Set(model.nodes.map((n) => n.id));
    for (const n of model.nodes) {
      if (GRAPH_ID.test(n.id)) continue;
      const id = freeId(n.kind, taken);
      taken.add(id);
      renamed.set(n.id, id);
    }
  }
  const rename = (id: string) => renamed.get(id) ?? id;
  const nodes = (path ?? model.nodes).map((n) => ({ ...n, id: rename(n.id) }));
  const edges = path
    ? path.slice(1).map((n, i) => ({ from: rename(path[i].id), to: rename(n.id), extra: {} }))
    : model.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) }));
  return { model: { ...model, nodes, edges, form: path ? 'linear' : 'graph' }, renamed };
}

/** An id not yet taken for a new node of a kind: `filter`, then `filter-2`, ... */
export function freeId(kind: string, taken: Set<string>): string {
  if (!taken.has(kind)) return kind;
  let i = 2;
  while (taken.has(`${kind}-${i}`)) i++;
  return `${kind}-${i}`;
}

/** Keys in the order written first, then the others in their usual place. */
function ordered(entries: [string, unknown][], canonical: string[], order: string[]): Record<string, unknown> {
  const present = new Map(entries);
  const keys = order.filter((k) => present.has(k));
  for (const k of canonical) {
    if (!present.has(k) || keys.includes(k)) continue;
    // After the nearest canonical key before it that is already placed, else first.
    const before = canonical.slice(0, canonical.indexOf(k)).reverse().find((b) => keys.includes(b));
    keys.splice(before === undefined ? 0 : keys.indexOf(before) + 1, 0, k);
  }
  for (const [k] of entries) if (!keys.includes(k)) keys.push(k);
  return Object.fromEntries(keys.map((k) => [k, present.get(k)]));
}

/** The spec object the server takes. */
export function toSpec(model: PipelineModel): Record<string, unknown> {
  const path = model.form === 'linear' ? chain(model) : undefined;
  const entries: [string, unknown][] = [['name', model.name]];
  if (path) {
    entries.push(['source', { ...path[0].options }]);
    const steps = path.slice(1, -1);
    if (steps.length > 0) entries.push(['transforms', steps.map((n) => ({ [n.kind]: { ...n.options } }))]);
    entries.push(['sink', { ...path[path.length - 1].options }]);
  } else {
    entries.push(['nodes', model.nodes.map((n) => ({ id: n.id, [n.kind]: { ...n.options }, ...n.extra }))]);
    entries.push(['edges', model.edges.map((e) => ({ from: e.from, to: e.to, ...e.extra }))]);
  }
  entries.push(['mode', model.mode], ...Object.entries(model.extra));
  const canonical = path ? ['name', 'source', 'transforms', 'sink', 'mode'] : ['name', 'mode', 'nodes', 'edges'];
  return ordered(entries, canonical, model.order);
}

export function toYaml(model: PipelineModel): string {
  return stringify(toSpec(model), { lineWidth: 0 });
}

/** A YAML text read into the model; `error` says why it could not be (with its line). */
export type Parsed = { model: PipelineModel; error?: undefined } | { model?: undefined; error: string };

/** The node of a spec's node entry: its kind is the one key beside `id` that names a kind. */
function graphNode(entry: unknown, index: number): GraphNode {
  const { id, ...rest } = asRecord(entry);
  const kind = (Object.keys(rest).find((k) => (KINDS as readonly string[]).includes(k)) ?? 'filter') as Kind;
  const { [kind]: options, ...extra } = rest;
  return { id: typeof id === 'string' ? id : `node-${index + 1}`, kind, options: asRecord(options), extra };
}

export function fromSpec(spec: Record<string, unknown>): PipelineModel {
  const order = Object.keys(spec);
  const common = {
    name: typeof spec.name === 'string' ? spec.name : '',
    mode: MODES.includes(spec.mode as Mode) ? (spec.mode as Mode) : 'snapshot+cdc',
    order,
  };
  if ('nodes' in spec || 'edges' in spec) {
    const { name: _n, mode: _m, nodes, edges, ...extra } = spec;
    return {
      ...common,
      nodes: (Array.isArray(nodes) ? nodes : []).map(graphNode),
      edges: (Array.isArray(edges) ? edges : []).map((e) => {
        const { from, to, ...rest } = asRecord(e);
        return { from: String(from ?? ''), to: String(to ?? ''), extra: rest };
      }),
      form: 'graph',
      extra,
    };
  }
  const { name: _n, mode: _m, source, transforms, sink, ...extra } = spec;
  const steps = Array.isArray(transforms) ? transforms : [];
  // A transforms value the designer cannot draw (not a list of operators) stays as written.
  const drawable = transforms === undefined || (Array.isArray(transforms) && steps.every((t) => {
    const keys = Object.keys(asRecord(t));
    return keys.length === 1 && isOperator(keys[0]);
  }));
  const nodes: GraphNode[] = [{ id: 'source', kind: 'source', options: asRecord(source), extra: {} }];
  if (drawable) {
    steps.forEach((t, i) => {
      const [kind, options] = Object.entries(asRecord(t))[0];
      nodes.push({ id: `#${i + 1}`, kind: kind as Kind, options: asRecord(options), extra: {} });
    });
  }
  nodes.push({ id: 'sink', kind: 'sink', options: asRecord(sink), extra: {} });
  return {
    ...common,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id, extra: {} })),
    form: 'linear',
    extra: drawable ? extra : { ...extra, transforms },
  };
}

export function fromYaml(text: string): Parsed {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    return { error: (line ? `line ${line}: ` : '') + e.message.split('\n')[0] };
  }
  const value = doc.toJS();
  if (value === null || value === undefined) return { model: emptyModel() };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'a pipeline spec is a mapping: name, source, sink, mode, ...' };
  }
  return { model: fromSpec(value as Record<string, unknown>) };
}

/** Where an error of the server belongs in the designer: a node's id, or the pipeline. */
export type ErrorPlace = string;
export const PIPELINE = 'pipeline';

export interface PlacedError {
  place: ErrorPlace;
  /** The field within its place: `tables`, `table`, `connection`, `mode`, `name`, ... */
  field: string;
  message: string;
}

/**
 * Puts the server's errors on the node and field they belong to: by their field (`source.tables`,
 * `nodes.lake.sink.connection`, `mode`), else by the node or step their message names (`node
 * lake: ...`, `transform '#2' (rename) ...`); the others belong to the pipeline as a whole.
 */
export function placeErrors(errors: { field?: string | null; message: string }[], nodeIds: string[] = []): PlacedError[] {
  const ids = new Set(nodeIds);
  return errors.map(({ field, message }) => {
    const path = (field ?? '').split('.').filter(Boolean);
    if (path[0] === 'source' || path[0] === 'sink') {
      return { place: path[0], field: path[1] ?? 'connection', message };
    }
    if (path[0] === 'nodes' && path[1]) {
      return { place: path[1], field: path[3] ?? (path[2] === 'source' || path[2] === 'sink' ? 'connection' : ''), message };
    }
    if (path.length <= 1) {
      const named = /^nodes\.([A-Za-z0-9_-]+)\./.exec(message) ?? /\bnode '?([A-Za-z0-9_-]+)'?[:,( ]/.exec(message)
        ?? /\btransforms? '?(#\d+)'?/.exec(message);
      if (named && ids.has(named[1])) return { place: named[1], field: '', message };
    }
    return { place: PIPELINE, field: path[0] ?? '', message };
  });
}

/** The first error for a field of a place, if any. */
export function errorFor(errors: PlacedError[], place: ErrorPlace, field: string): string | undefined {
  return errors.find((e) => e.place === place && e.field === field)?.message;
}
