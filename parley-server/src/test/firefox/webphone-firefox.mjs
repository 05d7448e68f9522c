// Drives Parley's browser phone (webphone/, served by the Parley under test at /) in Debian's Firefox ESR against a
// second user in Debian's Chromium: A signs in in headless Firefox (puppeteer-core over WebDriver BiDi: stock Firefox
// needs no patched build), B in Chromium (playwright-core, from ../browser, as webphone.mjs does); both phones
// provision themselves and register over WSS; A dials B's extension on the dial pad, B answers, 4 s of audio both
// ways (getStats in both browsers, and a Web Audio FFT of what each plays), A hangs up; then B calls A and Firefox
// answers. Saves Firefox's idle and
// in-call views and prints one line "RESULT <json>" with what it measured. Used by parley-server's WebphoneFirefoxIT.
//
// Usage: node webphone-firefox.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI     base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only;
//                   Firefox accepts the self-signed certificate through the BiDi session's acceptInsecureCerts)
//   A_USER, A_PASSWORD   the Firefox user's Parley account (Firefox's fake microphone is its built-in tone)
//   A_EXTENSION   optional: then B also calls A, Firefox answers, and B hangs up
//   B_USER, B_PASSWORD, B_WAV, B_EXTENSION   the Chromium user's, its microphone, and the extension A dials
//   FIREFOX (default /usr/bin/firefox-esr), CHROMIUM (default /usr/bin/chromium)
// Exit code 0 when the flow ran to its end (the Java test judges the numbers), 2 when a step failed.
import puppeteer from 'puppeteer-core';
import {
  STEP, harness, launchChromium, packetsReceived, parseArgs, peaks, readyMillis, registration, runDriver, screenshot,
  signIn as signInChromium, sleep, stats, track, watch,
} from '../browser/webphone-page.mjs';

const { base, env } = parseArgs('webphone-firefox.mjs', ['A_USER', 'A_PASSWORD', 'B_USER', 'B_PASSWORD', 'B_WAV',
  'B_EXTENSION']);

async function text(page, selector) {
  return page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

/** Polls until the element's text is `want` (both browsers: a plain DOM read, no driver-specific locator). */
async function waitForText(page, selector, want, what) {
  const start = Date.now();
  for (;;) {
    if ((await text(page, selector)) === want) return Date.now() - start;
    if (Date.now() - start > STEP) throw new Error(`${what}: '${selector}' never read '${want}' (reads '${await text(page, selector)}')`);
    await sleep(100);
  }
}

async function openFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    // the BiDi session capability: Parley's test certificate is self-signed
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      // a fake microphone (Firefox's built-in tone, 1 kHz) granted without a prompt
      'media.navigator.streams.fake': true,
      'media.navigator.audio.fake_frequency': 1000,
      'media.navigator.permission.disabled': true,
      // Parley's ICE-lite candidate is on 127.0.0.1. Firefox gathers loopback candidates only with the loopback pref,
      // and only when the page holds a (persistent) microphone permission: without one it gathers on the default
      // route's address alone (seen here: 192.0.2.2 and fd00::2, no 127.0.0.1, and "ICE failed" after the answer),
      // whatever the loopback pref says. The default permission stands in for a user's "Allow".
      'media.peerconnection.ice.loopback': true,
      'permissions.default.microphone': 1,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      // the harness's AudioContext plays without a user gesture
      'media.autoplay.default': 0,
      'media.autoplay.block-webaudio': false,
    },
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  // the launch's defaultViewport does not reach Firefox's first tab over BiDi: set the phone-sized screen here
  await page.setViewport({ width: 375, height: 720 });
  await page.evaluateOnNewDocument(harness);
  watch('firefox', page);
  return track({ name: 'firefox', close: () => browser.close(), page, pages: () => [page],
    version: await browser.version() });
}

/** Signs Firefox in on the phone's form (CSS selectors: Puppeteer has no label locators) and waits until registered. */
async function signInFirefox(page, user, password, shot) {
  await page.goto(`${base}/`);
  await page.waitForSelector('#username', { timeout: STEP });
  if (shot) await screenshot(page, shot);
  await page.type('#username', user);
  await page.type('#password', password);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('[data-registration="registered"]', { timeout: STEP });
  return (await readyMillis(page)).millis;
}

