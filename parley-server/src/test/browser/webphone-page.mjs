// The pieces every browser-phone driver needs (webphone*.mjs here, ../firefox/webphone-firefox.mjs): the page-side
// test harness (RTCPeerConnection capture, getUserMedia record, Web Audio FFT of what the page plays), getStats()
// of the call's audio and video, Debian's Chromium with fake media and a wav as microphone, sign-in, screenshots,
// and the protocol the Java ITs read (one line "RESULT <json>", exit code 0 when the flow ran to its end, 2 when a
// step failed, 64 for a usage error). Test code only; nothing here is in the product.
//
// No static imports beyond node: playwright-core is loaded when a Chromium is launched, relative to this file (so
// the Firefox driver, with its own node_modules, can import the harness and the Chromium launcher from here).
//
// A driver:
//   import { parseArgs, runDriver, launchChromium, signIn, stats } from './webphone-page.mjs';
//   const { env } = parseArgs('webphone-x.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV']);
//   await runDriver(async ({ result, step }) => {
//     const a = await launchChromium('A', { wav: env.A_WAV });
//     await signIn(a.page, env.A_USER, env.A_PASSWORD);
//     result.something = ...;
//   });
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The usual bound of one step (a page element to appear, a call to ring). */
export const STEP = 15_000;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What parseArgs read: the Parley under test's base URL, the screenshot folder, the environment. */
export const config = { base: null, shots: null, env: process.env };

/**
 * Reads `node SCRIPT BASE_URL [SHOTS_DIR]` and checks that every name in `required` is in the environment
 * (PARLEY_SPKI always is); exits 64 naming what is missing. `shots: false` for drivers that save no screenshots.
 */
export function parseArgs(script, required, { shots = true } = {}) {
  const [base, shotsDir] = process.argv.slice(2);
  const missing = ['PARLEY_SPKI', ...required].filter((n) => !process.env[n]);
  if (!base || (shots && !shotsDir) || missing.length > 0) {
    const names = missing.map((n) => `${n}=...`).join(' ');
    console.error(`usage: ${names} node ${script} BASE_URL${shots ? ' SHOTS_DIR' : ''}`
      + (missing.length ? ` (missing ${missing.join(', ')})` : ''));
    process.exit(64);
  }
  config.base = base.replace(/\/$/, '');
  if (shots) {
    config.shots = shotsDir;
    mkdirSync(shotsDir, { recursive: true });
  }
  return { base: config.base, shots: config.shots, env: process.env };
}

