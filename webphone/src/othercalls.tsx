// Call waiting: the user's other call, above the current one. A call that rings while the user talks shows who it
// is, with Answer (the current call goes on hold), End & answer, and Decline (486); a held call shows how long it
// has lasted and its own padlock, with Swap (hold the current call, resume this one) and End. The call panel below
// stays the current call's, with its own padlock and timer.
import { useEffect, useState } from 'preact/hooks';
import { api, type LiveCall } from './api';
import type { Call, Phone } from './phone';
import { Elapsed } from './callpanel';
import { Padlock } from './padlock';

/** The held call's padlock: its live call read once (a hold changes no leg's protection), by number and direction. */
function HeldPadlock({ call }: { call: Call }) {
  const [live, setLive] = useState<LiveCall | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.liveCalls().then((calls) => {
      if (!current) return;
      const found = calls.find((c) => (call.direction === 'outgoing' ? c.to : c.from) === call.number) ?? null;
      setLive(found);
      setProblem(found ? null : 'Encryption unknown: the server does not list this call.');
    }).catch(() => current && setProblem('Encryption unknown: the server did not answer.'));
    return () => { current = false; };
  }, [call.id]);
  return <Padlock call={live} problem={problem} id={`padlock-legs-${call.id}`} />;
}

function OtherCall({ call, phone, canSwap }: { call: Call; phone: Phone; canSwap: boolean }) {
  const who = call.name || call.number;
  const waiting = call.direction === 'incoming' && call.state === 'ringing';
  const label = waiting ? 'Call waiting' : call.held ? 'On hold' : call.state === 'active' ? 'Other call' : 'Calling…';
  return (
    <section class={`other-call ${waiting ? 'waiting' : 'held'}`} aria-label={`${label}: ${who}`}
      data-call-id={call.id}>
      <div class="other-main">
        <span class="other-state" role="status" aria-live="assertive">{label}</span>
        <strong class="other-peer">{who}</strong>
        <span class="muted other-detail">
          {call.name && <span class="other-number">{call.number}</span>}
          {call.name && call.answeredAt && ' · '}
          {call.answeredAt && <Elapsed since={call.answeredAt} />}
        </span>
        {!waiting && call.answeredAt && <HeldPadlock call={call} />}
      </div>
      {waiting ? (
        <div class="other-actions">
          <button type="button" class="small answer" onClick={() => phone.answer(call.id)}>Answer</button>
          <button type="button" class="small" onClick={() => phone.endAndAnswer(call.id)}>End &amp; answer</button>
          <button type="button" class="small hangup" onClick={() => phone.hangUp(call.id)}>Decline</button>
        </div>
      ) : (
        <div class="other-actions">
          <button type="button" class="small primary" disabled={!canSwap} onClick={() => phone.swap()}>Swap</button>
          <button type="button" class="small hangup" onClick={() => phone.hangUp(call.id)}>End</button>
        </div>
      )}
    </section>
  );
}

/** The calls besides the current one (at most one with call waiting). */
export function OtherCalls({ others, current, phone }: { others: Call[]; current: Call; phone: Phone }) {
  if (others.length === 0) return null;
  const canSwap = current.state === 'active';
  return (
    <div class="other-calls">
      {others.map((c) => <OtherCall key={c.id} call={c} phone={phone} canSwap={canSwap && c.state === 'active'} />)}
    </div>
  );
}
