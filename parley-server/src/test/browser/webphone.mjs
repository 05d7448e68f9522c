// Drives Parley's browser phone (webphone/, served by the Parley under test at /) as two users in Debian's Chromium,
// one browser each (each its own fake microphone: a tone), through the whole first-slice flow: sign in, register,
// A calls B, B sees A's name and answers, audio both ways, hold/resume, mute/unmute, hang up. Saves screenshots of
// the main views (375 px wide, a phone-sized screen) and prints one line "RESULT <json>" with what it measured.
// Used by parley-server's WebphoneIT.
//
// Usage: node webphone.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI     base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only)
//   A_USER, A_PASSWORD, A_WAV   the caller's Parley account and microphone
//   B_USER, B_PASSWORD, B_WAV, B_EXTENSION   the callee's, and the extension A dials
//   C_EXTENSION (an extension nobody is registered on), UNKNOWN_NUMBER (no such extension): optional, A dials them
//   C_USER, C_PASSWORD: optional, that extension's user, who signs in last in a browser that refuses the microphone
// Exit code 0 when the flow ran to its end (the Java test judges the numbers), 2 when a step failed.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const env = process.env;
if (!base || !shots || !env.PARLEY_SPKI || !env.A_USER || !env.B_USER || !env.B_EXTENSION) {
  console.error('usage: PARLEY_SPKI=... A_USER=... B_USER=... B_EXTENSION=... node webphone.mjs BASE_URL SHOTS_DIR');
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
let code = 2;
let a;
let b;
try {
  a = await open('A', env.A_WAV, profiles);
  b = await open('B', env.B_WAV, profiles);
  const aReady = await signIn(a, env.A_USER, env.A_PASSWORD, 'signin.png');
  result.aReadyMillis = aReady.millis;
  step(`A registered ${aReady.millis} ms after sign-in: ${aReady.requests.join(', ')}`);
  const bReady = await signIn(b, env.B_USER, env.B_PASSWORD, null);
  result.bReadyMillis = bReady.millis;
  step(`B registered ${bReady.millis} ms after sign-in: ${bReady.requests.join(', ')}`);
  result.aHeader = await a.page.locator('header').innerText();
  await a.page.screenshot({ path: join(shots, 'idle.png') });
  await a.page.getByRole('tab', { name: 'Contacts' }).click();
  await sleep(500);
  result.contactsText = await a.page.locator('[role=tabpanel]').innerText();
  await a.page.screenshot({ path: join(shots, 'contacts.png') });
  await a.page.getByRole('tab', { name: 'Keypad' }).click();

  // A dials B's extension with the dial pad's keys
  for (const digit of env.B_EXTENSION) {
    await a.page.getByRole('group', { name: 'Dial pad' }).getByRole('button', { name: digit, exact: true }).click();
  }
  result.dialled = await a.page.getByLabel('Number or extension').inputValue();
  const dialledAt = Date.now();
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  result.incomingMillis = Date.now() - dialledAt;
  result.incomingName = await b.page.locator('#peer-name').innerText();
  result.incomingNumber = await b.page.locator('.peer-number').innerText().catch(() => null);
  step(`B rings after ${result.incomingMillis} ms: ${result.incomingName} ${result.incomingNumber}`);
  await b.page.screenshot({ path: join(shots, 'incoming.png') });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  step('both in call');

  // talk: once audio arrives on both sides (ICE, DTLS handshakes after the answer), 4 s of it both ways
  const answeredAt = Date.now();
  const flowing = async (page) => ((await stats(page))?.inbound?.packetsReceived ?? 0) > 0;
  while (!(await flowing(a.page) && await flowing(b.page))) {
    if (Date.now() - answeredAt > STEP) throw new Error('no audio arrived on both sides within 15 s of the answer');
    await sleep(100);
  }
  result.audioAfterAnswerMillis = Date.now() - answeredAt;
  step(`audio both ways ${result.audioAfterAnswerMillis} ms after both showed the call`);
  const talkStart = Date.now();
  const a0 = await stats(a.page);
  const b0 = await stats(b.page);
  await sleep(4000);
  result.talk = { a: await stats(a.page), b: await stats(b.page), a0, b0,
    aPeaks: await peaks(a.page, talkStart + 1000), bPeaks: await peaks(b.page, talkStart + 1000) };
  await a.page.screenshot({ path: join(shots, 'in-call.png') });

  // hold: A puts B on hold (re-INVITE a=sendonly); B answers recvonly, so A stops receiving B's audio
  await a.page.getByRole('button', { name: 'Hold' }).click();
  await a.page.getByText('On hold').waitFor({ timeout: STEP });
  await sleep(1000);
  const heldA0 = await stats(a.page);
  await sleep(2000);
  const heldA1 = await stats(a.page);
  // while held Chromium may drop the inbound-rtp entry altogether (the receiver is inactive): nothing received
  const received = (s) => s?.inbound?.packetsReceived ?? 0;
  result.hold = { aReceivedWhileHeld: received(heldA1) - received(heldA0), aInboundWhileHeld: heldA1.inbound ?? null };
  await a.page.screenshot({ path: join(shots, 'on-hold.png') });
  await a.page.getByRole('button', { name: 'Resume' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await sleep(1000);
  const resumedA0 = await stats(a.page);
  await sleep(2000);
  const resumedA1 = await stats(a.page);
  result.hold.aReceivedAfterResume = received(resumedA1) - received(resumedA0);
  step(`hold: A received ${result.hold.aReceivedWhileHeld} packets in 2 s held, ${result.hold.aReceivedAfterResume} after resume`);

  // mute: A's microphone track is disabled (Chromium sends silence): B's decoded audio energy stops growing
  const beforeMute = Date.now();
  await a.page.getByRole('button', { name: 'Mute' }).click();
  await a.page.getByRole('button', { name: 'Unmute' }).waitFor({ timeout: STEP });
  await sleep(1000);
  const mutedB0 = await stats(b.page);
  await sleep(2000);
  const mutedB1 = await stats(b.page);
  await a.page.getByRole('button', { name: 'Unmute' }).click();
  await a.page.getByRole('button', { name: 'Mute' }).waitFor({ timeout: STEP });
  await sleep(1000);
  const unmutedB0 = await stats(b.page);
  await sleep(2000);
  const unmutedB1 = await stats(b.page);
  result.mute = {
    bEnergyWhileMuted: mutedB1.inbound.totalAudioEnergy - mutedB0.inbound.totalAudioEnergy,
    bPacketsWhileMuted: mutedB1.inbound.packetsReceived - mutedB0.inbound.packetsReceived,
    bEnergyAfterUnmute: unmutedB1.inbound.totalAudioEnergy - unmutedB0.inbound.totalAudioEnergy,
    bLevelMuted: mutedB1.inbound.audioLevel, bLevelUnmuted: unmutedB1.inbound.audioLevel,
    muteMillis: Date.now() - beforeMute,
  };
  step(`mute: ${JSON.stringify(result.mute)}`);

  // DTMF key pad: the keys send RFC 4733 events through the browser's RTCDTMFSender (what arrives is not checked here)
  await a.page.getByRole('button', { name: 'Keypad' }).click();
  await a.page.getByRole('group', { name: 'Send tones' }).getByRole('button', { name: '5', exact: true }).click();
  result.dtmfShown = await a.page.locator('.dtmf-sent').innerText();

  // hang up: both phones go back to idle, still registered
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await b.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  result.afterHangUp = {
    a: await a.page.locator('[data-registration]').getAttribute('data-registration'),
    b: await b.page.locator('[data-registration]').getAttribute('data-registration'),
    bBanner: await b.page.locator('.banner').innerText().catch(() => null),
  };
  step('hung up');
  // what the caller is told: declined by the callee (486), nobody registered on the number (480), no such number
  const dialAndWaitForBanner = async (number) => {
    await a.page.getByLabel('Number or extension').fill(number);
    await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  };
  const banner = async () => {
    await a.page.locator('.banner').waitFor({ timeout: STEP });
    await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
    return a.page.locator('.banner').innerText();
  };
  await dialAndWaitForBanner(env.B_EXTENSION);
  await b.page.getByRole('button', { name: 'Decline' }).click();
  result.declinedBanner = await banner();
  await a.page.screenshot({ path: join(shots, 'declined.png') });
  if (env.C_EXTENSION) {
    await dialAndWaitForBanner(env.C_EXTENSION);
    result.unregisteredBanner = await banner();
  }
  if (env.UNKNOWN_NUMBER) {
    await dialAndWaitForBanner(env.UNKNOWN_NUMBER);
    result.unknownBanner = await banner();
  }
  step(`caller told: declined "${result.declinedBanner}", nobody registered "${result.unregisteredBanner}", unknown "${result.unknownBanner}"`);

  await b.page.getByRole('tab', { name: 'Recent' }).click();
  await sleep(1000);
  result.recentText = await b.page.locator('[role=tabpanel]').innerText();
  await b.page.screenshot({ path: join(shots, 'recent.png') });
  await b.page.getByRole('tab', { name: 'Settings' }).click();
  await sleep(300);
  await b.page.screenshot({ path: join(shots, 'settings.png') });

  // do-not-disturb set in the phone's settings (PUT /api/me/settings): Parley refuses alice's next call to bob
  const dnd = b.page.getByLabel('Do not disturb');
  await dnd.waitFor({ timeout: STEP });
  const saved = b.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
    { timeout: STEP });
  await dnd.check();
  result.dndSaveStatus = (await saved).status();
  await sleep(300);
  result.dndChecked = await dnd.isChecked();
  await dialAndWaitForBanner(env.B_EXTENSION);
  result.dndBanner = await banner();
  result.bRangWithDnd = await b.page.getByText('Incoming call').isVisible();
  const cleared = b.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
    { timeout: STEP });
  await dnd.uncheck();
  await cleared;
  step(`do-not-disturb: alice told "${result.dndBanner}", bob rang: ${result.bRangWithDnd}`);

  // a reload keeps the session: the phone comes back registered without signing in again
  await b.page.reload();
  await b.page.locator('[data-registration="registered"]').waitFor({ timeout: STEP });
  result.reloadSignInShown = await b.page.getByLabel('Password').isVisible();
  await b.page.getByRole('tab', { name: 'Recent' }).click();
  await sleep(1000);
  result.recentAfterDnd = await b.page.locator('[role=tabpanel]').innerText();
  step('bob reloaded: registered again without signing in');

  // a third user whose browser refuses the microphone: the call cannot start, and the phone says why
  if (env.C_USER) {
    const c = await open('C', env.A_WAV, profiles, false);
    try {
      await signIn(c, env.C_USER, env.C_PASSWORD, null);
      await c.page.getByLabel('Number or extension').fill(env.B_EXTENSION);
      await c.page.getByRole('button', { name: 'Call', exact: true }).click();
      await c.page.locator('.banner').waitFor({ timeout: STEP });
      result.microphoneDeniedBanner = await c.page.locator('.banner').innerText();
      result.bRangForDenied = await b.page.getByText('Incoming call').isVisible();
      await c.page.screenshot({ path: join(shots, 'microphone-denied.png') });
      step(`microphone refused: "${result.microphoneDeniedBanner}"`);
    } finally {
      await c.context.close();
    }
  }
  code = 0;
} catch (error) {
  result.error = error.message.split('\n')[0];
  console.log(`ERROR ${error.message}`);
  for (const phone of [a, b]) {
    if (phone) await phone.page.screenshot({ path: join(shots, `failure-${phone.name}.png`) }).catch(() => undefined);
  }
} finally {
  console.log(`RESULT ${JSON.stringify(result)}`);
  for (const phone of [a, b]) if (phone) await phone.context.close().catch(() => undefined);
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