// Test harness only (not in the product), added to every page before its own scripts (so JsSIP's peer connection
// is one of these): keeps the page's RTCPeerConnections for getStats(), records each getUserMedia request (its
// constraints and the tracks it gave: label, deviceId), keeps what ICE saw (both descriptions and candidates, for a
// diagnosis when no audio arrives), and measures what the page plays: the dominant frequency of each remote audio
// track every 100 ms (Web Audio FFT). Runs in Chromium and Firefox; must stay self-contained (it is serialized).
export function harness() {
  window.__pcs = [];
  window.__peaks = [];
  window.__gum = [];
  window.__diag = [];
  const md = navigator.mediaDevices;
  if (md && md.getUserMedia) {
    const original = md.getUserMedia.bind(md);
    md.getUserMedia = async (constraints) => {
      const entry = { t: Date.now(), constraints: JSON.parse(JSON.stringify(constraints ?? null)) };
      window.__gum.push(entry);
      try {
        const stream = await original(constraints);
        entry.tracks = stream.getTracks().map((t) => ({ kind: t.kind, label: t.label,
          deviceId: t.getSettings().deviceId ?? null }));
        return stream;
      } catch (e) {
        entry.error = e?.name ?? String(e);
        throw e;
      }
    };
  }
  // the page's own AudioContexts (the ringer's, the call waiting tone's) with the oscillators each made, and the
  // media elements it played, for their output devices (sinkId); the harness's FFT uses the unwrapped class
  window.__contexts = [];
  window.__media = [];
  const OriginalContext = window.AudioContext;
  if (OriginalContext) {
    window.AudioContext = function (...args) {
      const ctx = new OriginalContext(...args);
      ctx.__oscillators = 0;
      window.__contexts.push(ctx);
      return ctx;
    };
    window.AudioContext.prototype = OriginalContext.prototype;
    Object.setPrototypeOf(window.AudioContext, OriginalContext);
    const createOscillator = OriginalContext.prototype.createOscillator;
    OriginalContext.prototype.createOscillator = function (...args) {
      this.__oscillators = (this.__oscillators ?? 0) + 1;
      return createOscillator.apply(this, args);
    };
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!window.__media.includes(this)) window.__media.push(this);
    return play.apply(this, args);
  };
  // The FFT peak of an audio track every 100 ms, {t, hz, db} to `sink` (drivers' own harnesses use it too); on an
  // AudioContext of the unwrapped class, so the page's own contexts stay countable
  window.__trackPeaks = (track, sink) => {
    const context = new (OriginalContext ?? AudioContext)();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    context.resume();
    const bins = new Float32Array(analyser.frequencyBinCount);
    setInterval(() => {
      analyser.getFloatFrequencyData(bins);
      let best = 1;
      for (let i = 2; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
      sink({ t: Date.now(), hz: Math.round(best * context.sampleRate / analyser.fftSize), db: Math.round(bins[best]) });
    }, 100);
  };
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Original(...args);
    window.__pcs.push(pc);
    pc.addEventListener('iceconnectionstatechange', async () => {
      const entry = { t: Date.now(), ice: pc.iceConnectionState, local: pc.localDescription?.sdp,
        remote: pc.remoteDescription?.sdp, stats: [] };
      window.__diag.push(entry);
      try {
        (await pc.getStats()).forEach((s) => { if (/candidate/.test(s.type)) entry.stats.push(s); });
      } catch (e) {
        entry.err = String(e);
      }
    });
    pc.addEventListener('track', (event) => {
      if (event.track.kind === 'audio') window.__trackPeaks(event.track, (peak) => window.__peaks.push(peak));
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Original);
}

/**
 * getStats() of the page's newest peer connection (null when there is none or it is closed): audio `inbound` /
 * `outbound`, video `inboundVideo` / `outboundVideo` (frames decoded/sent, frame size), the DTLS `transport`, and the
 * negotiated `codecs` (audio) and `videoCodecs`. Works with a Playwright or a Puppeteer page.
 */
export async function stats(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs[window.__pcs.length - 1];
    if (!pc || pc.signalingState === 'closed') return null;
    const out = { at: Date.now() };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.inbound = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          totalAudioEnergy: s.totalAudioEnergy, audioLevel: s.audioLevel,
          totalSamplesDuration: s.totalSamplesDuration };
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.outbound = { packetsSent: s.packetsSent };
      } else if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.inboundVideo = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, keyFramesDecoded: s.keyFramesDecoded,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight, framesPerSecond: s.framesPerSecond };
      } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
        out.outboundVideo = { packetsSent: s.packetsSent, framesSent: s.framesSent, framesEncoded: s.framesEncoded,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight, framesPerSecond: s.framesPerSecond };
      } else if (s.type === 'transport') {
        out.transport = { dtlsState: s.dtlsState, srtpCipher: s.srtpCipher, tlsVersion: s.tlsVersion };
      } else if (s.type === 'codec' && s.mimeType && s.mimeType.startsWith('audio/')) {
        out.codecs = (out.codecs ?? []).concat(s.mimeType);
      } else if (s.type === 'codec' && s.mimeType && s.mimeType.startsWith('video/')) {
        out.videoCodecs = (out.videoCodecs ?? []).concat(s.mimeType);
      }
    });
    return out;
  });
}

/** Audio packets the page's call has received so far (0 before any). */
export async function packetsReceived(page) {
  return (await stats(page))?.inbound?.packetsReceived ?? 0;
}

/** Waits until every page has received audio; throws naming `what` after `timeout` ms. */
export async function waitForAudio(pages, what, timeout = STEP) {
  const start = Date.now();
  for (;;) {
    let all = true;
    for (const page of pages) all = all && (await packetsReceived(page)) > 0;
    if (all) return Date.now() - start;
    if (Date.now() - start > timeout) throw new Error(`no audio ${what} within ${timeout / 1000} s`);
    await sleep(100);
  }
}

/** The dominant frequencies (Hz) of what the page played since `since` (ms epoch). */
export async function peaks(page, since) {
  return page.evaluate((t) => window.__peaks.filter((p) => p.t >= t).map((p) => p.hz), since);
}

