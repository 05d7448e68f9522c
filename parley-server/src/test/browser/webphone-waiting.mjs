// Drives Parley's browser phone through call waiting, as three users in Debian's Chromium (one browser each, a tone
// as each one's fake microphone): B calls A and A answers; C calls A: A's phone shows C waiting with the soft call
// waiting tone (not the ringtone), A answers C and B goes on hold (a real re-INVITE a=sendonly: B's browser answers
// recvonly and stops sending), A and C talk; Swap: A and B talk again, C is held; A ends C's call from its card, only
// B remains; C calls again and A declines (486); C calls and hangs up just as A answers (the 200 crosses the
// CANCEL): C's phone ends the call with ACK + BYE; C calls again, A answers and hangs C up: B's call is current and
// held until A presses Resume; C calls once more and A presses End & answer: B's call ends and A talks with C; A
// hangs up. Then A turns call waiting off in the settings (PUT /api/me/settings), calls B, and C's call
// is refused busy by Parley while A's phone shows nothing. Prints "RESULT <json>" with what it measured: getStats()
// of each call's peer connection, the FFT peaks of what each call plays, the FFT of what A's page plays through Web
// Audio (ringtone, call waiting tone) and the SDP directions. The Java test (WebphoneWaitingIT) judges the numbers.
//
// Usage: node webphone-waiting.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI; A_USER, A_PASSWORD, A_WAV, A_EXTENSION; B_USER, B_PASSWORD, B_WAV, B_EXTENSION; C_USER, C_PASSWORD,
//   C_WAV
import { parseArgs, runDriver, launchChromium, signIn, screenshot, STEP, sleep } from './webphone-page.mjs';

const { env } = parseArgs('webphone-waiting.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'A_EXTENSION', 'B_USER',
  'B_PASSWORD', 'B_WAV', 'B_EXTENSION', 'C_USER', 'C_PASSWORD', 'C_WAV']);
const TALK = 3000;

// Added after the shared harness (webphone-page.mjs), test code only: the dominant frequency of each peer
// connection's remote audio apart (window.__pcs index), and of what the page itself plays through Web Audio (the
// ringtone and the call waiting tone are oscillators connected to an AudioContext's destination): every 100 ms the
// peak bin and the levels at 440 and 480 Hz.
function waitingHarness() {
  // SIP over the WebSocket: while window.__holdInvite200 is set, a 200 to an INVITE is held back (in order) until
  // window.__releaseInvite200() — the way to make Parley's answer cross the caller's CANCEL every time
  const NativeWebSocket = window.WebSocket;
  const held = [];
  window.__releaseInvite200 = () => {
    window.__holdInvite200 = false;
    for (const deliver of held.splice(0)) deliver();
  };
  window.WebSocket = function (url, protocols) {
    const ws = new NativeWebSocket(url, protocols);
    let handler = null;
    Object.defineProperty(ws, 'onmessage', { get: () => handler, set: (h) => { handler = h; } });
    ws.addEventListener('message', (event) => {
      const deliver = () => handler?.call(ws, event);
      if (window.__holdInvite200 && typeof event.data === 'string' && /^SIP\/2\.0 200 /.test(event.data)
        && /\r\nCSeq:\s*\d+ INVITE\r\n/i.test(event.data)) {
        window.__heldInvite200 ??= Date.now();
        held.push(deliver);
      } else {
        deliver();
      }
    });
    return ws;
  };
  window.WebSocket.prototype = NativeWebSocket.prototype;
  Object.setPrototypeOf(window.WebSocket, NativeWebSocket);

  window.__callPeaks = [];
  window.__played = [];
  const pcs = window.__pcs;
  pcs.push = function (pc) {
    const index = this.length;
    Array.prototype.push.call(this, pc);
    pc.addEventListener('track', (event) => {
      // webphone-page.mjs's harness (added first) has the FFT
      if (event.track.kind !== 'audio') return;
      window.__trackPeaks(event.track, (peak) => window.__callPeaks.push({ pc: index, ...peak }));
    });
    return this.length;
  };
  const connect = AudioNode.prototype.connect;
  const analysers = new Map();
  AudioNode.prototype.connect = function (target, ...rest) {
    const out = connect.call(this, target, ...rest);
    if (target instanceof AudioDestinationNode) {
      const context = target.context;
      let analyser = analysers.get(context);
      if (!analyser) {
        analyser = context.createAnalyser();
        analyser.fftSize = 8192;
        analyser.smoothingTimeConstant = 0;
        analysers.set(context, analyser);
        const id = analysers.size;
        const bins = new Float32Array(analyser.frequencyBinCount);
        const bin = (hz) => Math.round(hz * 8192 / context.sampleRate);
        setInterval(() => {
          analyser.getFloatFrequencyData(bins);
          let best = 1;
          for (let i = 2; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
          // silence is -Infinity dB (JSON null): floor it at -200
          const db = (x) => Math.max(-200, Math.round(x));
          window.__played.push({ ctx: id, t: Date.now(), hz: Math.round(best * context.sampleRate / 8192),
            db: db(bins[best]), db440: db(bins[bin(440)]), db480: db(bins[bin(480)]) });
        }, 100);
      }
      connect.call(this, analyser);
    }
    return out;
  };
}

/** getStats() of peer connection `index` (-1: the newest) of the page, and its audio's negotiated direction. */
async function callStats(page, index) {
  return page.evaluate(async (i) => {
    const pc = window.__pcs.at(i);
    if (!pc || pc.signalingState === 'closed') return { closed: true };
    const out = { at: Date.now(), direction: pc.getTransceivers()[0]?.currentDirection ?? null };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.packetsReceived = s.packetsReceived;
        out.energy = s.totalAudioEnergy;
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.packetsSent = s.packetsSent;
      } else if (s.type === 'transport') {
        out.dtlsState = s.dtlsState;
      }
    });
    return out;
  }, index);
}

