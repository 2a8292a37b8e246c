// The designer's model of a pipeline and its two-way mapping to the YAML spec the server takes.
// Keys the designer does not draw (transforms, restart, per-connector options) are kept as they
// are, so editing the YAML by hand never loses anything when the canvas changes it back.
import { parseDocument, stringify } from 'yaml';

export type Mode = 'snapshot' | 'cdc' | 'snapshot+cdc';
export const MODES: Mode[] = ['snapshot', 'snapshot+cdc', 'cdc'];

export interface Endpoint {
  connection: string;
  /** The other keys of the block, kept as written. */
  extra: Record<string, unknown>;
}

export interface PipelineModel {
  name: string;
  mode: Mode;
  source: Endpoint & { tables: string[] };
  sink: Endpoint & { table: string };
  /** The other top-level keys, kept as written. */
  extra: Record<string, unknown>;
}

export const DEFAULT_TARGET_TABLE = '{schema}.{table}';

export function emptyModel(): PipelineModel {
  return {
    name: '',
    mode: 'snapshot+cdc',
    source: { connection: '', tables: [], extra: {} },
    sink: { connection: '', table: DEFAULT_TARGET_TABLE, extra: {} },
    extra: {},
  };
}

/** The spec object the server takes, with keys in the order people write them. */
export function toSpec(model: PipelineModel): Record<string, unknown> {
  const source: Record<string, unknown> = { connection: model.source.connection };
  if (model.source.tables.length > 0) source.tables = [...model.source.tables];
  Object.assign(source, model.source.extra);
  const sink: Record<string, unknown> = { connection: model.sink.connection };
  if (model.sink.table) sink.table = model.sink.table;
  Object.assign(sink, model.sink.extra);
  return { name: model.name, source, sink, mode: model.mode, ...model.extra };
}

export function toYaml(model: PipelineModel): string {
  return stringify(toSpec(model), { lineWidth: 0 });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value) return [value];
  return [];
}

/** A YAML text read into the model; `error` says why it could not be (with its line). */
export type Parsed = { model: PipelineModel; error?: undefined } | { model?: undefined; error: string };

export function fromSpec(spec: Record<string, unknown>): PipelineModel {
  const { name, mode, source, sink, ...extra } = spec;
  const { connection: sourceConnection, tables, ...sourceExtra } = asRecord(source);
  const { connection: sinkConnection, table, ...sinkExtra } = asRecord(sink);
  return {
    name: typeof name === 'string' ? name : '',
    mode: MODES.includes(mode as Mode) ? (mode as Mode) : 'snapshot+cdc',
    source: {
      connection: typeof sourceConnection === 'string' ? sourceConnection : '',
      tables: asStringList(tables),
      extra: sourceExtra,
    },
    sink: {
      connection: typeof sinkConnection === 'string' ? sinkConnection : '',
      table: typeof table === 'string' ? table : '',
      extra: sinkExtra,
    },
    extra,
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

/** Where a field error of the server belongs in the designer. */
export type ErrorPlace = 'pipeline' | 'source' | 'sink';

export interface PlacedError {
  place: ErrorPlace;
  /** The field within its place: `tables`, `table`, `connection`, `mode`, `name`, ... */
  field: string;
  message: string;
}

/**
 * Puts the server's field errors (`source.tables`, `sink.table`, `mode`, ...) on the node and field
 * they belong to; an error without a field belongs to the pipeline as a whole.
 */
export function placeErrors(errors: { field?: string | null; message: string }[]): PlacedError[] {
  return errors.map(({ field, message }) => {
    const path = (field ?? '').split('.').filter(Boolean);
    if (path[0] === 'source' || path[0] === 'sink') {
      return { place: path[0], field: path[1] ?? 'connection', message };
    }
    return { place: 'pipeline', field: path[0] ?? '', message };
  });
}

/** The first error for a field of a place, if any. */
export function errorFor(errors: PlacedError[], place: ErrorPlace, field: string): string | undefined {
  return errors.find((e) => e.place === place && e.field === field)?.message;
}