/** The page's getUserMedia requests so far: constraints, and the tracks each gave (kind, label, deviceId). */
export async function mediaRequests(page) {
  return page.evaluate(() => window.__gum);
}

/** The tracks the newest peer connection sends: kind, label, deviceId, enabled (null when there is none). */
export async function sendingTracks(page) {
  return page.evaluate(() => {
    const pc = window.__pcs[window.__pcs.length - 1];
    if (!pc) return null;
    return pc.getSenders().filter((s) => s.track).map((s) => ({ kind: s.track.kind, label: s.track.label,
      deviceId: s.track.getSettings().deviceId ?? null, enabled: s.track.enabled }));
  });
}

/**
 * The page's output devices now: each AudioContext it made (sinkId, state, oscillators made: the ringer makes two
 * per ringing call, the call waiting tone one) and each media element it played (sinkId, paused, and whether its stream
 * holds the newest peer connection's received audio track: the call's remote audio).
 */
export async function audioSinks(page) {
  return page.evaluate(() => {
    const pc = window.__pcs[window.__pcs.length - 1];
    const received = pc && pc.signalingState !== 'closed' ? pc.getReceivers().filter((r) => r.track?.kind === 'audio')
      .map((r) => r.track.id) : [];
    const sinkOf = (x) => (typeof x.sinkId === 'string' ? x.sinkId : x.sinkId?.type ?? null);
    return {
      contexts: window.__contexts.map((c) => ({ sinkId: sinkOf(c), state: c.state, oscillators: c.__oscillators })),
      media: window.__media.map((m) => ({ sinkId: m.sinkId, paused: m.paused,
        remoteCall: !!m.srcObject && m.srcObject.getAudioTracks().some((t) => received.includes(t.id)) })),
    };
  });
}

// The browsers this driver opened, closed (and their profiles removed) by runDriver at the end.
const opened = [];
const profiles = [];

/** Registers a browser opened by other means (Firefox): { name, page, pages(), close() }. */
export function track(phone) {
  opened.push(phone);
  return phone;
}

/** Debian's Chromium flags for a headless WebRTC page with fake media that trusts Parley's test key only. */
export function chromiumArgs({ wav, grantMicrophone = true, extra = [] } = {}) {
  return [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    // without the fake UI, headless Chromium refuses the microphone as a user clicking "Block" would
    ...(grantMicrophone ? ['--use-fake-ui-for-media-stream'] : []),
    '--use-fake-device-for-media-stream', ...(wav ? [`--use-file-for-fake-audio-capture=${wav}`] : []),
    '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
    // Chromium trusts this one key (base64 SHA-256 of the certificate's SubjectPublicKeyInfo), no other bad certificate
    `--ignore-certificate-errors-spki-list=${process.env.PARLEY_SPKI}`,
    ...extra,
  ];
}

/**
 * Launches Debian's Chromium (CHROMIUM overrides /usr/bin/chromium) in a new empty profile with the harness on every
 * page: `wav` is its microphone (Chromium loops it; without it, Chromium's own beep), `grantMicrophone: false`
 * refuses the microphone, `viewport` defaults to a phone-sized 375 x 720. Returns { name, context, page, pages(),
 * close() }; console errors and page errors are printed with the name.
 */
export async function launchChromium(name, { wav, grantMicrophone = true, viewport = { width: 375, height: 720 },
  extraArgs = [], harnessed = true } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), `parley-webphone-${name}-`));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: chromiumArgs({ wav, grantMicrophone, extra: extraArgs }),
  });
  if (harnessed) await context.addInitScript(harness);
  const page = context.pages()[0] ?? await context.newPage();
  watch(name, page);
  return track({ name, context, page, pages: () => context.pages(), close: () => context.close(),
    version: context.browser()?.version() ?? 'chromium' });
}

