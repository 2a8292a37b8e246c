import { useEffect, useState } from 'react';
import { api, type AuditEvent } from '../lib/api';

export function Audit() {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [username, setUsername] = useState('');
  useEffect(() => {
    const q = `?limit=200${username ? `&username=${encodeURIComponent(username)}` : ''}`;
    api<AuditEvent[]>('/audit' + q).then(setEvents, () => setEvents([]));
  }, [username]);
  return (
    <section>
      <div className="title-row">
        <h1>Audit log</h1>
        <input type="search" aria-label="Filter by user" placeholder="user" value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <table className="grid">
        <thead><tr><th>When</th><th>User</th><th>From</th><th>Call</th><th>Status</th><th>Detail</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className={e.status >= 400 ? 'refused' : ''}>
              <td>{new Date(e.at).toLocaleString()}</td><td>{e.username}</td><td>{e.remoteAddress}</td>
              <td className="mono">{e.method} {e.path}</td><td>{e.status}</td><td>{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
