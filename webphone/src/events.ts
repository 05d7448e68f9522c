// Live updates from GET /api/me/events (Server-Sent Events, session cookie only): the signed-in user's calls,
// everybody's presence and the user's settings when they change (in another tab, say). EventSource reconnects by
// itself after a drop (the server sends `retry`); a stream the server refuses (401: the session ended) stays closed.
import type { DirectoryEntry, Settings } from './api';

export interface CallEvent {
  id: string;
  state: 'ringing' | 'answered' | 'ended';
  direction: 'incoming' | 'outgoing';
  from: string;
  to: string;
  outcome?: string;
}

export interface EventListener {
  onCall(event: CallEvent): void;
  onPresence(extension: string, presence: DirectoryEntry['presence']): void;
  onSettings(settings: Settings): void;
  /** true while the stream is open, false while the browser is reconnecting it */
  onOpen(open: boolean): void;
}

export function listen(listener: EventListener): () => void {
  const source = new EventSource('/api/me/events', { withCredentials: true });
  const parse = (e: Event) => {
    try {
      return JSON.parse((e as MessageEvent<string>).data);
    } catch {
      return null; // a frame we cannot read is skipped; the next snapshot corrects what it would have said
    }
  };
  source.addEventListener('open', () => listener.onOpen(true));
  source.addEventListener('error', () => listener.onOpen(false));
  source.addEventListener('call', (e) => {
    const data = parse(e);
    if (data) listener.onCall(data as CallEvent);
  });
  source.addEventListener('presence', (e) => {
    const data = parse(e);
    if (data?.extension && data.presence) listener.onPresence(String(data.extension), data.presence);
  });
  source.addEventListener('settings', (e) => {
    const data = parse(e);
    if (data) listener.onSettings(data as Settings);
  });
  return () => source.close();
}