await runDriver(async ({ result, step }) => {
  const a = await openFirefox();
  const b = await launchChromium('chromium', { wav: env.B_WAV });
  result.firefoxVersion = a.version;
  step(`browsers: ${a.version}, ${b.version}`);
  result.aReadyMillis = await signInFirefox(a.page, env.A_USER, env.A_PASSWORD, 'firefox-signin.png');
  step(`A (Firefox) registered ${result.aReadyMillis} ms after sign-in`);
  result.bReadyMillis = (await signInChromium(b.page, env.B_USER, env.B_PASSWORD)).millis;
  step(`B (Chromium) registered ${result.bReadyMillis} ms after sign-in`);
  result.aHeader = await text(a.page, 'header');
  await screenshot(a.page, 'firefox-idle.png');

  // A dials B's extension with the dial pad's keys
  for (const digit of env.B_EXTENSION) {
    await a.page.click(`[role=group][aria-label="Dial pad"] button[aria-label="${digit}"]`);
  }
  result.dialled = await a.page.evaluate(() => document.querySelector('#number').value);
  const dialledAt = Date.now();
  await a.page.click('button.call');
  await waitForText(b.page, '.call-state', 'Incoming call', 'B rings');
  result.incomingMillis = Date.now() - dialledAt;
  result.incomingName = await text(b.page, '#peer-name');
  result.incomingNumber = await text(b.page, '.peer-number');
  step(`B rings after ${result.incomingMillis} ms: ${result.incomingName} ${result.incomingNumber}`);
  await b.page.click('button.answer');
  await waitForText(a.page, '.call-state', 'In call', 'A in call');
  await waitForText(b.page, '.call-state', 'In call', 'B in call');
  step('both in call');

  // talk: once audio arrives on both sides (ICE, DTLS handshakes after the answer), 4 s of it both ways
  const answeredAt = Date.now();
  const flowing = async (page) => (await packetsReceived(page)) > 0;
  while (!(await flowing(a.page) && await flowing(b.page))) {
    if (Date.now() - answeredAt > STEP) {
      result.noAudio = { a: await stats(a.page), b: await stats(b.page), diag: await a.page.evaluate(() => window.__diag) };
      throw new Error(`no audio arrived on both sides within 15 s of the answer: ${JSON.stringify(result.noAudio)}`);
    }
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
  step(`talk: ${JSON.stringify({ a: result.talk.a, b: result.talk.b })}`);
  // the padlock Firefox shows, from GET /api/me/calls/live (both legs WSS + DTLS-SRTP)
  await a.page.waitForSelector('[data-encrypted="true"], [data-encrypted="false"]', { timeout: STEP });
  result.aPadlock = await a.page.evaluate(() => {
    const p = document.querySelector('[data-encrypted]');
    return { encrypted: p.getAttribute('data-encrypted'), text: p.textContent };
  });
  await screenshot(a.page, 'firefox-in-call.png');

  // A hangs up in Firefox: both phones go back to idle, still registered, and A's connection is closed
  await a.page.click('button.hangup');
  await a.page.waitForSelector('#tab-keypad', { timeout: STEP });
  await b.page.waitForSelector('#tab-keypad', { timeout: STEP });
  result.afterHangUp = {
    a: await registration(a.page), b: await registration(b.page),
    aConnection: await a.page.evaluate(() => window.__pcs[window.__pcs.length - 1]?.connectionState ?? null),
    bBanner: await text(b.page, '.banner'),
  };
  step(`hung up: ${JSON.stringify(result.afterHangUp)}`);

  // the other way: B calls A; Firefox rings, answers Parley's offer, audio both ways for 3 s, B hangs up
  if (env.A_EXTENSION) {
    await b.page.fill('#number', env.A_EXTENSION);
    await b.page.click('button.call');
    await waitForText(a.page, '.call-state', 'Incoming call', 'A rings');
    result.reverse = { incomingName: await text(a.page, '#peer-name') };
    await a.page.click('button.answer');
    await waitForText(a.page, '.call-state', 'In call', 'A in call (answered)');
    await waitForText(b.page, '.call-state', 'In call', 'B in call (answered by A)');
    const at = Date.now();
    while (!(await flowing(a.page) && await flowing(b.page))) {
      if (Date.now() - at > STEP) throw new Error('no audio both ways within 15 s of Firefox answering');
      await sleep(100);
    }
    const ra0 = await stats(a.page);
    const rb0 = await stats(b.page);
    await sleep(3000);
    Object.assign(result.reverse, { a0: ra0, b0: rb0, a: await stats(a.page), b: await stats(b.page) });
    await b.page.click('button.hangup');
    await a.page.waitForSelector('#tab-keypad', { timeout: STEP });
    await b.page.waitForSelector('#tab-keypad', { timeout: STEP });
    result.reverse.aAfter = await registration(a.page);
    step(`reverse: ${JSON.stringify({ a: result.reverse.a, b: result.reverse.b })}`);
  }
});
