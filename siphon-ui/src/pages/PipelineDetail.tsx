import { useEffect, useMemo, useState } from 'react';
import { useMe } from '../App';
import { api, ApiError, canOperate, type Pipeline, type Run, type Status } from '../lib/api';
import { eta, formatBytes, formatCount, formatDuration, snapshotShare } from '../lib/format';
import { useEvents } from '../lib/live';
import { Link } from '../lib/router';
import { append, emptySeries } from '../lib/series';
import { LineChart } from '../components/LineChart';
import { StateBadge } from '../components/StateBadge';
import { Pager } from './Connections';

const WINDOW = 300; // five minutes of one-second updates
const TABLE_PAGE = 50; // rows of the table list drawn at once, so a pipeline of thousands stays quick

export function PipelineDetail({ name }: { name: string }) {
  const me = useMe();
  const path = `/pipelines/${encodeURIComponent(name)}`;
  const [pipeline, setPipeline] = useState<Pipeline | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [rate, setRate] = useState(() => emptySeries(WINDOW, 1));
  const [latency, setLatency] = useState(() => emptySeries(WINDOW, 2));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = () => {
    api<Pipeline>(path).then(setPipeline, (e) => setError(e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e)));
    api<Run[]>(`${path}/runs?limit=20`).then(setRuns, () => undefined);
  };
  useEffect(() => {
    reload();
    api<Status>(`${path}/status`).then(setStatus, () => undefined);
  }, [path]);

  useEvents<Status>(`${path}/events`, 'status', (s) => {
    setStatus((old) => {
      if (old && old.state !== s.state) reload();
      return s;
    });
    const t = Date.now() / 1000;
    if (s.stream) {
      setRate((r) => append(r, t, [s.stream!.eventsPerSecond]));
      setLatency((r) => append(r, t, [s.stream!.latencyP50Millis, s.stream!.latencyP99Millis]));
    }
  });

  const act = async (what: 'start' | 'stop' | 'resnapshot', body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await api(`${path}/${what}`, { method: 'POST', body });
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const state = status?.state ?? pipeline?.state ?? '';
  const running = state === 'RUNNING' || state === 'STARTING';
  const tables = useMemo(() => [...(status?.tables ?? [])].sort((a, b) => a.source.localeCompare(b.source)), [status]);
  const lastError = status?.lastError ?? pipeline?.lastError;
  const [tableFilter, setTableFilter] = useState('');
  const [tableOffset, setTableOffset] = useState(0);
  const shown = useMemo(
    () => (tableFilter ? tables.filter((t) => t.source.includes(tableFilter) || t.target.includes(tableFilter)) : tables),
    [tables, tableFilter]);

  return (
    <section>
      <div className="title-row">
        <h1>{name} <StateBadge state={state || 'UNKNOWN'} /> {status?.phase && <span className="phase">{status.phase.toLowerCase()}</span>}</h1>
        {canOperate(me) && (
          <div className="buttons">
            {!running && <Link to={`${path}/edit`} className="button secondary">Edit</Link>}
            {running
              ? <button onClick={() => act('stop')} disabled={busy}>Stop</button>
              : <button onClick={() => act('start')} disabled={busy}>Start</button>}
            {!running && <button className="secondary" disabled={busy}
              onClick={() => confirm('Copy every table again at the next start? The targets are emptied.') && act('resnapshot')}>Resnapshot</button>}
          </div>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {lastError && (
        <div className="card error-card" role="alert">
          <b>{lastError.code}</b>: {lastError.message}
          {lastError.fix && <p><em>{lastError.fix}</em></p>}
        </div>
      )}
      <div className="stats">
        <Stat label="Rows written" value={formatCount(status?.rowsWritten ?? 0)} id="rows-written" />
        <Stat label="Events/s" value={formatCount(status?.stream?.eventsPerSecond ?? 0)} id="events-per-second" />
        <Stat label="Latency p50 / p99" value={status?.stream ? `${status.stream.latencyP50Millis} / ${status.stream.latencyP99Millis} ms` : '–'} />
        <Stat label="Backlog" value={status?.stream ? formatBytes(status.stream.backlogBytes) : '–'} />
        <Stat label="Running for" value={formatDuration(status?.elapsedMillis ?? 0)} />
      </div>
      <div className="charts">
        <LineChart title="Events/s" series={rate} labels={['events/s']} colors={['#2563eb']} />
        <LineChart title="Latency (ms)" series={latency} labels={['p50', 'p99']} colors={['#059669', '#dc2626']} />
      </div>
      <h2>Tables</h2>
      {tables.length > TABLE_PAGE && (
        <input type="search" className="table-filter" placeholder="Filter tables" aria-label="Filter tables" value={tableFilter}
          onChange={(e) => { setTableFilter(e.target.value); setTableOffset(0); }} />
      )}
      <table className="grid tables-progress">
        <thead><tr><th>Source → target</th><th>Snapshot</th><th className="num">Rows</th><th className="num">Inserts</th><th className="num">Updates</th><th className="num">Deletes</th>{canOperate(me) && <th />}</tr></thead>
        <tbody>
          {shown.slice(tableOffset, tableOffset + TABLE_PAGE).map((t) => {
            const share = snapshotShare(t);
            const left = eta(t, status?.elapsedMillis ?? 0);
            return (
              <tr key={t.source} data-table={t.source}>
                <td>{t.source} <span className="muted">→ {t.target}</span>
                  {t.error && <div className="error-text">{t.error.code}: {t.error.message}</div>}
                  {t.resnapshot && <div className="muted">copying again ({t.resnapshot.reason}): {t.resnapshot.chunksDone}/{t.resnapshot.chunksTotal} chunks</div>}
                </td>
                <td>
                  <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
                    <div style={{ width: `${share * 100}%` }} />
                  </div>
                  <span className="progress-label">{Math.round(share * 100)}%{left !== null && ` · ${formatDuration(left)} left`}</span>
                </td>
                <td className="num">{formatCount(t.rowsWritten)}</td>
                <td className="num" data-op="insert">{formatCount(t.events.insert ?? 0)}</td>
                <td className="num" data-op="update">{formatCount(t.events.update ?? 0)}</td>
                <td className="num" data-op="delete">{formatCount(t.events.delete ?? 0)}</td>
                {canOperate(me) && (
                  <td>
                    {!t.resnapshot && (
                      <button className="small secondary" disabled={busy} title="Copy this table again while the others stream on"
                        onClick={() => confirm(`Copy ${t.source} again? Its target is filled anew while the stream goes on.`) && act('resnapshot', { tables: [t.source] })}>
                        Copy again
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {tables.length > TABLE_PAGE && <Pager offset={tableOffset} total={shown.length} size={TABLE_PAGE} onChange={setTableOffset} />}
      <h2>Runs</h2>
      <table className="grid">
        <thead><tr><th>#</th><th>Cause</th><th>Started</th><th>Ended</th><th>Status</th><th className="num">Rows</th><th className="num">Events</th><th>Error</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td><td>{r.cause}{r.startedBy ? ` (${r.startedBy})` : ''}</td>
              <td>{new Date(r.startedAt).toLocaleString()}</td><td>{r.endedAt ? new Date(r.endedAt).toLocaleString() : ''}</td>
              <td>{r.status}</td><td className="num">{formatCount(r.rowsWritten)}</td><td className="num">{formatCount(r.events)}</td>
              <td className="error-text">{r.errorCode ? `${r.errorCode}: ${r.errorMessage}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Stat({ label, value, id }: { label: string; value: string; id?: string }) {
  return (
    <div className="stat" data-stat={id}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
