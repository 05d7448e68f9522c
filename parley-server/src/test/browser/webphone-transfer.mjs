// Drives Parley's browser phone as three users in Debian's Chromium (one browser each, each a tone as its fake
// microphone) through a blind transfer (issue 7): A calls B, B answers, B types C's extension into "Transfer to" and
// presses Transfer (JsSIP sends REFER; Parley places the call to C with A's caller id), C's phone rings showing A,
// C answers, B's call ends, and A, who never left her call, now talks with C. Prints "RESULT <json>" with what it
// measured (getStats and FFT peaks of what A and C play). The page helpers are those of webphone.mjs.
// Used by parley-server's WebphoneTransferIT.
//
// Usage: node webphone-transfer.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI     base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only)
//   A_USER, A_PASSWORD, A_WAV; B_USER, B_PASSWORD, B_WAV, B_EXTENSION; C_USER, C_PASSWORD, C_WAV, C_EXTENSION
// Exit code 0 when the flow ran to its end (the Java test judges the numbers), 2 when a step failed.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const env = process.env;
if (!base || !shots || !env.PARLEY_SPKI || !env.A_USER || !env.B_USER || !env.C_USER || !env.B_EXTENSION
  || !env.C_EXTENSION) {
  console.error('usage: PARLEY_SPKI=... A_USER=... B_USER=... C_USER=... B_EXTENSION=... C_EXTENSION=... '
    + 'node webphone-transfer.mjs BASE_URL SHOTS_DIR');
  process.exit(64);
}
mkdirSync(shots, { recursive: true });
const STEP = 15_000;

// Test harness only (not in the product): keeps the page's RTCPeerConnections for getStats() and measures what
// the page plays — the dominant frequency of the remote audio every 100 ms (Web Audio FFT), as the test page does.
function harness() {
  window.__pcs = [];
  window.__peaks = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Original(...args);
    window.__pcs.push(pc);
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 8192;
      context.createMediaStreamSource(new MediaStream([event.track])).connect(analyser);
      context.resume();
      const bins = new Float32Array(analyser.frequencyBinCount);
      setInterval(() => {
        analyser.getFloatFrequencyData(bins);
        let best = 1;
        for (let i = 2; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
        window.__peaks.push({ t: Date.now(), hz: Math.round(best * context.sampleRate / analyser.fftSize),
          db: Math.round(bins[best]) });
      }, 100);
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Original);
}

async function stats(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs[window.__pcs.length - 1];
    if (!pc) return null;
    const out = { at: Date.now() };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.inbound = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          totalAudioEnergy: s.totalAudioEnergy, audioLevel: s.audioLevel, totalSamplesDuration: s.totalSamplesDuration };
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.outbound = { packetsSent: s.packetsSent };
      } else if (s.type === 'transport') {
        out.transport = { dtlsState: s.dtlsState, srtpCipher: s.srtpCipher };
      } else if (s.type === 'codec' && s.mimeType && s.mimeType.startsWith('audio/')) {
        out.codecs = (out.codecs ?? []).concat(s.mimeType);
      }
    });
    return out;
  });
}

/** Peaks the page measured since `since` (ms epoch). */
async function peaks(page, since) {
  return page.evaluate((t) => window.__peaks.filter((p) => p.t >= t).map((p) => p.hz), since);
}

