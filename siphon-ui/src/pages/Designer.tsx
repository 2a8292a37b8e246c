import { useCallback, useEffect, useMemo, useState } from 'react';
import { Background, Controls, Handle, Position, ReactFlow, type Connection as FlowConnection, type Edge, type Node, type NodeChange, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMe } from '../App';
import { api, ApiError, canOperate, type Connection, type Pipeline, type TableInfo, type Validation } from '../lib/api';
import { fromText, toText } from '../lib/catalog';
import { NODE_OPTIONS } from '../lib/operators';
import { navigate } from '../lib/router';
import {
  asStringList, DEFAULT_TARGET_TABLE, emptyModel, errorFor, freeId, fromSpec, fromYaml, KINDS, MODES, normalize, PIPELINE,
  placeErrors, toYaml, withOption, type GraphNode, type Kind, type Mode, type PipelineModel, type PlacedError,
} from '../lib/spec';
import { OptionField } from '../components/OptionField';
import { fetchTables, Pager } from './Connections';

type NodeData = { node: GraphNode; detail: string; invalid: boolean; selected: boolean };

function GraphNodeView({ data }: NodeProps<Node<NodeData>>) {
  const { node } = data;
  const side = node.kind === 'source' || node.kind === 'sink' ? node.kind : node.kind === 'union' ? 'union' : 'operator';
  const label = node.kind === 'source' || node.kind === 'sink' ? String(node.options.connection ?? '') : node.id;
  return (
    <div className={`flow-node ${side}` + (data.invalid ? ' invalid' : '') + (data.selected ? ' selected' : '')}
      data-node={node.id} data-kind={node.kind}>
      {node.kind !== 'source' && <Handle type="target" position={Position.Left} />}
      <div className="flow-node-kind">{node.kind}{(node.kind === 'source' || node.kind === 'sink') && node.id !== node.kind ? ` ${node.id}` : ''}</div>
      <div className="flow-node-label">{label || <em>choose a connection</em>}</div>
      <div className="flow-node-detail">{data.detail}</div>
      {data.invalid && <div className="flow-node-error">!</div>}
      {node.kind !== 'sink' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}
const nodeTypes = { graph: GraphNodeView };

/** One line under a node: what it takes or does. */
function detailOf(n: GraphNode): string {
  const o = n.options;
  switch (n.kind) {
    case 'source': {
      const tables = asStringList(o.tables);
      return tables.length ? `${tables.length} table pattern${tables.length === 1 ? '' : 's'}` : 'all tables';
    }
    case 'sink': return String(o.table || DEFAULT_TARGET_TABLE);
    case 'filter': return String(o.where ?? '');
    case 'route': return String(o.target ?? '');
    case 'union': return o['source-column'] ? `+ ${o['source-column']}` : 'union';
    default: {
      const cols = o.columns ?? o.set;
      const names = Array.isArray(cols) ? cols : cols && typeof cols === 'object' ? Object.keys(cols) : [];
      return names.length ? names.join(', ') : n.kind;
    }
  }
}

/** Columns from the left: each node one step right of its furthest input. */
function layout(model: PipelineModel): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const inputs = model.edges.filter((e) => e.to === id).map((e) => visit(e.from, seen) + 1);
    const d = Math.max(0, ...inputs);
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const out = new Map<string, { x: number; y: number }>();
  for (const n of model.nodes) {
    const d = visit(n.id, new Set());
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    out.set(n.id, { x: 20 + d * 240, y: 20 + row * 120 });
  }
  return out;
}

/** The pipeline designer: the graph, each node's form, and the YAML, kept in sync both ways. */
export default function Designer({ name }: { name?: string }) {
  const me = useMe();
  const [model, setModel] = useState<PipelineModel>(emptyModel);
  const [yaml, setYaml] = useState(() => toYaml(emptyModel()));
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [selected, setSelected] = useState('source');
  const [moved, setMoved] = useState<Map<string, { x: number; y: number }>>(new Map());
  const [connections, setConnections] = useState<Connection[]>([]);
  const [errors, setErrors] = useState<PlacedError[]>([]);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(!!name);
  /** Counts edits of the YAML, so that node forms holding texts of their own start again. */
  const [yamlRevision, setYamlRevision] = useState(0);
  const editable = canOperate(me);

  useEffect(() => {
    api<Connection[]>('/connections').then(setConnections, () => undefined);
    if (name) {
      api<Pipeline>(`/pipelines/${encodeURIComponent(name)}`).then((p) => {
        const m = fromSpec(p.spec);
        setModel(m);
        setYaml(toYaml(m));
        setSelected(m.nodes[0]?.id ?? 'source');
      });
    }
  }, [name]);

  const touched = () => {
    setYamlError(null);
    setErrors([]);
    setValidation(null);
  };

  /** A change of a node's options or the pipeline's fields: the YAML is written again. */
  const change = useCallback((update: (m: PipelineModel) => PipelineModel) => {
    setModel((m) => {
      const next = update(m);
      setYaml(toYaml(next));
      return next;
    });
    touched();
  }, []);

  /** A change of the graph's shape: the form (linear or graph) and the linear ids follow it. */
  const reshape = (update: (m: PipelineModel) => PipelineModel, select?: string) => {
    const { model: next, renamed } = normalize(update(model));
    setModel(next);
    setYaml(toYaml(next));
    const target = select ?? selected;
    setSelected(renamed.get(target) ?? target);
    if (renamed.size) setMoved((old) => new Map([...old].map(([id, p]) => [renamed.get(id) ?? id, p])));
    touched();
  };

  const setOptions = (id: string, options: Record<string, unknown>) =>
    change((m) => ({ ...m, nodes: m.nodes.map((n) => (n.id === id ? { ...n, options } : n)) }));

  const connect = (from: string, to: string) => reshape((m) => {
    const a = m.nodes.find((n) => n.id === from);
    const b = m.nodes.find((n) => n.id === to);
    if (!a || !b || from === to || a.kind === 'sink' || b.kind === 'source'
      || m.edges.some((e) => e.from === from && e.to === to)) return m;
    return { ...m, edges: [...m.edges, { from, to, extra: {} }] };
  });

  const disconnect = (from: string, to: string) =>
    reshape((m) => ({ ...m, edges: m.edges.filter((e) => !(e.from === from && e.to === to)) }));

  /** A new node, put after the selected one (between it and what follows, for an operator). */
  const addNode = (kind: Kind) => {
    const id = freeId(kind, new Set(model.nodes.map((n) => n.id)));
    const options: Record<string, unknown> = kind === 'source' ? { connection: '' }
      : kind === 'sink' ? { connection: '', table: DEFAULT_TARGET_TABLE } : {};
    reshape((m) => {
      const node: GraphNode = { id, kind, options, extra: {} };
      const after = m.nodes.find((n) => n.id === selected);
      if (kind === 'source' || !after || after.kind === 'sink') return { ...m, nodes: [...m.nodes, node] };
      if (kind === 'sink') return { ...m, nodes: [...m.nodes, node], edges: [...m.edges, { from: after.id, to: id, extra: {} }] };
      const edges = m.edges.map((e) => (e.from === after.id ? { ...e, from: id } : e));
      return { ...m, nodes: [...m.nodes, node], edges: [...edges, { from: after.id, to: id, extra: {} }] };
    }, id);
  };

  /** A node removed; an operator's or union's single input is joined to what followed it. */
  const removeNode = (id: string) => reshape((m) => {
    const node = m.nodes.find((n) => n.id === id);
    const inputs = m.edges.filter((e) => e.to === id).map((e) => e.from);
    const outputs = m.edges.filter((e) => e.from === id).map((e) => e.to);
    const kept = m.edges.filter((e) => e.from !== id && e.to !== id);
    const bridge = node && node.kind !== 'source' && node.kind !== 'sink' && inputs.length === 1
      ? outputs.filter((o) => !kept.some((e) => e.from === inputs[0] && e.to === o)).map((to) => ({ from: inputs[0], to, extra: {} }))
      : [];
    return { ...m, nodes: m.nodes.filter((n) => n.id !== id), edges: [...kept, ...bridge] };
  }, model.nodes.find((n) => n.id !== id)?.id);

  const renameNode = (id: string, to: string) => {
    change((m) => ({
      ...m,
      nodes: m.nodes.map((n) => (n.id === id ? { ...n, id: to } : n)),
      edges: m.edges.map((e) => ({ ...e, from: e.from === id ? to : e.from, to: e.to === id ? to : e.to })),
    }));
    setSelected(to);
  };

  /** A change made in the YAML: the model follows when it parses. */
  const editYaml = (text: string) => {
    setYaml(text);
    const parsed = fromYaml(text);
    if (parsed.error !== undefined) setYamlError(parsed.error);
    else {
      setYamlError(null);
      setModel(parsed.model);
      setYamlRevision((r) => r + 1);
      if (!parsed.model.nodes.some((n) => n.id === selected)) setSelected(parsed.model.nodes[0]?.id ?? 'source');
    }
    setErrors([]);
    setValidation(null);
  };

  const ids = model.nodes.map((n) => n.id);
  const report = (e: unknown) => {
    if (e instanceof ApiError) {
      const fieldErrors = e.problem.errors ?? [];
      setErrors(placeErrors(fieldErrors.length ? fieldErrors : [{ message: e.problem.detail ?? e.message }], ids));
      setMessage(null);
    } else setMessage(String(e));
  };

  const validate = async () => {
    setMessage(null);
    try {
      const v = await api<Validation>('/pipelines/validate', { yaml });
      setValidation(v);
      setErrors(placeErrors(v.problems.map((p) => ({ field: p.field, message: `${p.message}${p.fix ? ' — ' + p.fix : ''}` })), ids));
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

  const placed = useMemo(() => layout(model), [model]);
  const nodes: Node<NodeData>[] = useMemo(() => model.nodes.map((n) => ({
    id: n.id, type: 'graph', position: moved.get(n.id) ?? placed.get(n.id)!, selected: n.id === selected,
    ariaLabel: `${n.kind} ${n.id}`,
    data: { node: n, detail: detailOf(n), invalid: errors.some((e) => e.place === n.id), selected: n.id === selected },
  })), [model, placed, moved, errors, selected]);
  const edges: Edge[] = useMemo(() => model.edges.map((e) => ({
    id: `${e.from}->${e.to}`, source: e.from, target: e.to, animated: true,
    label: model.form === 'linear' && e.to === 'sink' ? model.mode : undefined,
  })), [model]);
  const onNodesChange = (changes: NodeChange<Node<NodeData>>[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position) {
        const { id, position } = c;
        setMoved((old) => new Map(old).set(id, position));
      } else if (c.type === 'select' && c.selected) {
        setSelected(c.id); // a click, or Enter on a node focused with Tab
      }
    }
  };
  const pipelineErrors = errors.filter((e) => e.place === PIPELINE && !['name', 'mode'].includes(e.field));
  const current = model.nodes.find((n) => n.id === selected);

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
            <div className={'field' + (errorFor(errors, PIPELINE, 'name') ? ' invalid' : '')}>
              <label htmlFor="pipeline-name">name</label>
              <input id="pipeline-name" value={model.name} disabled={saved}
                onChange={(e) => change((m) => ({ ...m, name: e.target.value }))} />
              {errorFor(errors, PIPELINE, 'name') && <span className="field-error" role="alert">{errorFor(errors, PIPELINE, 'name')}</span>}
            </div>
            <div className={'field' + (errorFor(errors, PIPELINE, 'mode') ? ' invalid' : '')}>
              <label htmlFor="pipeline-mode">mode</label>
              <select id="pipeline-mode" value={model.mode} onChange={(e) => change((m) => ({ ...m, mode: e.target.value as Mode }))}>
                {MODES.map((mode) => <option key={mode}>{mode}</option>)}
              </select>
              {errorFor(errors, PIPELINE, 'mode') && <span className="field-error" role="alert">{errorFor(errors, PIPELINE, 'mode')}</span>}
            </div>
            {editable && <AddNode onAdd={addNode} after={current} />}
          </div>
          <div className={model.form === 'graph' ? 'canvas graph' : 'canvas'} aria-label="Pipeline graph">
            {/* Drawn anew when nodes come or go, so that the view fits the whole graph again. */}
            <ReactFlow key={model.nodes.length} nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView fitViewOptions={{ maxZoom: 1 }}
              nodesConnectable={editable} nodesDraggable onNodesChange={onNodesChange}
              onConnect={(c: FlowConnection) => c.source && c.target && connect(c.source, c.target)}
              onNodeClick={(_, n) => setSelected(n.id)}
              onNodesDelete={(gone) => editable && gone.forEach((n) => removeNode(n.id))}
              onEdgesDelete={(gone) => editable && gone.forEach((e) => disconnect(e.source, e.target))}
              deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
              proOptions={{ hideAttribution: true }}>
              <Background />
              <Controls showInteractive={false} />
            </ReactFlow>
          </div>
          <div className="card node-panel">
            <div className="tabs" role="tablist" aria-label="Nodes">
              {model.nodes.map((n) => (
                <button key={n.id} role="tab" aria-selected={selected === n.id} className={selected === n.id ? 'tab active' : 'tab'}
                  data-node-tab={n.id} onClick={() => setSelected(n.id)}>
                  {n.id}{n.id !== n.kind && n.kind !== 'source' && n.kind !== 'sink' ? ` ${n.kind}` : ''}{errors.some((e) => e.place === n.id) && ' ⚠'}
                </button>
              ))}
            </div>
            {current && (
              <NodePanel key={`${current.id}:${yamlRevision}`} node={current} model={model} editable={editable} connections={connections} errors={errors}
                setOptions={(o) => setOptions(current.id, o)} connect={connect} disconnect={disconnect}
                remove={() => removeNode(current.id)} rename={(to) => renameNode(current.id, to)} />
            )}
            {current && validation && <NodeSchema validation={validation} node={current.id} />}
          </div>
          {validation && validation.ok && validation.flows.length > 0 && (
            <div className="card" aria-label="Targets">
              <h3>What the sink will write</h3>
              <table className="grid">
                <thead><tr><th>Source</th><th>Target</th><th>Columns</th><th>Key</th><th>At the target</th></tr></thead>
                <tbody>
                  {validation.flows.map((f) => (
                    <tr key={`${f.source}->${f.target}`}>
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
          <label htmlFor="pipeline-yaml">YAML <small className="muted">({model.form === 'linear' ? 'linear form' : 'graph form'})</small></label>
          <textarea id="pipeline-yaml" spellCheck={false} value={yaml} onChange={(e) => editYaml(e.target.value)}
            aria-invalid={yamlError ? true : undefined} />
          {yamlError && <p className="error" role="alert">{yamlError}</p>}
        </div>
      </div>
    </section>
  );
}

function AddNode({ onAdd, after }: { onAdd: (kind: Kind) => void; after?: GraphNode }) {
  const [kind, setKind] = useState<Kind>('filter');
  return (
    <div className="field add-node">
      <label htmlFor="add-node-kind">add node</label>
      <div className="inline">
        <select id="add-node-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => <option key={k}>{k}</option>)}
        </select>
        <button className="small secondary" onClick={() => onAdd(kind)}
          title={after && after.kind !== 'sink' && kind !== 'source' ? `after ${after.id}` : 'unconnected'}>Add</button>
      </div>
    </div>
  );
}

/** The columns leaving the selected node, per table, from the last validation. */
function NodeSchema({ validation, node }: { validation: Validation; node: string }) {
  const view = validation.nodes?.find((n) => n.node === node);
  if (!view) return null;
  return (
    <div className="node-schema" aria-label={`Output of ${node}`}>
      <h4>Leaving {node}</h4>
      {view.tables.length === 0 && <p className="muted">no table</p>}
      {view.tables.map((t) => (
        <details key={t.table} open={view.tables.length <= 3}>
          <summary>{t.table} <span className="muted">key {t.key.join(', ') || 'none'}</span></summary>
          <table className="columns"><tbody>
            {t.columns.map((c) => <tr key={c.name}><td>{c.name}</td><td className="mono">{c.type}{c.nullable ? '' : ' not null'}</td></tr>)}
          </tbody></table>
        </details>
      ))}
    </div>
  );
}

type PanelProps = {
  node: GraphNode;
  model: PipelineModel;
  editable: boolean;
  connections: Connection[];
  errors: PlacedError[];
  setOptions: (options: Record<string, unknown>) => void;
  connect: (from: string, to: string) => void;
  disconnect: (from: string, to: string) => void;
  remove: () => void;
  rename: (to: string) => void;
};

function NodePanel(props: PanelProps) {
  const { node, model, editable, errors, connect, disconnect, remove, rename } = props;
  const inputs = model.edges.filter((e) => e.to === node.id).map((e) => e.from);
  const candidates = model.nodes.filter((n) => n.id !== node.id && n.kind !== 'sink' && !inputs.includes(n.id));
  const [from, setFrom] = useState('');
  const placeErrorsOf = errors.filter((e) => e.place === node.id && !['tables', 'table', 'connection'].includes(e.field));
  return (
    <div data-panel={node.id}>
      {model.form === 'graph' && (
        <div className="field">
          <label htmlFor="node-id">id</label>
          <input id="node-id" value={node.id} disabled={!editable} onChange={(e) => rename(e.target.value)} />
        </div>
      )}
      {node.kind === 'source' ? <SourcePanel {...props} />
        : node.kind === 'sink' ? <SinkPanel {...props} />
        : <OperatorPanel {...props} />}
      {placeErrorsOf.map((e, i) => <p key={i} className="field-error" role="alert">{e.field ? `${e.field}: ` : ''}{e.message}</p>)}
      {node.kind !== 'source' && (
        <div className="field inputs">
          <span className="label">inputs</span>
          <ul className="plain">
            {inputs.map((i) => (
              <li key={i}>{i} {editable && <button className="small secondary" aria-label={`Disconnect ${i}`} onClick={() => disconnect(i, node.id)}>Disconnect</button>}</li>
            ))}
            {inputs.length === 0 && <li className="muted">none</li>}
          </ul>
          {editable && candidates.length > 0 && (
            <div className="inline">
              <select aria-label="Connect from" value={from} onChange={(e) => setFrom(e.target.value)}>
                <option value="">connect from…</option>
                {candidates.map((c) => <option key={c.id} value={c.id}>{c.id} ({c.kind})</option>)}
              </select>
              <button className="small secondary" disabled={!from} onClick={() => { connect(from, node.id); setFrom(''); }}>Connect</button>
            </div>
          )}
        </div>
      )}
      {editable && model.nodes.length > 2 && (
        <button className="small danger" onClick={remove}>Remove {node.id}</button>
      )}
    </div>
  );
}

function OperatorPanel({ node, setOptions, errors, editable }: PanelProps) {
  const options = NODE_OPTIONS[node.kind] ?? [];
  const [texts, setTexts] = useState<Record<string, string>>(
    () => Object.fromEntries(options.map((o) => [o.name, toText(o, node.options[o.name])])));
  return (
    <div>
      {options.map((o) => (
        <OptionField key={o.name} option={o} value={texts[o.name] ?? ''} disabled={!editable}
          error={errorFor(errors, node.id, o.name)}
          onChange={(text) => {
            setTexts((t) => ({ ...t, [o.name]: text }));
            setOptions(withOption(node.options, o.name, fromText(o, text)));
          }} />
      ))}
    </div>
  );
}

function ConnectionSelect({ node, value, connections, errors, onChange }: {
  node: GraphNode; value: string; connections: Connection[]; errors: PlacedError[]; onChange: (v: string) => void;
}) {
  const error = errorFor(errors, node.id, 'connection');
  const id = `${node.id}-connection`;
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <label htmlFor={id}>connection</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {connections.map((c) => <option key={c.name} value={c.name}>{c.name} ({c.type})</option>)}
      </select>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}

const PAGE = 50;

function SourcePanel({ node, setOptions, connections, errors }: PanelProps) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; tables: TableInfo[] } | null>(null);
  const connection = String(node.options.connection ?? '');
  const tables = asStringList(node.options.tables);
  useEffect(() => {
    if (!connection) return setPage(null);
    let live = true;
    fetchTables(connection, `?offset=${offset}&limit=${PAGE}${search ? `&search=${encodeURIComponent(search)}` : ''}`)
      .then((p) => live && setPage(p), () => live && setPage(null));
    return () => { live = false; };
  }, [connection, search, offset]);
  const chosen = new Set(tables);
  const setTables = (list: string[]) => setOptions(withOption(node.options, 'tables', list.length ? list : undefined));
  const toggle = (id: string) => setTables(chosen.has(id) ? tables.filter((t) => t !== id) : [...tables, id]);
  const tablesError = errorFor(errors, node.id, 'tables');
  return (
    <div>
      <ConnectionSelect node={node} value={connection} connections={connections} errors={errors}
        onChange={(v) => setOptions(withOption(node.options, 'connection', v))} />
      <div className={'field' + (tablesError ? ' invalid' : '')}>
        <label htmlFor={`${node.id}-tables`}>tables <small>(none chosen: every table)</small></label>
        <input id={`${node.id}-tables`} value={tables.join(', ')} placeholder="public.orders, public.order_items_.*"
          onChange={(e) => setTables(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} />
        {tablesError && <span className="field-error" role="alert">{tablesError}</span>}
      </div>
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

function SinkPanel({ node, setOptions, connections, errors }: PanelProps) {
  const tableError = errorFor(errors, node.id, 'table');
  return (
    <div>
      <ConnectionSelect node={node} value={String(node.options.connection ?? '')} connections={connections} errors={errors}
        onChange={(v) => setOptions(withOption(node.options, 'connection', v))} />
      <div className={'field' + (tableError ? ' invalid' : '')}>
        <label htmlFor={`${node.id}-table`}>table <small>(target naming rule)</small></label>
        <input id={`${node.id}-table`} value={String(node.options.table ?? '')} placeholder="{schema}.{table}"
          onChange={(e) => setOptions(withOption(node.options, 'table', e.target.value || undefined))} />
        {tableError && <span className="field-error" role="alert">{tableError}</span>}
      </div>
    </div>
  );
}
