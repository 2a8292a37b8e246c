import { useState, type FormEvent } from 'react';
import { api, ApiError, type Me } from '../lib/api';

export function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<Me>('/auth/login', { body: { username, password } }));
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : null;
      setError(p?.status === 401 ? 'Wrong user name or password.' : (p?.detail ?? String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Siphon</h1>
        <label>
          User name
          <input name="username" autoComplete="username" autoFocus value={username}
            onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Sign in</button>
      </form>
    </div>
  );
}
