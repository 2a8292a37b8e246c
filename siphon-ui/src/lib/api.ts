// The server's REST API: same-origin fetch with the session cookie. A 401 sends the app back to
// sign-in; every other error becomes an ApiError carrying the problem's code and field errors.

export type Role = 'viewer' | 'operator' | 'admin';
export interface Me { username: string; role: Role }

export interface FieldError { field: string; message: string }
export interface Problem {
  status: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? `HTTP ${problem.status}`);
  }
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};

/** Called on every 401 (the session ended or never began). */
export function setUnauthorizedHandler(handler: Unauthorized) {
  onUnauthorized = handler;
}

type Init = { method?: string; body?: unknown; yaml?: string };

export async function api<T>(path: string, init: Init = {}): Promise<T> {
  return (await apiResponse<T>(path, init)).data;
}

/** The answer with its headers (for X-Total-Count on paged lists). */
export async function apiResponse<T>(path: string, init: Init = {}): Promise<{ data: T; headers: Headers }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (init.yaml !== undefined) {
    headers['Content-Type'] = 'application/yaml';
    body = init.yaml;
  } else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch('/api/v1' + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    credentials: 'same-origin',
  });
  if (response.status === 401 && !path.startsWith('/auth/login')) {
    onUnauthorized();
  }
  if (!response.ok) {
    let problem: Problem = { status: response.status };
    try {
      problem = { ...(await response.json()), status: response.status };
    } catch {
      // not a problem document: keep the status alone
    }
    throw new ApiError(problem);
  }
  const text = response.status === 204 ? '' : await response.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export const canOperate = (me: Me | null) => me?.role === 'operator' || me?.role === 'admin';
export const isAdmin = (me: Me | null) => me?.role === 'admin';

// ---- shapes of the API's answers ----

export interface OptionInfo {
  name: string;
  type: string;
  required: boolean;
  default: unknown;
  secret: boolean;
  description: string;
  allowed: string[];
  usages: string[];
  pipeline: boolean;
}
export interface ConnectorInfo { type: string; description: string; options: OptionInfo[] }

export interface Connection {
  name: string;
  type: string;
  config: Record<string, unknown>;
  secrets: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}
export interface TestResult {
  ok: boolean;
  usage: string;
  problems: { code: string; category: string; message: string; fix: string }[];
}
export interface ColumnInfo { name: string; type: string; nativeType: string; nullable: boolean }
export interface TableInfo { schema: string; name: string; primaryKey: string[]; columns: ColumnInfo[] }
export interface TablePage { total: number; offset: number; limit: number; tables: TableInfo[] }

export interface ErrorView { code: string; message: string; fix?: string }
export interface Pipeline {
  name: string;
  state: string;
  desiredState: string;
  spec: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  lastError: ErrorView | null;
}
export interface TableStatus {
  source: string;
  target: string;
  chunksTotal: number;
  chunksDone: number;
  rowsEstimated: number;
  rowsWritten: number;
  done: boolean;
  events: Record<string, number>;
  resnapshot: { reason: string; status: string; chunksTotal: number; chunksDone: number } | null;
  error: { code: string; message: string } | null;
}
export interface StreamProgress {
  sourcePosition: string;
  acknowledgedPosition: string;
  eventsPerSecond: number;
  latencyP50Millis: number;
  latencyP99Millis: number;
  backlogBytes: number;
}
export interface Status {
  name: string;
  state: string;
  phase: string | null;
  elapsedMillis: number;
  rowsWritten: number;
  tables: TableStatus[];
  stream: StreamProgress | null;
  lastError: ErrorView | null;
}
export interface Run {
  id: number;
  cause: string;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
  rowsWritten: number;
  events: number;
  errorCode: string | null;
  errorMessage: string | null;
}
export interface SchemaView { table: string; columns: { name: string; type: string; nullable: boolean }[]; key: string[] }
export interface Validation {
  ok: boolean;
  problems: { code: string; category: string; message: string; fix: string; field?: string }[];
  tables: string[];
  warnings: { code: string; message: string; fix: string }[];
  /** Each table's target and its schema after the transforms: what the sink will write. */
  flows: { source: string; target: string; output: SchemaView; ddl: string[] }[];
  /** What leaves each node of the graph (`source`, `#1`..., `sink` in the linear form), per table. */
  nodes?: { node: string; kind: string; tables: SchemaView[] }[];
}
export interface User { username: string; role: Role; createdAt: string; updatedAt: string }
export interface Token {
  id: string;
  name: string;
  username: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  token: string | null;
}
export interface AuditEvent {
  id: number;
  at: string;
  username: string;
  remoteAddress: string;
  method: string;
  path: string;
  status: number;
  detail: string | null;
}
