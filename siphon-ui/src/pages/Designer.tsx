import { useCallback, useEffect, useMemo, useState } from 'react';
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMe } from '../App';
import { api, ApiError, canOperate, type Connection, type Pipeline, type TableInfo, type Validation } from '../lib/api';
import { navigate } from '../lib/router';
import { emptyModel, errorFor, fromSpec, fromYaml, MODES, placeErrors, toYaml, type ErrorPlace, type Mode, type PipelineModel, type PlacedError } from '../lib/spec';
import { fetchTables, Pager } from './Connections';

type EndpointData = { label: string; place: ErrorPlace; detail: string; invalid: boolean; selected: boolean };

function EndpointNode({ data }: NodeProps<Node<EndpointData>>) {
  return (
    <div className={`flow-node ${data.place}` + (data.invalid ? ' invalid' : '') + (data.selected ? ' selected' : '')}
      data-node={data.place}>
      {data.place === 'sink' && <Handle type="target" position={Position.Left} />}
      <div className="flow-node-kind">{data.place}</div>
      <div className="flow-node-label">{data.label || <em>choose a connection</em>}</div>
      <div className="flow-node-detail">{data.detail}</div>
      {data.invalid && <div className="flow-node-error">!</div>}
      {data.place === 'source' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}
const nodeTypes = { endpoint: EndpointNode };

/** The pipeline designer: the graph, each node's form, and the YAML, kept in sync both ways. */
export default function Designer({ name }: { name?: string }) {
  const me = useMe();
  const [model, setModel] = useState<PipelineModel>(emptyModel);
  const [yaml, setYaml] = useState(() => toYaml(emptyModel()));
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ErrorPlace>('source');
  const [connections, setConnections] = useState<Connection[]>([]);
  const [errors, setErrors] = useState<PlacedError[]>([]);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(!!name);

  useEffect(() => {
    api<Connection[]>('/connections').then(setConnections, () => undefined);
    if (name) {
      api<Pipeline>(`/pipelines/${encodeURIComponent(name)}`).then((p) => {
        const m = fromSpec(p.spec);
        setModel(m);
        setYaml(toYaml(m));
      });
    }
  }, [name]);

  /** A change made on the canvas or in a form: the YAML is written again from the model. */
  const change = useCallback((update: (m: PipelineModel) => PipelineModel) => {
    setModel((m) => {
      const next = update(m);
      setYaml(toYaml(next));
      setYamlError(null);
      return next;
    });
    setErrors([]);
    setValidation(null);
  }, []);

  /** A change made in the YAML: the model follows when it parses. */
  const editYaml = (text: string) => {
    setYaml(text);
    const parsed = fromYaml(text);
    if (parsed.error !== undefined) setYamlError(parsed.error);
    else {
      setYamlError(null);
      setModel(parsed.model);
    }
    setErrors([]);
    setValidation(null);
  };

  const report = (e: unknown) => {
    if (e instanceof ApiError) {
      const fieldErrors = e.problem.errors ?? [];
      setErrors(placeErrors(fieldErrors.length ? fieldErrors : [{ message: e.problem.detail ?? e.message }]));
      setMessage(null);
    } else setMessage(String(e));
  };

  const validate = async () => {
    setMessage(null);
    try {
      const v = await api<Validation>('/pipelines/validate', { yaml });
      setValidation(v);
      setErrors(placeErrors(v.problems.map((p) => ({ field: p.field, message: `${p.message}${p.fix ? ' — ' + p.fix : ''}` }))));
      if (v.ok) setMessage(`Valid: ${v.tables.length} table${v.tables.length === 1 ? '' : 's'}.`);
      return v.ok;
    } catch (e) {
      report(e);
      return false;
    }
  };

  const save = async () => {
    setMessage(null);
    try {
      if (saved) await api(`/pipelines/${encodeURIComponent(model.name)}`, { method: 'PUT', yaml });
      else await api('/pipelines', { yaml });
      setSaved(true);
      setMessage('Saved.');
      return true;
    } catch (e) {
      report(e);
      return false;
    }
  };

  const start = async () => {
    if (!(await save())) return;
    try {
      await api(`/pipelines/${encodeURIComponent(model.name)}/start`, { method: 'POST' });
      navigate(`/pipelines/${encodeURIComponent(model.name)}`);
    } catch (e) {
      report(e);
    }
  };

  const nodes: Node<EndpointData>[] = useMemo(() => [
    { id: 'source', type: 'endpoint', position: { x: 20, y: 40 }, sourcePosition: Position.Right, data: {
      place: 'source', label: model.source.connection, selected: selected === 'source',
      detail: model.source.tables.length ? `${model.source.tables.length} table pattern${model.source.tables.length === 1 ? '' : 's'}` : 'all tables',
      invalid: errors.some((e) => e.place === 'source') } },
    { id: 'sink', type: 'endpoint', position: { x: 320, y: 40 }, targetPosition: Position.Left, data: {
      place: 'sink', label: model.sink.connection, selected: selected === 'sink',
      detail: model.sink.table || '{schema}.{table}', invalid: errors.some((e) => e.place === 'sink') } },
  ], [model, errors, selected]);
  const edges: Edge[] = useMemo(() => [{ id: 'source-sink', source: 'source', target: 'sink', type: 'straight', animated: true, label: model.mode }], [model.mode]);
  const pipelineErrors = errors.filter((e) => e.place === 'pipeline' && !['name', 'mode'].includes(e.field));
  const editable = canOperate(me);

  return (
    <section className="designer">
      <div className="title-row">
        <h1>{name ? `Edit ${name}` : 'New pipeline'}</h1>
        {editable && (
          <div className="buttons">
            <button className="secondary" onClick={validate} disabled={!!yamlError}>Validate</button>
            <button className="secondary" onClick={save} disabled={!!yamlError}>Save</button>
            <button onClick={start} disabled={!!yamlError}>Save and start</button>
          </div>
        )}
      </div>
      {message && <p className="ok-text" role="status">{message}</p>}
      {pipelineErrors.map((e, i) => <p key={i} className="error" role="alert">{e.field ? `${e.field}: ` : ''}{e.message}</p>)}
      <div className="designer-grid">
        <div className="designer-left">
          <div className="card pipeline-fields">
            <div className={'field' + (errorFor(errors, 'pipeline', 'name') ? ' invalid' : '')}>
              <label htmlFor="pipeline-name">name</label>
              <input id="pipeline-name" value={model.name} disabled={saved}
                onChange={(e) => change((m) => ({ ...m, name: e.target.value }))} />
              {errorFor(errors, 'pipeline', 'name') && <span className="field-error" role="alert">{errorFor(errors, 'pipeline', 'name')}</span>}
            </div>
            <div className={'field' + (errorFor(errors, 'pipeline', 'mode') ? ' invalid' : '')}>
              <label htmlFor="pipeline-mode">mode</label>
              <select id="pipeline-mode" value={model.mode} onChange={(e) => change((m) => ({ ...m, mode: e.target.value as Mode }))}>
                {MODES.map((mode) => <option key={mode}>{mode}</option>)}
              </select>
              {errorFor(errors, 'pipeline', 'mode') && <span className="field-error" role="alert">{errorFor(errors, 'pipeline', 'mode')}</span>}
            </div>
          </div>
          <div className="canvas" aria-label="Pipeline graph">
            <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView fitViewOptions={{ maxZoom: 1 }}
              nodesConnectable={false} onNodeClick={(_, n) => setSelected(n.id as ErrorPlace)} proOptions={{ hideAttribution: true }}>
              <Background />
              <Controls showInteractive={false} />
            </ReactFlow>
          </div>
          <div className="card node-panel">
            <div className="tabs" role="tablist">
              {(['source', 'sink'] as const).map((p) => (
                <button key={p} role="tab" aria-selected={selected === p} className={selected === p ? 'tab active' : 'tab'} onClick={() => setSelected(p)}>
                  {p}{errors.some((e) => e.place === p) && ' ⚠'}
                </button>
              ))}
            </div>
            {selected === 'source'
              ? <SourcePanel model={model} change={change} connections={connections} errors={errors} />
              : <SinkPanel model={model} change={change} connections={connections} errors={errors} />}
          </div>
          {validation && validation.ok && validation.flows.length > 0 && (
            <div className="card" aria-label="Targets">
              <h3>What the sink will write</h3>
              <table className="grid">
                <thead><tr><th>Source</th><th>Target</th><th>Columns</th><th>Key</th><th>At the target</th></tr></thead>
                <tbody>
                  {validation.flows.map((f) => (
                    <tr key={f.source}>
                      <td>{f.source}</td><td>{f.target}</td>
                      <td className="mono">{f.output.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}`).join(', ')}</td>
                      <td>{f.output.key.join(', ') || <span className="muted">none</span>}</td>
                      <td>{f.ddl.length
                        ? <details><summary>creates it</summary><pre className="ddl">{f.ddl.join(';\n') + ';'}</pre></details>
                        : <span className="muted">exists</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {validation && validation.warnings.length > 0 && (
            <div className="card">
              <h3>Warnings</h3>
              {validation.warnings.map((w, i) => <p key={i}><b>{w.code}</b>: {w.message} <em>{w.fix}</em></p>)}
            </div>
          )}
        </div>
        <div className="designer-yaml">
          <label htmlFor="pipeline-yaml">YAML</label>
          <textarea id="pipeline-yaml" spellCheck={false} value={yaml} onChange={(e) => editYaml(e.target.value)}
            aria-invalid={yamlError ? true : undefined} />
          {yamlError && <p className="error" role="alert">{yamlError}</p>}
        </div>
      </div>
    </section>
  );
}

type PanelProps = {
  model: PipelineModel;
  change: (update: (m: PipelineModel) => PipelineModel) => void;
  connections: Connection[];
  errors: PlacedError[];
};

function ConnectionSelect({ place, value, connections, errors, onChange }: {
  place: ErrorPlace; value: string; connections: Connection[]; errors: PlacedError[]; onChange: (v: string) => void;
}) {
  const error = errorFor(errors, place, 'connection');
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <label htmlFor={`${place}-connection`}>connection</label>
      <select id={`${place}-connection`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {connections.map((c) => <option key={c.name} value={c.name}>{c.name} ({c.type})</option>)}
      </select>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}

const PAGE = 50;

function SourcePanel({ model, change, connections, errors }: PanelProps) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; tables: TableInfo[] } | null>(null);
  const connection = model.source.connection;
  useEffect(() => {
    if (!connection) return setPage(null);
    let live = true;
    fetchTables(connection, `?offset=${offset}&limit=${PAGE}${search ? `&search=${encodeURIComponent(search)}` : ''}`)
      .then((p) => live && setPage(p), () => live && setPage(null));
    return () => { live = false; };
  }, [connection, search, offset]);
  const chosen = new Set(model.source.tables);
  const toggle = (id: string) => change((m) => ({
    ...m, source: { ...m.source, tables: chosen.has(id) ? m.source.tables.filter((t) => t !== id) : [...m.source.tables, id] },
  }));
  const tablesError = errorFor(errors, 'source', 'tables');
  const otherErrors = errors.filter((e) => e.place === 'source' && !['tables', 'connection'].includes(e.field));
  return (
    <div>
      <ConnectionSelect place="source" value={connection} connections={connections} errors={errors}
        onChange={(v) => change((m) => ({ ...m, source: { ...m.source, connection: v } }))} />
      <div className={'field' + (tablesError ? ' invalid' : '')}>
        <label htmlFor="source-tables">tables <small>(none chosen: every table)</small></label>
        <input id="source-tables" value={model.source.tables.join(', ')} placeholder="public.orders, public.order_items_.*"
          onChange={(e) => change((m) => ({ ...m, source: { ...m.source, tables: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) } }))} />
        {tablesError && <span className="field-error" role="alert">{tablesError}</span>}
      </div>
      {otherErrors.map((e, i) => <p key={i} className="field-error" role="alert">{e.field}: {e.message}</p>)}
      {page && (
        <div className="table-picker">
          <input type="search" placeholder="Search tables" aria-label="Search source tables" value={search}
            onChange={(e) => { setSearch(e.target.value); setOffset(0); }} />
          <ul>
            {page.tables.map((t) => {
              const id = `${t.schema}.${t.name}`;
              return (
                <li key={id}>
                  <label><input type="checkbox" checked={chosen.has(id)} onChange={() => toggle(id)} /> {id}
                    <span className="muted"> {t.columns.length} columns{t.primaryKey.length ? '' : ', no key'}</span></label>
                </li>
              );
            })}
          </ul>
          <Pager offset={offset} total={page.total} size={PAGE} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}

function SinkPanel({ model, change, connections, errors }: PanelProps) {
  const tableError = errorFor(errors, 'sink', 'table');
  const otherErrors = errors.filter((e) => e.place === 'sink' && !['table', 'connection'].includes(e.field));
  return (
    <div>
      <ConnectionSelect place="sink" value={model.sink.connection} connections={connections} errors={errors}
        onChange={(v) => change((m) => ({ ...m, sink: { ...m.sink, connection: v } }))} />
      <div className={'field' + (tableError ? ' invalid' : '')}>
        <label htmlFor="sink-table">table <small>(target naming rule)</small></label>
        <input id="sink-table" value={model.sink.table} placeholder="{schema}.{table}"
          onChange={(e) => change((m) => ({ ...m, sink: { ...m.sink, table: e.target.value } }))} />
        {tableError && <span className="field-error" role="alert">{tableError}</span>}
      </div>
      {otherErrors.map((e, i) => <p key={i} className="field-error" role="alert">{e.field}: {e.message}</p>)}
    </div>
  );
}
