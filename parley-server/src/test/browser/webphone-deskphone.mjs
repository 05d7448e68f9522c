// Drives Parley's browser phone (webphone/, served at /) as one signed-in user in Debian's Chromium against a desk
// phone: sign in, register, then, when the Java test says so on stdin, dial TARGET from the dial pad, wait for the
// call and its audio, press DIGITS on the in-call key pad (RFC 4733 through RTCDTMFSender), read the page's padlock
// if it has one, and hang up when told. Prints "REGISTERED", "INCALL", "DTMF_SENT" as it gets there and one line
// "RESULT <json>" at the end. Page helpers copied (the minimum) from webphone.mjs, which runs its own flow on import.
// Used by parley-server's WebphoneDeskPhoneIT.
//
// Usage: node webphone-deskphone.mjs BASE_URL   with environment
//   PARLEY_SPKI   base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only)
//   A_USER, A_PASSWORD, A_WAV   the browser user's Parley account and microphone
//   TARGETS   comma-separated numbers to call one after the other (stdin "call" before each, "hangup" to end it)
//   DIGITS    the key pad digits to send in the first call
// Exit code 0 when the flow ran to its end (the Java test judges), 2 when a step failed.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [base] = process.argv.slice(2);
const env = process.env;
if (!base || !env.PARLEY_SPKI || !env.A_USER || !env.TARGETS) {
  console.error('usage: PARLEY_SPKI=... A_USER=... TARGETS=... node webphone-deskphone.mjs BASE_URL');
  process.exit(64);
}
const STEP = 15_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// stdin commands from the test, one per line
const commands = [];
let wake = null;
createInterface({ input: process.stdin }).on('line', (l) => { commands.push(l.trim()); if (wake) wake(); });
async function command(expected) {
  const until = Date.now() + 60_000;
  while (commands.length === 0) {
    if (Date.now() > until) throw new Error(`no "${expected}" from the test within 60 s`);
    await new Promise((r) => { wake = r; setTimeout(r, 500); });
  }
  const c = commands.shift();
  if (c !== expected) throw new Error(`expected "${expected}" from the test, got "${c}"`);
}

// Test harness only: keeps the page's RTCPeerConnections for getStats() (as in webphone.mjs)
function harness() {
  window.__pcs = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Original(...args);
    window.__pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Original);
}

async function stats(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs[window.__pcs.length - 1];
    if (!pc) return null;
    const out = {};
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.inbound = { packetsReceived: s.packetsReceived, totalAudioEnergy: s.totalAudioEnergy };
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.outbound = { packetsSent: s.packetsSent };
      } else if (s.type === 'transport') {
        out.transport = { dtlsState: s.dtlsState, srtpCipher: s.srtpCipher };
      }
    });
    return out;
  });
}

const profile = mkdtempSync(join(tmpdir(), 'parley-deskphone-'));
const result = { calls: [] };
let code = 2;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 375, height: 720 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${env.A_WAV}`,
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      `--ignore-certificate-errors-spki-list=${env.PARLEY_SPKI}`,
    ],
  });
  await context.addInitScript(harness);
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));

  await page.goto(base + '/');
  await page.getByLabel('User name or email').waitFor({ timeout: STEP });
  await page.getByLabel('User name or email').fill(env.A_USER);
  await page.getByLabel('Password').fill(env.A_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-registration="registered"]').waitFor({ timeout: STEP });
  console.log('REGISTERED');

  const targets = env.TARGETS.split(',');
  for (let i = 0; i < targets.length; i++) {
    await command('call');
    const call = { target: targets[i] };
    result.calls.push(call);
    await page.getByRole('tab', { name: 'Keypad' }).click();
    await page.getByLabel('Number or extension').fill(''); // the last number dialled may still be there
    for (const digit of targets[i]) {
      await page.getByRole('group', { name: 'Dial pad' }).getByRole('button', { name: digit, exact: true }).click();
    }
    call.dialled = await page.getByLabel('Number or extension').inputValue();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByText('In call').waitFor({ timeout: STEP }).catch(async (e) => {
      call.banner = await page.locator('.banner').innerText().catch(() => null);
      throw e;
    });
    const answeredAt = Date.now();
    while (((await stats(page))?.inbound?.packetsReceived ?? 0) === 0) {
      if (Date.now() - answeredAt > STEP) throw new Error('no audio arrived within 15 s of the answer');
      await sleep(100);
    }
    call.first = await stats(page);
    console.log('INCALL');
    if (i === 0 && env.DIGITS) {
      await page.getByRole('button', { name: 'Keypad' }).click();
      const keys = page.getByRole('group', { name: 'Send tones' });
      for (const digit of env.DIGITS) {
        await keys.getByRole('button', { name: digit, exact: true }).click();
        await sleep(400); // RTCDTMFSender queues tones of 100 ms + 70 ms gap; keep each key its own event
      }
      call.dtmfShown = await page.locator('.dtmf-sent').innerText().catch(() => null);
      console.log('DTMF_SENT');
    }
    // the padlock, if this build of the page has one (data-encrypted: true/false/unknown)
    call.padlock = await page.locator('[data-encrypted]').first()
      .getAttribute('data-encrypted', { timeout: 5000 }).catch(() => null);
    await command('hangup');
    call.last = await stats(page);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  }
  code = 0;
} catch (e) {
  result.error = String(e?.stack ?? e);
} finally {
  console.log('RESULT ' + JSON.stringify(result));
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}
