import { useEffect, useState, type FormEvent } from 'react';
import { useMe } from '../App';
import { api, ApiError, isAdmin, type Role, type Token, type User } from '../lib/api';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];
const problem = (e: unknown) => (e instanceof ApiError ? (e.problem.detail ?? e.message) : String(e));

/** Users (admin) and API tokens (everyone's own; an admin sees all). */
export function Users({ tokensOnly = false }: { tokensOnly?: boolean }) {
  const me = useMe();
  return (
    <section>
      {!tokensOnly && isAdmin(me) && <UserList />}
      <Tokens all={isAdmin(me) && !tokensOnly} />
    </section>
  );
}

function UserList() {
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role });
  const load = () => api<User[]>('/users').then(setUsers, (e) => setError(problem(e)));
  useEffect(() => { load(); }, []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api('/users', { body: form });
      setForm({ username: '', password: '', role: 'viewer' });
      load();
    } catch (err) { setError(problem(err)); }
  };
  const setRole = async (u: User, role: Role) => {
    try { await api(`/users/${encodeURIComponent(u.username)}`, { method: 'PUT', body: { role } }); load(); } catch (err) { setError(problem(err)); }
  };
  const remove = async (u: User) => {
    if (!confirm(`Delete user ${u.username}?`)) return;
    try { await api(`/users/${encodeURIComponent(u.username)}`, { method: 'DELETE' }); load(); } catch (err) { setError(problem(err)); }
  };

  return (
    <>
      <h1>Users</h1>
      {error && <p className="error" role="alert">{error}</p>}
      <table className="grid">
        <thead><tr><th>User</th><th>Role</th><th>Created</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>
                <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => setRole(u, e.target.value as Role)}>
                  {ROLES.map((r) => <option key={r}>{r}</option>)}
                </select>
              </td>
              <td>{new Date(u.createdAt).toLocaleString()}</td>
              <td><button className="small danger" onClick={() => remove(u)}>Delete</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card inline-form" onSubmit={create} aria-label="New user">
        <input aria-label="User name" placeholder="user name" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        <input aria-label="Password" placeholder="password (10+ characters)" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        <select aria-label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
        <button type="submit">Add user</button>
      </form>
    </>
  );
}

function Tokens({ all }: { all: boolean }) {
  const [tokens, setTokens] = useState<Token[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Token | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<Token[]>(`/tokens${all ? '?all=true' : ''}`).then(setTokens, (e) => setError(problem(e)));
  useEffect(() => { load(); }, [all]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try { setCreated(await api<Token>('/tokens', { body: { name } })); setName(''); load(); } catch (err) { setError(problem(err)); }
  };
  const revoke = async (t: Token) => {
    try { await api(`/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }); load(); } catch (err) { setError(problem(err)); }
  };

  return (
    <>
      <h1>API tokens</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {created && <div className="card ok-card">New token <b>{created.name}</b> (shown only now): <code>{created.token}</code></div>}
      <table className="grid">
        <thead><tr><th>Name</th>{all && <th>User</th>}<th>Created</th><th>Expires</th><th>Last used</th><th /></tr></thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>{all && <td>{t.username}</td>}
              <td>{new Date(t.createdAt).toLocaleString()}</td>
              <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleString() : 'never'}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : ''}</td>
              <td><button className="small danger" onClick={() => revoke(t)}>Revoke</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card inline-form" onSubmit={create} aria-label="New token">
        <input aria-label="Token name" placeholder="token name" value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit">Create token</button>
      </form>
    </>
  );
}