/** Prints a page's console errors and warnings and its uncaught errors, prefixed with `name`. */
export function watch(name, page) {
  page.on('console', (m) => {
    const type = m.type();
    if (type === 'error' || type === 'warning' || type === 'warn') console.log(`${name} console: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.log(`${name} pageerror: ${e.message}`));
}

/**
 * Signs in on the phone's form (Playwright page, fields found by their labels) and waits until the phone has
 * registered. `shot` saves the sign-in form first. Returns the page's own measure from the click to registered
 * (ms) and where the time went (the API requests, relative to the click; the rest is WSS + REGISTER with Digest).
 */
export async function signIn(page, user, password, { shot = null, timeout = STEP } = {}) {
  await page.goto(config.base + '/');
  await page.getByLabel('User name or email').waitFor({ timeout });
  if (shot) await screenshot(page, shot);
  await page.getByLabel('User name or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitRegistered(page, timeout);
  return readyMillis(page);
}

/** Waits until the phone says registered (Playwright or Puppeteer page). */
export async function waitRegistered(page, timeout = STEP) {
  await page.waitForSelector('[data-registration="registered"]', { timeout });
}

/** The phone's registration badge: registered, elsewhere, connecting, ... (Playwright or Puppeteer page). */
export async function registration(page) {
  return page.evaluate(() => document.querySelector('[data-registration]')?.getAttribute('data-registration') ?? null);
}

/** The page's measure from the sign-in click to registered, and the API requests it made in between. */
export async function readyMillis(page) {
  return page.evaluate(() => {
    const start = performance.getEntriesByName('parley:sign-in')[0].startTime;
    const m = performance.measure('parley:ready', 'parley:sign-in', 'parley:registered');
    const requests = performance.getEntriesByType('resource')
      .filter((r) => r.name.includes('/api/') && r.startTime >= start)
      .map((r) => `${new URL(r.name).pathname} ${Math.round(r.startTime - start)}+${Math.round(r.duration)} ms`);
    return { millis: Math.round(m.duration), requests };
  });
}

/** Saves a screenshot of the page as SHOTS_DIR/`file` (Playwright or Puppeteer page). */
export async function screenshot(page, file, { fullPage = false } = {}) {
  if (!config.shots) return;
  await page.screenshot({ path: join(config.shots, file), fullPage });
}

let channel = null;
/**
 * The Java test's side channel on stdin, one line per answer: `ask(name)` prints "CHECK name" and returns the
 * test's answer; `expect(command)` waits for the test to send that command. Both fail after `timeout` ms.
 */
export function testChannel() {
  if (channel) return channel;
  const lines = [];
  let wake = null;
  let closed = false;
  const input = createInterface({ input: process.stdin });
  input.on('line', (l) => { lines.push(l.trim()); wake?.(); });
  input.on('close', () => { closed = true; wake?.(); });
  const next = async (what, timeout) => {
    const until = Date.now() + timeout;
    while (lines.length === 0) {
      if (closed) throw new Error(`the test closed stdin before ${what}`);
      if (Date.now() > until) throw new Error(`no ${what} from the test within ${timeout / 1000} s`);
      await new Promise((r) => { wake = r; setTimeout(r, 500); });
    }
    return lines.shift();
  };
  channel = {
    async ask(name, timeout = 30_000) {
      console.log(`CHECK ${name}`);
      return next(`answer to CHECK ${name}`, timeout);
    },
    async expect(command, timeout = 60_000) {
      const got = await next(`"${command}"`, timeout);
      if (got !== command) throw new Error(`expected "${command}" from the test, got "${got}"`);
    },
  };
  return channel;
}

/**
 * Runs a driver's flow and speaks the ITs' protocol: `flow({ result, step })` fills `result` (and `step(text)` logs
 * progress into result.steps); a throw puts its first line into result.error and saves a screenshot of every page
 * of every browser opened (failure-<name><n>.png, prefixed by `failurePrefix`). Always prints "RESULT <json>",
 * closes the browsers, removes their profiles and exits: 0 when the flow ran to its end, 2 when it did not.
 */
export async function runDriver(flow, { failurePrefix = '' } = {}) {
  const result = { steps: [] };
  const step = (what) => { result.steps.push(what); console.log(`step: ${what}`); };
  let code = 2;
  try {
    await flow({ result, step });
    code = 0;
  } catch (error) {
    result.error = String(error?.message ?? error).split('\n')[0];
    console.log(`ERROR ${error?.stack ?? error}`);
    for (const phone of opened) {
      const pages = (() => { try { return phone.pages(); } catch { return [phone.page]; } })();
      for (const [i, page] of pages.entries()) {
        const suffix = pages.length > 1 ? String(i + 1) : '';
        await screenshot(page, `${failurePrefix}failure-${phone.name}${suffix}.png`).catch(() => undefined);
      }
    }
  } finally {
    console.log(`RESULT ${JSON.stringify(result)}`);
    for (const phone of opened) await phone.close().catch(() => undefined);
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  }
  process.exit(code);
}