async function open(name, wav, profiles, grantMicrophone = true) {
  const profile = mkdtempSync(join(tmpdir(), `parley-webphone-${name}-`));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 375, height: 720 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // without the fake UI, headless Chromium refuses the microphone as a user clicking "Block" would
      ...(grantMicrophone ? ['--use-fake-ui-for-media-stream'] : []),
      '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`,
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      `--ignore-certificate-errors-spki-list=${env.PARLEY_SPKI}`,
    ],
  });
  await context.addInitScript(harness);
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`${name} console: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`${name} pageerror: ${e.message}`));
  return { name, context, page };
}

async function signIn(phone, user, password, shot) {
  const { page } = phone;
  await page.goto(base + '/');
  await page.getByLabel('User name or email').waitFor({ timeout: STEP });
  if (shot) await page.screenshot({ path: join(shots, shot) });
  await page.getByLabel('User name or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-registration="registered"]').waitFor({ timeout: STEP });
  return page.evaluate(() => {
    const start = performance.getEntriesByName('parley:sign-in')[0].startTime;
    const m = performance.measure('parley:ready', 'parley:sign-in', 'parley:registered');
    // where the time went: the API requests, relative to the click (the rest is WSS + REGISTER with Digest)
    const requests = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/') && r.startTime >= start)
      .map((r) => `${new URL(r.name).pathname} ${Math.round(r.startTime - start)}+${Math.round(r.duration)} ms`);
    return { millis: Math.round(m.duration), requests };
  });
}

const result = { steps: [] };
const step = (what) => { result.steps.push(what); console.log(`step: ${what}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const profiles = [];
const phones = [];
let code = 2;
try {
  const a = await open('A', env.A_WAV, profiles);
  const b = await open('B', env.B_WAV, profiles);
  const c = await open('C', env.C_WAV, profiles);
  phones.push(a, b, c);
  await signIn(a, env.A_USER, env.A_PASSWORD, null);
  await signIn(b, env.B_USER, env.B_PASSWORD, null);
  await signIn(c, env.C_USER, env.C_PASSWORD, null);
  step('A, B and C registered');

  await a.page.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  const answeredAt = Date.now();
  const received = async (page) => (await stats(page))?.inbound?.packetsReceived ?? 0;
  while (!((await received(a.page)) > 0 && (await received(b.page)) > 0)) {
    if (Date.now() - answeredAt > STEP) throw new Error('no audio between A and B within 15 s of the answer');
    await sleep(100);
  }
  step('A and B talk');
  result.aPeersBefore = await a.page.evaluate(() => window.__pcs.length);

  // B transfers A to C: the call panel's Transfer field and button (JsSIP session.refer)
  await b.page.getByLabel('Transfer to').fill(env.C_EXTENSION);
  await b.page.screenshot({ path: join(shots, 'transfer.png') });
  const transferredAt = Date.now();
  await b.page.getByRole('button', { name: 'Transfer', exact: true }).click();
  await c.page.getByText('Incoming call').waitFor({ timeout: STEP });
  result.cRangMillis = Date.now() - transferredAt;
  result.cIncomingName = await c.page.locator('#peer-name').innerText();
  result.cIncomingNumber = await c.page.locator('.peer-number').innerText().catch(() => null);
  step(`C rings ${result.cRangMillis} ms after the transfer: ${result.cIncomingName} ${result.cIncomingNumber}`);
  await c.page.getByRole('button', { name: 'Answer' }).click();
  await c.page.getByText('In call').waitFor({ timeout: STEP });
  // Parley ends B's leg once C answered (after its NOTIFY 200): B's phone goes back to idle
  await b.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  result.bEndedMillis = Date.now() - transferredAt;
  result.bRegistration = await b.page.locator('[data-registration]').getAttribute('data-registration');
  step(`B's call ended ${result.bEndedMillis} ms after the transfer`);

  // A never left her call: once C's audio reaches her, 4 s of talk between A and C
  const cAnsweredAt = Date.now();
  while (!((await received(c.page)) > 0)) {
    if (Date.now() - cAnsweredAt > STEP) throw new Error('no audio reached C within 15 s of its answer');
    await sleep(100);
  }
  await sleep(1000);
  const talkStart = Date.now();
  const a0 = await stats(a.page);
  const c0 = await stats(c.page);
  await sleep(4000);
  result.talk = { a0, c0, a: await stats(a.page), c: await stats(c.page),
    aPeaks: await peaks(a.page, talkStart), cPeaks: await peaks(c.page, talkStart) };
  result.aStillInCall = await a.page.getByText('In call').isVisible();
  result.aPeersAfter = await a.page.evaluate(() => window.__pcs.length);
  await c.page.screenshot({ path: join(shots, 'transferred-in-call.png') });
  step('A and C talked 4 s');

  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await c.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step('A hung up, C idle');
  code = 0;
} catch (error) {
  result.error = error.message.split('\n')[0];
  console.log(`ERROR ${error.message}`);
  for (const phone of phones) {
    await phone.page.screenshot({ path: join(shots, `transfer-failure-${phone.name}.png`) }).catch(() => undefined);
  }
} finally {
  console.log(`RESULT ${JSON.stringify(result)}`);
  for (const phone of phones) await phone.context.close().catch(() => undefined);
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