/** Over `ms` of talk, for each [name, page, pc index]: packets received and sent, energy, direction, FFT peaks. */
async function measure(calls, ms) {
  const before = await Promise.all(calls.map(([, page, i]) => callStats(page, i)));
  const from = Date.now();
  await sleep(ms);
  const out = {};
  for (const [k, [name, page, i]] of calls.entries()) {
    const after = await callStats(page, i);
    const peaks = await page.evaluate(([pc, t]) => {
      const index = pc < 0 ? window.__pcs.length + pc : pc;
      return window.__callPeaks.filter((p) => p.pc === index && p.t >= t).map((p) => p.hz);
    }, [i, from]);
    out[name] = { received: (after.packetsReceived ?? 0) - (before[k].packetsReceived ?? 0),
      sent: (after.packetsSent ?? 0) - (before[k].packetsSent ?? 0),
      energy: (after.energy ?? 0) - (before[k].energy ?? 0), direction: after.direction ?? null,
      dtlsState: after.dtlsState ?? null, peaks };
  }
  return out;
}

/** What A's page played through Web Audio between `from` and `to` (ms epoch). */
async function played(page, from, to) {
  return page.evaluate(([f, t]) => window.__played.filter((p) => p.t >= f && p.t <= t), [from, to]);
}

/** Waits for `test` (async) to be true, polling every 100 ms; throws `what` after `timeout`. */
async function until(test, what, timeout = STEP) {
  const start = Date.now();
  while (!(await test())) {
    if (Date.now() - start > timeout) throw new Error(`${what} within ${timeout / 1000} s`);
    await sleep(100);
  }
  return Date.now() - start;
}

