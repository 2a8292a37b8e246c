// Server-Sent Events from the API. The browser reconnects by itself after a network error; a
// refused stream (the session ended) closes it, and /auth/me then sends the app to sign-in.
import { useEffect } from 'react';
import { api } from './api';

export function useEvents<T>(path: string | null, event: string, onData: (data: T) => void) {
  useEffect(() => {
    if (!path) return;
    const source = new EventSource('/api/v1' + path, { withCredentials: true });
    const listener = (e: MessageEvent) => onData(JSON.parse(e.data) as T);
    source.addEventListener(event, listener);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) api('/auth/me').catch(() => undefined);
    };
    return () => source.close();
    // onData is read through the closure of each render's listener; resubscribing on it would
    // reopen the stream every render.
  }, [path, event]);
}
