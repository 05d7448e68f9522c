// Extensions (GET /api/directory: every extension with presence, patched live by the view) and recent calls
// (GET /api/me/calls, reloaded when a call ends; a row calls the other party back). When a server does not answer
// them the panel says so.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type CallLogEntry, type DirectoryEntry } from './api';

type Loaded<T> = { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'error'; message: string };

function useLoad<T>(load: () => Promise<T>, what: string, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    load().then((value) => live && setState({ kind: 'ok', value })).catch((e: unknown) => {
      if (!live) return;
      setState({ kind: 'error', message: e instanceof ApiFailure && e.missing
        ? `${what} are not available on this server yet.`
        : e instanceof Error ? e.message : `${what} could not be loaded.` });
    });
    return () => { live = false; };
  }, deps);
  return state;
}

export const PRESENCE: Record<DirectoryEntry['presence'], string> = {
  online: 'Online', busy: 'On a call', dnd: 'Do not disturb', offline: 'Offline',
};

export type Directory = { kind: 'loading' } | { kind: 'ok'; value: DirectoryEntry[] } | { kind: 'error'; message: string };

/** The other extensions (the user's own are left out), with live presence (kept current by /api/me/events). */
export function Extensions({ directory, onCall, own }: { directory: Directory; onCall: (n: string) => void; own: string[] }) {
  if (directory.kind === 'loading') return <p class="muted" role="status">Loading extensions…</p>;
  if (directory.kind === 'error') return <p class="muted" role="status">{directory.message}</p>;
  const others = directory.value.filter((e) => !own.includes(e.extension));
  if (others.length === 0) return <p class="muted">No other extensions yet.</p>;
  return (
    <ul class="list" aria-label="Extensions">
      {others.map((e) => (
        <li data-extension={e.extension} data-presence={e.presence}>
          <button type="button" class="row" onClick={() => onCall(e.extension)}
            aria-label={`Call ${e.displayName || e.extension}, extension ${e.extension}, ${PRESENCE[e.presence]}`}>
            <span class={`dot ${e.presence}`} aria-hidden="true" />
            <span class="row-main">
              <span class="row-title">{e.displayName || e.extension}</span>
              <span class="muted">{e.extension} · <span class={`presence ${e.presence}`}>{PRESENCE[e.presence] ?? e.presence}</span></span>
            </span>
            <span class="row-action" aria-hidden="true">Call</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function when(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

function length(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

const OUTCOME: Record<CallLogEntry['outcome'], string> = {
  answered: 'answered', missed: 'missed', busy: 'busy', failed: 'failed',
};

export function Recent({ onCall, version }: { onCall: (n: string) => void; version: number }) {
  const calls = useLoad(() => api.calls(50), 'Recent calls', [version]);
  if (calls.kind === 'loading') return <p class="muted" role="status">Loading recent calls…</p>;
  if (calls.kind === 'error') return <p class="muted" role="status">{calls.message}</p>;
  if (calls.value.length === 0) return <p class="muted">No calls yet.</p>;
  return (
    <ul class="list" aria-label="Recent calls">
      {calls.value.map((c) => {
        const other = c.direction === 'incoming' ? c.from : c.to;
        const name = (c.direction === 'incoming' ? c.fromName : c.toName) || other;
        const arrow = c.direction === 'incoming' ? '↙' : '↗';
        return (
          <li>
            <button type="button" class={`row ${c.outcome}`} onClick={() => onCall(other)}
              aria-label={`Call back ${name}: ${c.direction} call, ${OUTCOME[c.outcome]}, ${when(c.startedAt)}`}>
              <span class="arrow" aria-hidden="true">{arrow}</span>
              <span class="row-main">
                <span class="row-title">{name}</span>
                <span class="muted">
                  {c.direction} · {OUTCOME[c.outcome] ?? c.outcome}
                  {c.outcome === 'answered' ? ` · ${length(c.durationSeconds)}` : ''}
                </span>
              </span>
              <span class="row-end">
                <span class="muted row-time">{when(c.startedAt)}</span>
                {/* the whole row calls back; this says so where a thumb looks for it */}
                <span class="row-action" aria-hidden="true">Call back</span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