const idle = (phone) => phone.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
const dial = async (phone, number) => {
  await phone.page.getByLabel('Number or extension').fill(number);
  await phone.page.getByRole('button', { name: 'Call', exact: true }).click();
};

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV });
  const b = await launchChromium('B', { wav: env.B_WAV });
  const c = await launchChromium('C', { wav: env.C_WAV });
  for (const p of [a, b, c]) await p.context.addInitScript(waitingHarness);
  await signIn(a.page, env.A_USER, env.A_PASSWORD);
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  await signIn(c.page, env.C_USER, env.C_PASSWORD);
  step('A, B and C registered');

  // B calls A: A's ringtone, measured as what the waiting tone must not be
  const ringFrom = Date.now();
  await dial(b, env.A_EXTENSION);
  await a.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await sleep(2500);
  result.ringtone = await played(a.page, ringFrom, Date.now());
  await a.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await until(async () => (await callStats(a.page, 0)).packetsReceived > 0
    && (await callStats(b.page, 0)).packetsReceived > 0, 'no audio between A and B');
  step('B called A, A answered, audio both ways');

  // alice's call events as her event stream sends them (a stream of the test's own, beside the phone's)
  await a.page.evaluate(() => {
    window.__callEvents = [];
    new EventSource('/api/me/events').addEventListener('call', (e) => window.__callEvents.push(JSON.parse(e.data)));
  });

  // C calls A while A talks with B: call waiting
  const waitFrom = Date.now();
  await dial(c, env.A_EXTENSION);
  const card = a.page.locator('.other-call.waiting');
  await card.waitFor({ timeout: STEP });
  result.waitingCard = await card.innerText();
  // alice's card can show before carol's page has taken Parley's 180 (both race on a loaded machine): give it time,
  // the assertion still reads what her page says
  await c.page.locator('.call-state', { hasText: 'Ringing' }).waitFor({ timeout: 5000 }).catch(() => {});
  result.cWhileWaiting = await c.page.locator('.call-state').innerText();
  result.aPanelWhileWaiting = await a.page.locator('.call-panel').innerText();
  // A and B still talk while C waits
  result.talkWhileWaiting = await measure([['aFromB', a.page, 0], ['bFromA', b.page, 0]], 2500);
  result.waitingTone = await played(a.page, waitFrom, Date.now());
  await screenshot(a.page, 'call-waiting.png');
  step(`C waits at A: "${result.waitingCard.replace(/\n/g, ' | ')}"`);

  // A answers C: B goes on hold (re-INVITE a=sendonly through Parley), A and C talk
  await card.getByRole('button', { name: 'Answer', exact: true }).click();
  await c.page.getByText('In call').waitFor({ timeout: STEP });
  await a.page.locator('.other-call.held').waitFor({ timeout: STEP });
  await until(async () => (await callStats(a.page, 1)).packetsReceived > 0
    && (await callStats(c.page, 0)).packetsReceived > 0, 'no audio between A and C');
  await until(async () => (await callStats(b.page, 0)).direction === 'recvonly', 'B not held (recvonly)');
  await sleep(500);
  result.cAnswered = await measure([['aFromC', a.page, 1], ['cFromA', c.page, 0], ['aFromB', a.page, 0],
    ['bFromA', b.page, 0]], TALK);
  result.heldCard = await a.page.locator('.other-call.held').innerText();
  // the held call's card has its own padlock (read from the live calls API)
  const heldPadlock = a.page.locator('.other-call.held button.padlock');
  await heldPadlock.waitFor({ timeout: 10000 });
  result.heldPadlock = { encrypted: await heldPadlock.getAttribute('data-encrypted'),
    text: await heldPadlock.innerText() };
  await heldPadlock.click();
  result.heldPadlockLegs = await a.page.locator('.other-call.held .padlock-legs').innerText({ timeout: 5000 });
  await heldPadlock.click(); // closed again for the screenshot
  result.bStateWhileHeld = await b.page.locator('.call-state').innerText();
  const live = (page) => page.evaluate(async () => (await (await fetch('/api/me/calls/live')).json()).calls
    .map((c) => ({ from: c.from, to: c.to, state: c.state, heldBy: c.heldBy, encrypted: c.encrypted })));
  result.liveWithC = await live(a.page);
  result.bobLiveHeld = await live(b.page);
  result.aPanelWithC = await a.page.locator('.call-panel').innerText();
  result.playedAfterAnswer = await played(a.page, Date.now() - TALK, Date.now());
  await screenshot(a.page, 'call-waiting-answered.png');
  step(`A answered C, B held: "${result.heldCard.replace(/\n/g, ' | ')}"`);

  // Swap: C on hold, B resumed
  await a.page.getByRole('button', { name: 'Swap' }).click();
  await until(async () => (await callStats(c.page, 0)).direction === 'recvonly'
    && (await callStats(b.page, 0)).direction === 'sendrecv', 'swap (C recvonly, B sendrecv)');
  await sleep(500);
  result.swapped = await measure([['aFromB', a.page, 0], ['bFromA', b.page, 0], ['aFromC', a.page, 1],
    ['cFromA', c.page, 0]], TALK);
  result.heldCardAfterSwap = await a.page.locator('.other-call.held').innerText();
  result.liveAfterSwap = await live(a.page);
  result.aCallEvents = await a.page.evaluate(() => window.__callEvents
    .map((e) => ({ from: e.from, to: e.to, state: e.state, heldBy: e.heldBy ?? null })));
  result.bStateAfterSwap = await b.page.locator('.call-state').innerText();
  result.cStateWhileHeld = await c.page.locator('.call-state').innerText();
  result.aPanelAfterSwap = await a.page.locator('.call-panel').innerText();
  await screenshot(a.page, 'call-waiting-swapped.png');
  step(`swapped: "${result.heldCardAfterSwap.replace(/\n/g, ' | ')}"`);

  // A ends C's (held) call from its card: C's phone goes idle, only B remains
  await a.page.locator('.other-call.held').getByRole('button', { name: 'End' }).click();
  await idle(c);
  await a.page.locator('.other-call').waitFor({ state: 'detached', timeout: STEP });
  result.aPanelAfterEndC = await a.page.locator('.call-panel').innerText();
  result.afterEndC = await measure([['aFromB', a.page, 0], ['bFromA', b.page, 0]], 2000);
  step('A ended C; A and B still talk');

  // C calls again and A declines the waiting call (486): C is told busy, A and B go on
  await dial(c, env.A_EXTENSION);
  await card.waitFor({ timeout: STEP });
  await card.getByRole('button', { name: 'Decline' }).click();
  await c.page.locator('.banner').waitFor({ timeout: STEP });
  result.declinedBanner = await c.page.locator('.banner').innerText();
  await a.page.locator('.other-call').waitFor({ state: 'detached', timeout: STEP });
  result.aPanelAfterDecline = await a.page.locator('.call-panel').innerText();
  step(`A declined C's waiting call: C told "${result.declinedBanner}"`);

  // C gives up just as A answers: Parley's 200 crosses C's CANCEL (held back in C's page until C has hung up, so
  // it crosses every time). The CANCEL comes too late to matter (RFC 3261 §9.1); C's phone must ACK the 200 and
  // send BYE, so A's call with C ends at once and B's, held, is current again (not a silent call for 32 s)
  await dial(c, env.A_EXTENSION);
  await card.waitFor({ timeout: STEP });
  await c.page.getByText('Ringing').waitFor({ timeout: STEP });
  await c.page.evaluate(() => { window.__holdInvite200 = true; });
  await card.getByRole('button', { name: 'Answer', exact: true }).click();
  await c.page.waitForFunction(() => window.__heldInvite200 !== undefined, null, { timeout: STEP });
  await c.page.getByRole('button', { name: 'Hang up' }).click();
  const crossedAt = Date.now();
  await c.page.evaluate(() => window.__releaseInvite200());
  await idle(c);
  await a.page.locator('.other-call').waitFor({ state: 'detached', timeout: 10_000 });
  result.crossedEndMillis = Date.now() - crossedAt;
  result.aPanelAfterCrossing = await a.page.locator('.call-panel').innerText();
  step(`C hung up as A answered: A's call with C ended ${result.crossedEndMillis} ms later`);

  // C calls again, A answers (B held) and hangs C up: B's call is current again, still held until A resumes it
  await dial(c, env.A_EXTENSION);
  await card.waitFor({ timeout: STEP });
  await card.getByRole('button', { name: 'Answer', exact: true }).click();
  await c.page.getByText('In call').waitFor({ timeout: STEP });
  await until(async () => (await callStats(b.page, 0)).direction === 'recvonly', 'B not held again');
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await idle(c);
  await a.page.locator('.other-call').waitFor({ state: 'detached', timeout: STEP });
  result.aPanelHeldCurrent = await a.page.locator('.call-panel').innerText();
  await screenshot(a.page, 'call-waiting-held-current.png');
  result.heldCurrent = await measure([['aFromB', a.page, 0], ['bFromA', b.page, 0]], 1500);
  await a.page.getByRole('button', { name: 'Resume' }).click();
  await until(async () => (await callStats(b.page, 0)).direction === 'sendrecv', 'B not resumed');
  await sleep(300);
  result.resumed = await measure([['aFromB', a.page, 0], ['bFromA', b.page, 0]], 2000);
  step('A answered C, hung C up, B still held until Resume, then A and B talk');

  // and once more: End & answer ends B's call and answers C
  await dial(c, env.A_EXTENSION);
  await card.waitFor({ timeout: STEP });
  await card.getByRole('button', { name: 'End & answer' }).click();
  await idle(b);
  await c.page.getByText('In call').waitFor({ timeout: STEP });
  await until(async () => (await callStats(a.page, -1)).packetsReceived > 0
    && (await callStats(c.page, -1)).packetsReceived > 0, 'no audio between A and C after End & answer');
  result.endAndAnswer = await measure([['aFromC', a.page, -1], ['cFromA', c.page, -1]], 2000);
  result.aPanelAfterEndAndAnswer = await a.page.locator('.call-panel').innerText();
  result.aOtherCallsAfterEndAndAnswer = await a.page.locator('.other-call').count();
  step('End & answer: B idle, A and C talk');
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await idle(a);
  await idle(c);
  step('A hung up');

  // call waiting off in A's settings: Parley refuses C with 486 while A is on a call
  await a.page.getByRole('tab', { name: 'Settings' }).click();
  const waiting = a.page.getByLabel('Call waiting');
  await waiting.waitFor({ timeout: STEP });
  const saved = a.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
    { timeout: STEP });
  await waiting.uncheck();
  result.offSaveStatus = (await saved).status();
  result.offSaved = await a.page.evaluate(async () => (await (await fetch('/api/me/settings')).json()).callWaiting);
  await a.page.getByRole('tab', { name: 'Keypad' }).click();
  await dial(a, env.B_EXTENSION);
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  const pcsBefore = await a.page.evaluate(() => window.__pcs.length);
  const offFrom = Date.now();
  await dial(c, env.A_EXTENSION);
  await c.page.locator('.banner').waitFor({ timeout: STEP });
  result.offBusyBanner = await c.page.locator('.banner').innerText();
  await sleep(1000);
  result.offWaitingCards = await a.page.locator('.other-call').count();
  result.offNewPeerConnections = await a.page.evaluate(() => window.__pcs.length) - pcsBefore;
  result.offPlayed = await played(a.page, offFrom, Date.now());
  await screenshot(c.page, 'call-waiting-off-busy.png');
  step(`call waiting off: C told "${result.offBusyBanner}", A's cards ${result.offWaitingCards}`);
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await idle(a);
  await idle(b);

  // A's call log: the two calls of the first part, the call to B and C's missed call
  await a.page.getByRole('tab', { name: 'Recent' }).click();
  await until(async () => (await a.page.locator('[aria-label="Recent calls"] li').count()) >= 8,
    'A\'s recent calls did not list 8 calls', 10_000).catch(() => undefined);
  result.aRecent = await a.page.locator('[role=tabpanel]').innerText();
  await screenshot(a.page, 'call-waiting-recent.png');
  step('done');
});
