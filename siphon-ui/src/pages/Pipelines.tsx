import { useEffect, useState } from 'react';
import { useMe } from '../App';
import { api, canOperate, type Pipeline, type Status } from '../lib/api';
import { formatCount } from '../lib/format';
import { useEvents } from '../lib/live';
import { Link } from '../lib/router';
import { StateBadge } from '../components/StateBadge';

export function Pipelines() {
  const me = useMe();
  const [pipelines, setPipelines] = useState<Pipeline[] | null>(null);
  const [live, setLive] = useState<Record<string, Status>>({});
  useEffect(() => {
    api<Pipeline[]>('/pipelines').then(setPipelines, () => setPipelines([]));
  }, []);
  useEvents<Status[]>('/events', 'pipelines', (all) => {
    setLive(Object.fromEntries(all.map((s) => [s.name, s])));
    setPipelines((ps) => {
      const known = new Set((ps ?? []).map((p) => p.name));
      return all.some((s) => !known.has(s.name)) ? (api<Pipeline[]>('/pipelines').then(setPipelines), ps) : ps;
    });
  });

  return (
    <section>
      <div className="title-row">
        <h1>Pipelines</h1>
        {canOperate(me) && <Link to="/pipelines/new" className="button">New pipeline</Link>}
      </div>
      {pipelines === null ? <p>Loading…</p> : pipelines.length === 0 ? (
        <p className="empty">No pipelines yet.{canOperate(me) && ' Draw one with New pipeline.'}</p>
      ) : (
        <table className="grid">
          <thead><tr><th>Name</th><th>State</th><th>Phase</th><th className="num">Rows written</th><th className="num">Events/s</th><th className="num">Lag p99</th><th>Last error</th></tr></thead>
          <tbody>
            {pipelines.map((p) => {
              const s = live[p.name];
              const spec = p.spec as { source?: { connection?: string }; sink?: { connection?: string }; mode?: string; nodes?: unknown[] };
              return (
                <tr key={p.name} data-pipeline={p.name}>
                  <td><Link to={`/pipelines/${encodeURIComponent(p.name)}`}><b>{p.name}</b></Link>
                    <div className="muted">{spec.nodes ? `graph of ${spec.nodes.length} nodes` : `${spec.source?.connection} → ${spec.sink?.connection}`} · {spec.mode}</div></td>
                  <td><StateBadge state={s?.state ?? p.state} /></td>
                  <td>{s?.phase ?? ''}</td>
                  <td className="num">{s ? formatCount(s.rowsWritten) : ''}</td>
                  <td className="num">{s?.stream ? formatCount(s.stream.eventsPerSecond) : ''}</td>
                  <td className="num">{s?.stream ? `${s.stream.latencyP99Millis} ms` : ''}</td>
                  <td className="error-text">{(s?.lastError ?? p.lastError)?.message ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
