// The options of each built-in operator and of a union node, as docs/transforms.md and
// docs/pipeline-spec.md list them (the server's catalog lists connectors only), in the shape of
// the connector catalog so that the same fields draw them.
import type { OptionInfo } from './api';
import type { Kind } from './spec';

const option = (name: string, type: string, description: string, more: Partial<OptionInfo> = {}): OptionInfo => ({
  name, type, description, required: false, default: null, secret: false, allowed: [], usages: [], pipeline: true, ...more,
});

const TABLES = option('tables', 'list',
  'Tables this operator acts on, as schema.table patterns; when absent, every table. Other tables pass through unchanged');

/** The options of a node kind other than source and sink. */
export const NODE_OPTIONS: Partial<Record<Kind, OptionInfo[]>> = {
  filter: [TABLES, option('where', 'text', 'CEL condition on row.column, op and table; rows for which it is true are kept', { required: true })],
  compute: [TABLES, option('set', 'map', 'Columns to set or add, each to a CEL expression on row.column, op and table', { required: true })],
  drop: [TABLES, option('columns', 'list', 'Columns to leave out; not key columns', { required: true })],
  keep: [TABLES, option('columns', 'list', 'Columns to keep, the key columns among them; the others are left out', { required: true })],
  rename: [TABLES, option('columns', 'map', 'Columns to rename, each old name to its new name', { required: true })],
  cast: [TABLES, option('columns', 'map', 'Columns to convert, each to a type: int64, decimal(p,s), string, varchar(n), timestamptz, ...', { required: true })],
  mask: [
    TABLES,
    option('columns', 'list', 'Columns to mask', { required: true }),
    option('with', 'text', 'sha256: deterministic hash (allowed on keys); redact: four asterisks; partial: all but the last characters; null: no value',
      { default: 'sha256', allowed: ['sha256', 'redact', 'partial', 'null'] }),
    option('keep-last', 'number', 'Characters partial leaves visible at the end', { default: 4 }),
    option('salt', 'text', 'Text put before each value hashed by sha256', { secret: true }),
  ],
  route: [
    TABLES,
    option('target', 'text', 'Target table as schema.table, with {schema}, {table} and {1}, {2}... for the groups of match', { required: true }),
    option('match', 'text', 'Regular expression matched against the whole source name schema.table'),
    option('source-column', 'text', 'A text column to add that holds the source table and joins the key'),
    option('source-value', 'text', 'Text that source-column holds instead of the source table\'s name'),
  ],
  script: [TABLES, option('function', 'text', 'JavaScript function of (row, ctx): return the row, null to leave it out, or a list of rows', { required: true })],
  union: [option('source-column', 'text', 'A text column to add that holds the source node\'s id and joins the key, so equal keys from different sources stay apart')],
};
