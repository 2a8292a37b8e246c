import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMe } from '../App';
import { api, apiResponse, ApiError, canOperate, type Connection, type ConnectorInfo, type TableInfo, type TestResult } from '../lib/api';
import { configFromForm, isPrimary, missingRequired, toText } from '../lib/catalog';
import { OptionField } from '../components/OptionField';

export function Connections() {
  const me = useMe();
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [catalog, setCatalog] = useState<ConnectorInfo[]>([]);
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult | string>>({});
  const [error, setError] = useState<string | null>(null);

  const load = () => api<Connection[]>('/connections').then(setConnections, (e) => setError(String(e.message)));
  useEffect(() => {
    load();
    api<ConnectorInfo[]>('/connectors').then(setCatalog, () => undefined);
  }, []);

  const test = async (c: Connection, usage: string) => {
    setTests((t) => ({ ...t, [c.name]: 'testing…' }));
    try {
      const r = await api<TestResult>(`/connections/${encodeURIComponent(c.name)}/test?usage=${usage}`, { method: 'POST' });
      setTests((t) => ({ ...t, [c.name]: r }));
    } catch (e) {
      setTests((t) => ({ ...t, [c.name]: e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e) }));
    }
  };

  const remove = async (c: Connection) => {
    if (!confirm(`Delete connection ${c.name}?`)) return;
    try {
      await api(`/connections/${encodeURIComponent(c.name)}`, { method: 'DELETE' });
      load();
    } catch (e) {
      setError(e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e));
    }
  };

  return (
    <section>
      <div className="title-row">
        <h1>Connections</h1>
        {canOperate(me) && <button onClick={() => setEditing('new')}>New connection</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {editing && (
        <ConnectionForm catalog={catalog} existing={editing === 'new' ? null : editing}
          onDone={() => { setEditing(null); load(); }} onCancel={() => setEditing(null)} />
      )}
      {connections === null ? <p>Loading…</p> : connections.length === 0 ? (
        <p className="empty">No connections yet.{canOperate(me) && ' Create one to read from or write to a database.'}</p>
      ) : (
        <table className="grid">
          <thead><tr><th>Name</th><th>Type</th><th>Where</th><th>Test</th><th /></tr></thead>
          <tbody>
            {connections.map((c) => {
              const t = tests[c.name];
              return (
                <tr key={c.name} data-connection={c.name}>
                  <td><b>{c.name}</b></td>
                  <td>{c.type}</td>
                  <td className="mono">{String(c.config.url ?? c.config.host ?? '')}</td>
                  <td>
                    {canOperate(me) && (
                      <span className="buttons">
                        <button className="small" onClick={() => test(c, 'source')}>as source</button>
                        <button className="small" onClick={() => test(c, 'cdc')}>as cdc</button>
                        <button className="small" onClick={() => test(c, 'sink')}>as sink</button>
                      </span>
                    )}
                    {t && (typeof t === 'string' ? <div className="test-result">{t}</div> : (
                      <div className={'test-result ' + (t.ok ? 'ok' : 'bad')} role="status">
                        {t.ok ? `OK for ${t.usage}` : t.problems.map((p, i) => (
                          <div key={i}><b>{p.code}</b>: {p.message} {p.fix && <em>{p.fix}</em>}</div>
                        ))}
                      </div>
                    ))}
                  </td>
                  <td className="buttons">
                    <button className="small" onClick={() => setBrowsing(browsing === c.name ? null : c.name)}>Tables</button>
                    {canOperate(me) && <button className="small" onClick={() => setEditing(c)}>Edit</button>}
                    {canOperate(me) && <button className="small danger" onClick={() => remove(c)}>Delete</button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {browsing && <TableBrowser connection={browsing} />}
    </section>
  );
}

function ConnectionForm({ catalog, existing, onDone, onCancel }: {
  catalog: ConnectorInfo[];
  existing: Connection | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(existing?.name ?? '');
  const [type, setType] = useState(existing?.type ?? catalog[0]?.type ?? '');
  const connector = catalog.find((c) => c.type === type);
  const options = useMemo(() => connector?.options ?? [], [connector]);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!type && catalog[0]) setType(catalog[0].type);
  }, [catalog, type]);
  useEffect(() => {
    const initial: Record<string, string> = {};
    for (const o of options) if (existing && existing.config[o.name] !== undefined) initial[o.name] = toText(o, existing.config[o.name]);
    setTexts(initial);
  }, [options, existing]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = missingRequired(options, texts, existing?.secrets);
    const errs: Record<string, string> = {};
    for (const m of missing) errs[m] = `${m} is required`;
    if (!existing && !name.trim()) errs.name = 'name is required';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const config = configFromForm(options, texts);
    try {
      if (existing) await api(`/connections/${encodeURIComponent(existing.name)}`, { method: 'PUT', body: { type, config } });
      else await api('/connections', { body: { name: name.trim(), type, config } });
      onDone();
    } catch (err) {
      if (err instanceof ApiError) {
        const fieldErrors: Record<string, string> = {};
        for (const fe of err.problem.errors ?? []) {
          const key = (fe.field ?? '').split('.').pop() ?? '';
          fieldErrors[options.some((o) => o.name === key) || key === 'name' ? key : '_'] = fe.message;
        }
        setErrors(fieldErrors);
        setFormError(Object.keys(fieldErrors).length ? null : (err.problem.detail ?? err.message));
      } else setFormError(String(err));
    }
  };

  const set = (k: string) => (v: string) => setTexts((t) => ({ ...t, [k]: v }));
  const primary = options.filter(isPrimary);
  const more = options.filter((o) => !isPrimary(o));
  return (
    <form className="card form" onSubmit={submit} aria-label={existing ? `Edit ${existing.name}` : 'New connection'}>
      <h2>{existing ? `Edit ${existing.name}` : 'New connection'}</h2>
      <div className="cols">
        <div className={'field' + (errors.name ? ' invalid' : '')}>
          <label htmlFor="conn-name">name<span className="req"> *</span></label>
          <input id="conn-name" name="name" value={name} disabled={!!existing} onChange={(e) => setName(e.target.value)} />
          {errors.name && <span className="field-error" role="alert">{errors.name}</span>}
        </div>
        <div className="field">
          <label htmlFor="conn-type">type</label>
          <select id="conn-type" name="type" value={type} onChange={(e) => setType(e.target.value)}>
            {catalog.map((c) => <option key={c.type} value={c.type}>{c.type}</option>)}
          </select>
          <small>{connector?.description}</small>
        </div>
        {primary.map((o) => (
          <OptionField key={o.name} option={o} value={texts[o.name] ?? ''} onChange={set(o.name)}
            error={errors[o.name]} secretSet={existing?.secrets.includes(o.name)} />
        ))}
      </div>
      {more.length > 0 && (
        <details>
          <summary>More options ({more.length})</summary>
          <div className="cols">
            {more.map((o) => (
              <OptionField key={o.name} option={o} value={texts[o.name] ?? ''} onChange={set(o.name)} error={errors[o.name]} />
            ))}
          </div>
        </details>
      )}
      {(formError || errors._) && <p className="error" role="alert">{formError ?? errors._}</p>}
      <div className="buttons">
        <button type="submit">Save</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

const PAGE = 50;

/** Tables of a connection, searched and paged by the server so a catalog of thousands stays quick. */
export function TableBrowser({ connection }: { connection: string }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; tables: TableInfo[] } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const q = `?offset=${offset}&limit=${PAGE}` + (search ? `&search=${encodeURIComponent(search)}` : '');
    fetchTables(connection, q).then((p) => live && setPage(p), (e) => live && setError(e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e)));
    return () => { live = false; };
  }, [connection, search, offset]);

  return (
    <div className="card">
      <div className="title-row">
        <h2>Tables of {connection}</h2>
        <input type="search" placeholder="Search tables" aria-label="Search tables" value={search}
          onChange={(e) => { setSearch(e.target.value); setOffset(0); }} />
      </div>
      {error && <p className="error">{error}</p>}
      {page && (
        <>
          <table className="grid">
            <thead><tr><th>Table</th><th>Key</th><th>Columns</th></tr></thead>
            <tbody>
              {page.tables.map((t) => {
                const id = `${t.schema}.${t.name}`;
                return (
                  <tr key={id}>
                    <td><button className="link" onClick={() => setOpen(open === id ? null : id)}>{id}</button>
                      {open === id && (
                        <table className="columns">
                          <tbody>
                            {t.columns.map((c) => (
                              <tr key={c.name}><td>{c.name}</td><td>{c.type}</td><td className="muted">{c.nativeType}</td><td>{c.nullable ? 'null' : 'not null'}</td></tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                    <td>{t.primaryKey.join(', ') || <span className="muted">none</span>}</td>
                    <td>{t.columns.length}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager offset={offset} total={page.total} size={PAGE} onChange={setOffset} />
        </>
      )}
    </div>
  );
}

export async function fetchTables(connection: string, query: string): Promise<{ total: number; tables: TableInfo[] }> {
  const { data, headers } = await apiResponse<TableInfo[]>(`/connections/${encodeURIComponent(connection)}/tables${query}`);
  return { total: Number(headers.get('X-Total-Count') ?? data.length), tables: data };
}

export function Pager({ offset, total, size, onChange }: { offset: number; total: number; size: number; onChange: (o: number) => void }) {
  if (total <= size) return <p className="muted">{total} table{total === 1 ? '' : 's'}</p>;
  return (
    <div className="pager">
      <button className="small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))}>Previous</button>
      <span>{offset + 1}–{Math.min(total, offset + size)} of {total}</span>
      <button className="small" disabled={offset + size >= total} onClick={() => onChange(offset + size)}>Next</button>
    </div>
  );
}
