// The padlock: whether every leg of the call is encrypted, as Parley sees it (GET /api/me/calls/live). A leg is
// encrypted only when its signalling is TLS or WSS and its media SRTP (SDES or DTLS-SRTP); the server decides, the
// phone only shows it. A click (or Enter/Space: it is a button) tells which leg is not, and why.
import { useState } from 'preact/hooks';
import type { LiveCall, LiveLeg } from './api';

const TRANSPORT: Record<LiveLeg['transport'], string> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', wss: 'secure WebSocket' };
const MEDIA: Record<LiveLeg['media'], string> = {
  rtp: 'plain RTP', 'srtp-sdes': 'SRTP (SDES)', 'dtls-srtp': 'SRTP (DTLS)', none: 'no media yet',
};

/** "Bob Stone's browser phone (102)", "Bob Stone's phone (102, desk-bob)" for a leg of the call. */
function whose(call: LiveCall, leg: LiveLeg): string {
  const side = leg.party === 'caller';
  const name = leg.user || (side ? call.fromName || call.from : call.toName || call.to);
  const number = leg.extension || (side ? call.from : call.to);
  // a browser phone's device name (web-…) is generated per session: it means nothing to a user
  if (leg.browserPhone) return `${name}'s browser phone (${number})`;
  const device = leg.endpoint && leg.endpoint !== number ? `, ${leg.endpoint}` : '';
  return `${name}'s phone (${number}${device})`;
}

/** "plain RTP over UDP": what is not protected on this leg. */
export function why(leg: LiveLeg): string {
  const media = MEDIA[leg.media] ?? leg.media;
  const transport = TRANSPORT[leg.transport] ?? leg.transport;
  return `${media} over ${transport}`;
}

/** id: the legs list's element id, one per padlock on the page (the held call's card has its own). */
export function Padlock({ call, problem, id = 'padlock-legs' }:
  { call: LiveCall | null; problem: string | null; id?: string }) {
  const [open, setOpen] = useState(false);
  if (!call) {
    return <p class="padlock unknown muted" data-encrypted="unknown">{problem ?? 'Checking encryption…'}</p>;
  }
  const legs = call.legs;
  const text = call.encrypted ? 'Encrypted on every leg' : 'Not encrypted on every leg';
  return (
    <div class="padlock-box">
      <button type="button" class={`padlock ${call.encrypted ? 'secure' : 'insecure'}`} aria-expanded={open}
        aria-controls={id} data-encrypted={String(call.encrypted)} onClick={() => setOpen(!open)}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
          <path d={call.encrypted ? 'M5 7V5a3 3 0 0 1 6 0v2' : 'M5 7V5a3 3 0 0 1 6 0'} fill="none"
            stroke="currentColor" stroke-width="1.6" transform={call.encrypted ? undefined : 'translate(3 -1)'} />
        </svg>
        {text}
      </button>
      {open && (
        <ul id={id} class="padlock-legs" aria-label="Legs of this call">
          {legs.map((leg) => (
            <li class={leg.encrypted ? 'secure' : 'insecure'}>
              {whose(call, leg)}: {leg.encrypted ? `encrypted (${why(leg)})` : why(leg)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
