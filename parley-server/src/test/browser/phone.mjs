// Opens Parley's test phone (/test/phone.html, served by the Parley under test) in Debian's Chromium with a wav as
// the fake microphone, serves JsSIP 3.13.8 to it (bundled here from the pinned npm package: no CDN, and Parley does
// not ship a copy), and waits for the page's window.parleyResult. Used by parley-server's browser ITs.
//
// Usage: node phone.mjs URL SECONDS   with environment
//   PARLEY_WAV   the microphone (16-bit PCM wav; Chromium loops it)
//   PARLEY_SPKI  base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo: Chromium trusts that one key
//                (--ignore-certificate-errors-spki-list) and no other invalid certificate
// Prints the page's console lines, then one line "RESULT <json>", and keeps the browser open until the page's call
// has ended (window.parleyEnded). Exit code 0 when a result came, 2 if not.
import { chromium } from 'playwright-core';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[2];
const seconds = Number(process.argv[3] ?? 40);
const wav = process.env.PARLEY_WAV;
const spki = process.env.PARLEY_SPKI;
if (!url || !wav || !spki) {
  console.error('usage: PARLEY_WAV=... PARLEY_SPKI=... node phone.mjs URL [seconds]');
  process.exit(64);
}

// JsSIP is published as CommonJS only: bundle it for the page as the global JsSIP.
const here = dirname(fileURLToPath(import.meta.url));
const bundle = await build({
  entryPoints: [join(here, 'node_modules/jssip/lib/JsSIP.js')], bundle: true, format: 'iife', globalName: 'JsSIP',
  platform: 'browser', write: false, minify: true, logLevel: 'error',
});
const jssip = bundle.outputFiles[0].text;

const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`,
    '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
    `--ignore-certificate-errors-spki-list=${spki}`,
  ],
});
let code = 2;
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('console', (message) => console.log(`console: ${message.text()}`));
  page.on('pageerror', (error) => console.log(`pageerror: ${error.message}`));
  await page.route('**/test/jssip.js', (route) => route.fulfill({
    status: 200, contentType: 'text/javascript; charset=utf-8', body: jssip,
  }));
  await page.goto(url);
  const handle = await page.waitForFunction(() => window.parleyResult, null, { timeout: seconds * 1000, polling: 200 });
  console.log(`RESULT ${JSON.stringify(await handle.jsonValue())}`);
  code = 0;
  // Keep the browser (and the call) until the call has ended: closing it would end the call from this side.
  await page.waitForFunction(() => window.parleyEnded, null, { timeout: seconds * 1000, polling: 200 })
    .catch(() => console.log('the call did not end'));
} catch (error) {
  console.log(`ERROR ${error.message}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
