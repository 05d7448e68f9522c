// Live updates from GET /api/me/events (Server-Sent Events, session cookie only): the signed-in user's calls,
// everybody's presence and the user's settings when they change (in another tab, say). EventSource reconnects by
// itself after a drop (the server sends `retry: 5000`, and a failed attempt is retried the same way); a stream the
// server refuses (401: the session ended; 503: too many streams) is closed by the browser for good: the listener
// hears onClosed (the view then asks GET /api/me, whose 401 signs the page out) and the stream is opened again later.
import type { DirectoryEntry, Settings } from './api';

export interface CallEvent {
  id: string;
  /** held: a side put the answered call on hold (heldBy says which); answered again once resumed */
  state: 'ringing' | 'answered' | 'held' | 'ended';
  direction: 'incoming' | 'outgoing';
  from: string;
  to: string;
  outcome?: string;
  heldBy?: 'caller' | 'callee' | 'both';
}

export interface EventListener {
  onCall(event: CallEvent): void;
  onPresence(extension: string, presence: DirectoryEntry['presence']): void;
  onSettings(settings: Settings): void;
  /** true while the stream is open, false while the browser is reconnecting it */
  onOpen(open: boolean): void;
  /** the server refused the stream (the browser will not retry by itself) */
  onClosed?(): void;
}

/** How long a refused stream waits before it is opened again (a 503 asks for 30 s; a 401 ends the view sooner). */
const REOPEN_MS = 10_000;

export function listen(listener: EventListener): () => void {
  let source: EventSource | null = null;
  let reopen: number | undefined;
  let stopped = false;
  const parse = (e: Event) => {
    try {
      return JSON.parse((e as MessageEvent<string>).data);
    } catch {
      return null; // a frame we cannot read is skipped; the next snapshot corrects what it would have said
    }
  };
  const open = () => {
    const s = new EventSource('/api/me/events', { withCredentials: true });
    source = s;
    s.addEventListener('open', () => listener.onOpen(true));
    s.addEventListener('error', () => {
      listener.onOpen(false);
      if (s.readyState === EventSource.CLOSED && !stopped) {
        listener.onClosed?.();
        reopen = window.setTimeout(open, REOPEN_MS);
      }
    });
    s.addEventListener('call', (e) => {
      const data = parse(e);
      if (data) listener.onCall(data as CallEvent);
    });
    s.addEventListener('presence', (e) => {
      const data = parse(e);
      if (data?.extension && data.presence) listener.onPresence(String(data.extension), data.presence);
    });
    s.addEventListener('settings', (e) => {
      const data = parse(e);
      if (data) listener.onSettings(data as Settings);
    });
  };
  open();
  return () => {
    stopped = true;
    window.clearTimeout(reopen);
    source?.close();
  };
}
