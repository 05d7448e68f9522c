// Opens one page in Debian's Chromium (/usr/bin/chromium) with a fake microphone and waits until the page sets
// window.parleyResult (or the time runs out). Used by parley-media's WebRTC ITs, which serve the page and play the
// far end themselves. Usage: node open-page.mjs URL [seconds]
// PARLEY_FAKE_AUDIO=/path/to.wav makes the fake microphone play that file (looped) instead of Chromium's beeps.
// Prints the page's console lines and, last, one line "RESULT <json>". Exit code 0 when a result came, 2 if not.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const seconds = Number(process.argv[3] ?? 40);
if (!url) {
  console.error('usage: node open-page.mjs URL [seconds]');
  process.exit(64);
}

const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
// Flags known to work on these machines (no network beyond loopback): no background requests, no GPU, no QUIC.
// --allow-loopback-in-peer-connection lets WebRTC gather on 127.0.0.1, so ICE pairs stay on the loopback.
// --autoplay-policy lets the page play what it receives (Chromium decodes remote audio only for a sink).
const fakeAudio = process.env.PARLEY_FAKE_AUDIO ? [`--use-file-for-fake-audio-capture=${process.env.PARLEY_FAKE_AUDIO}`] : [];
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required', ...fakeAudio,
  ],
});
let code = 2;
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('console', (message) => console.log(`console: ${message.text()}`));
  page.on('pageerror', (error) => console.log(`pageerror: ${error.message}`));
  await page.goto(url);
  const handle = await page.waitForFunction(() => window.parleyResult, null, { timeout: seconds * 1000 });
  console.log(`RESULT ${JSON.stringify(await handle.jsonValue())}`);
  code = 0;
  // Keep the page (and its media) alive until the test has what it needs and ends this process.
  await page.waitForFunction(() => window.parleyStop, null, { timeout: seconds * 1000 }).catch(() => {});
} catch (error) {
  console.log(`ERROR ${error.message}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
