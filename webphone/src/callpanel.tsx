// The call in progress: who, its state and duration; answer/decline while an incoming call rings (answer with video
// when its offer has video); in the call mute, hold/resume, a DTMF key pad, video on/off (videopanel.tsx), blind
// transfer (REFER, done by Parley) and hang up.
import { useEffect, useState } from 'preact/hooks';
import type { Call, Phone } from './phone';
import { Keys } from './keypad';
import type { LiveCall } from './api';
import { Padlock } from './padlock';
import { AnswerWithVideo, VideoButton, VideoPanel } from './videopanel';

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(s / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${mm}:${ss}`;
}

export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  return <span class="elapsed" aria-label="Call duration">{duration(now - since)}</span>;
}

function stateText(call: Call): string {
  if (call.direction === 'incoming' && call.state === 'ringing') return 'Incoming call';
  if (call.state === 'calling') return 'Calling…';
  if (call.state === 'early') return 'Ringing…';
  if (call.held) return 'On hold';
  if (call.remoteHeld) return 'Held by the other side';
  return 'In call';
}

export function CallPanel({ call, phone, live, liveProblem }:
  { call: Call; phone: Phone; live?: LiveCall | null; liveProblem?: string | null }) {
  const [keys, setKeys] = useState(false);
  const [sent, setSent] = useState('');
  const [transferTo, setTransferTo] = useState('');
  const [transferring, setTransferring] = useState(false);
  const ringing = call.direction === 'incoming' && call.state === 'ringing';
  const active = call.state === 'active';
  // autofocus acts once a document (the sign-in form used it): a ringing call gives Answer the focus itself, so
  // Enter answers from the keyboard
  useEffect(() => {
    if (ringing) document.querySelector<HTMLButtonElement>('.call-panel .actions button.answer')?.focus();
  }, [ringing]);
  return (
    <main class={`call-panel ${ringing ? 'ringing' : ''}`} aria-labelledby="peer-name">
      <p class="call-state" role="status" aria-live="assertive">{stateText(call)}</p>
      <h2 id="peer-name" class="peer">{call.name || call.number}</h2>
      {call.name && <p class="muted peer-number">{call.number}</p>}
      {active && call.answeredAt && <Elapsed since={call.answeredAt} />}
      {active && <Padlock call={live ?? null} problem={liveProblem ?? null} />}
      {ringing ? (
        <>
          <AnswerWithVideo phone={phone} />
          <div class="actions two">
            <button type="button" class="answer" onClick={() => phone.answer()} autofocus>
              {phone.video()?.snapshot().offered ? 'Answer audio only' : 'Answer'}</button>
            <button type="button" class="hangup" onClick={() => phone.hangUp()}>Decline</button>
          </div>
        </>
      ) : (
        <>
          <VideoPanel phone={phone} />
          <div class="actions three">
            <button type="button" class={call.muted ? 'toggle on' : 'toggle'} aria-pressed={call.muted}
              disabled={!active} onClick={() => phone.toggleMute()}>{call.muted ? 'Unmute' : 'Mute'}</button>
            <button type="button" class={call.held ? 'toggle on' : 'toggle'} aria-pressed={call.held}
              disabled={!active} onClick={() => phone.toggleHold()}>{call.held ? 'Resume' : 'Hold'}</button>
            <button type="button" class={keys ? 'toggle on' : 'toggle'} aria-pressed={keys} aria-controls="dtmf"
              disabled={!active} onClick={() => setKeys(!keys)}>Keypad</button>
            <VideoButton call={call} phone={phone} />
          </div>
          {keys && active && (
            <div id="dtmf">
              <p class="dtmf-sent" aria-live="polite">{sent || '\u00a0'}</p>
              <Keys label="Send tones" onKey={(k) => { phone.sendDtmf(k); setSent(sent + k); }} />
            </div>
          )}
          {active && (
            <form class="transfer" onSubmit={(e) => {
              e.preventDefault();
              if (phone.transfer(transferTo, () => setTransferring(false))) setTransferring(true);
            }}>
              <input aria-label="Transfer to" placeholder="Transfer to number" inputMode="tel" autocomplete="off"
                value={transferTo}
                onInput={(e) => setTransferTo((e.target as HTMLInputElement).value)} />
              <button type="submit" disabled={!transferTo.trim() || transferring}>
                {transferring ? 'Transferring…' : 'Transfer'}</button>
            </form>
          )}
          <div class="actions one">
            <button type="button" class="hangup" onClick={() => phone.hangUp()}>Hang up</button>
          </div>
        </>
      )}
    </main>
  );
}
