// Drives Parley's browser phone (webphone/) through what goes wrong, in Debian's Chromium: alice's browser reaches
// Parley through the Java test's TCP relay (RELAY_URL: page, /api, the event stream and the phone's WSS), which the
// test cuts and restores when the driver asks ("CHECK cut" / "CHECK restore"); bob's browser goes straight to
// Parley (BASE_URL). The flow:
//   1. a drop while idle: the header says "Reconnecting…", an API read says the server cannot be reached; after the
//      restore the phone registers again by itself (time from restore measured), the event stream reopens, and a
//      call to bob carries audio both ways;
//   2. a drop during a call: both sides' calls end (alice's page, and bob's through Parley's BYE), nothing is left
//      in /api/me/calls/live, and alice's page says why once reconnected; a drop while her call rings at bob's
//      stops his ringing, and one while his call rings at hers stops hers and ends his;
//   3. a reload during a call: bob's call ends within seconds (Parley ends the call when the WebSocket closes), the
//      reloaded page is idle and its call log has the call;
//   4. two tabs: while the registered tab is on a call the other says so and keeps "Use it here" disabled; the call
//      goes on; after it the button works again;
//   5. sign-out in one tab signs out the other (BroadcastChannel), and alice's binding goes; a session ended behind
//      the page's back (DELETE /api/session from outside the app) sends both tabs to the sign-in form (a 401).
// Prints "RESULT <json>" (see webphone-page.mjs). Used by parley-server's WebphoneResilienceIT.
//
// Usage: node webphone-resilience.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI, A_USER, A_PASSWORD, A_WAV, A_EXTENSION, B_USER, B_PASSWORD, B_WAV, B_EXTENSION, RELAY_URL
import {
  config, launchChromium, parseArgs, registration, runDriver, screenshot, signIn, sleep, stats, STEP, testChannel,
  waitForAudio, waitRegistered, watch,
} from './webphone-page.mjs';

const { env } = parseArgs('webphone-resilience.mjs',
  ['A_USER', 'A_PASSWORD', 'A_WAV', 'A_EXTENSION', 'B_USER', 'B_PASSWORD', 'B_WAV', 'B_EXTENSION', 'RELAY_URL']);
const direct = config.base;
const relayed = env.RELAY_URL.replace(/\/$/, '');
const test = testChannel();
/** How long the phone may take to register again after the network comes back (JsSIP backs off up to 30 s). */
const RECOVERY = 45_000;

/** Milliseconds until `predicate` (in the page) is true; throws naming `what` after `timeout`. */
async function until(page, what, predicate, arg, timeout = STEP) {
  const start = Date.now();
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 50 });
  } catch (e) {
    throw new Error(`${what}: not within ${timeout / 1000} s (${String(e.message).split('\n')[0]})`);
  }
  return Date.now() - start;
}

// page-side predicates: self-contained, since Playwright serializes them into the page
const inCall = () => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Hang up');
const notInCall = () => ![...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Hang up');
const idle = () => !![...document.querySelectorAll('button[role="tab"]')].find((b) => b.textContent === 'Keypad');
const banner = (page) => page.evaluate(() => [...document.querySelectorAll('.banner')].map((e) => e.textContent)
  .join(' | '));
const liveCalls = (page) => page.evaluate(() => fetch('/api/me/calls/live').then((r) => r.json())
  .then((j) => j.calls.length));

/** Alice (tab `a`) calls bob, bob answers; returns when both pages have received audio. */
async function call(a, b) {
  await a.getByRole('tab', { name: 'Keypad' }).click();
  await a.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a.getByRole('button', { name: 'Call', exact: true }).click();
  await b.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.getByRole('button', { name: 'Answer' }).click();
  await a.getByRole('button', { name: 'Hang up' }).waitFor({ timeout: STEP });
  await waitForAudio([a, b], 'after answer');
}

/** The store's live bindings of alice's extension, asked until they are `want` (at most 8 s). */
async function bindings(want) {
  let n = -1;
  for (let i = 0; i < 16; i++) {
    n = Number(await test.ask('bindings'));
    if (n === want) break;
    await sleep(500);
  }
  return n;
}

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV });
  const b = await launchChromium('B', { wav: env.B_WAV });
  const a1 = a.page;
  const sockets = [];
  a1.on('websocket', (ws) => sockets.push(ws.url()));
  config.base = relayed; // the harness's signIn opens config.base
  result.signIn = await signIn(a1, env.A_USER, env.A_PASSWORD);
  config.base = direct;
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  result.webSockets = [...new Set(sockets)];
  step(`alice registered through the relay (WebSocket ${result.webSockets}), bob directly`);

  // 1. a drop while idle
  await test.ask('cut');
  let cutAt = Date.now();
  await a1.locator('[data-registration="disconnected"]').waitFor({ timeout: STEP });
  const drop = { noticedMs: Date.now() - cutAt, badge: await a1.locator('[data-registration]').innerText() };
  await a1.getByRole('tab', { name: 'Recent' }).click(); // an API read while the network is down
  await a1.getByText('cannot be reached').first().waitFor({ timeout: STEP });
  drop.recent = await a1.locator('[role="tabpanel"]').innerText();
  drop.banner = await banner(a1);
  await screenshot(a1, 'network-drop.png');
  await sleep(Math.max(0, 8000 - (Date.now() - cutAt))); // long enough for JsSIP to back off and the stream to retry
  drop.badgeAfter8s = await registration(a1);
  await test.ask('restore');
  const restoredAt = Date.now();
  await waitRegistered(a1, RECOVERY);
  drop.registeredAfterRestoreMs = Date.now() - restoredAt;
  await until(a1, 'the event stream reopened', () => !document.body.textContent.includes('Live updates paused'),
    undefined, RECOVERY);
  drop.streamAfterRestoreMs = Date.now() - restoredAt;
  drop.bindings = await bindings(1);
  step(`idle drop: ${JSON.stringify(drop)}`);
  await call(a1, b.page);
  const s1 = await stats(a1);
  await sleep(2000);
  const s2 = await stats(a1);
  const sb = await stats(b.page);
  drop.callAfter = { aReceived2s: s2.inbound.packetsReceived - s1.inbound.packetsReceived,
    aSent: s2.outbound.packetsSent, bReceived: sb.inbound.packetsReceived, dtls: s2.transport?.dtlsState };
  await a1.getByRole('button', { name: 'Hang up' }).click();
  await until(b.page, 'bob idle after hang-up', idle);
  result.idleDrop = drop;
  step(`call after the restore: ${JSON.stringify(drop.callAfter)}`);

  // 2. a drop during a call
  await call(a1, b.page);
  const inCallDrop = { aPacketsBefore: (await stats(a1)).inbound.packetsReceived };
  await test.ask('cut');
  cutAt = Date.now();
  const [aEnded, bEnded] = await Promise.all([
    until(a1, 'alice\'s call ended after the cut', notInCall),
    until(b.page, 'bob\'s call ended after alice\'s connection was cut', notInCall),
  ]);
  Object.assign(inCallDrop, { aEndedMs: aEnded, bEndedMs: bEnded, aBannerWhileCut: await banner(a1),
    serverLiveCalls: Number(await test.ask('livecalls')), bLiveCalls: await liveCalls(b.page) });
  await screenshot(a1, 'network-drop-in-call.png');
  await sleep(2000);
  await test.ask('restore');
  const restored2 = Date.now();
  await waitRegistered(a1, RECOVERY);
  inCallDrop.registeredAfterRestoreMs = Date.now() - restored2;
  inCallDrop.aBannerAfter = await banner(a1);
  inCallDrop.aLiveCalls = await liveCalls(a1);
  inCallDrop.aIdle = await a1.evaluate(idle);
  result.inCallDrop = inCallDrop;
  step(`drop during a call: ${JSON.stringify(inCallDrop)}`);

  // 2b. a drop while alice's call still rings at bob's: Parley cancels it (her INVITE's transaction fails)
  await a1.getByRole('tab', { name: 'Keypad' }).click();
  await a1.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a1.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await test.ask('cut');
  const ringing = { bStoppedMs: await until(b.page, 'bob\'s phone stopped ringing after alice\'s connection was cut',
    () => !document.body.textContent.includes('Incoming call')) };
  ringing.aIdle = await a1.evaluate(idle);
  ringing.serverLiveCalls = Number(await test.ask('livecalls'));
  await test.ask('restore');
  await waitRegistered(a1, RECOVERY);
  result.ringingDrop = ringing;
  step(`drop while ringing: ${JSON.stringify(ringing)}`);

  // 2c. a drop while bob's call rings at alice's: her page stops ringing, bob's call ends with a message
  await b.page.getByRole('tab', { name: 'Keypad' }).click();
  await b.page.getByLabel('Number or extension').fill(env.A_EXTENSION);
  await b.page.getByRole('button', { name: 'Call', exact: true }).click();
  await a1.getByText('Incoming call').waitFor({ timeout: STEP });
  await test.ask('cut');
  const incoming = {
    aStoppedMs: await until(a1, 'alice\'s phone stopped ringing after her connection was cut',
      () => !document.body.textContent.includes('Incoming call')),
    bEndedMs: await until(b.page, 'bob\'s call to alice ended after her connection was cut', notInCall),
  };
  incoming.bMessage = await banner(b.page);
  incoming.serverLiveCalls = Number(await test.ask('livecalls'));
  await test.ask('restore');
  await waitRegistered(a1, RECOVERY);
  incoming.aMessage = await banner(a1);
  result.incomingDrop = incoming;
  step(`drop while an incoming call rings: ${JSON.stringify(incoming)}`);

  // 3. a reload during a call
  await call(a1, b.page);
  await sleep(1000);
  const reloadAt = Date.now();
  const reloaded = a1.reload();
  const reload = { bEndedMs: await until(b.page, 'bob\'s call ended after alice reloaded', notInCall) };
  await reloaded;
  await waitRegistered(a1, STEP);
  reload.aRegisteredMs = Date.now() - reloadAt;
  reload.aIdle = await a1.evaluate(idle);
  reload.aInCall = await a1.evaluate(inCall);
  reload.bLiveCalls = await liveCalls(b.page);
  reload.serverLiveCalls = Number(await test.ask('livecalls'));
  await a1.getByRole('tab', { name: 'Recent' }).click();
  reload.logMs = await until(a1, 'five calls in the reloaded page\'s log',
    () => document.querySelectorAll('ul[aria-label="Recent calls"] > li').length >= 5, undefined, 10_000);
  reload.log = await a1.locator('ul[aria-label="Recent calls"] > li').allInnerTexts();
  await screenshot(a1, 'reloaded-after-call.png');
  result.reload = reload;
  step(`reload during a call: ${JSON.stringify(reload)}`);

  // 4. two tabs: the tab on a call keeps the phone
  const a2 = await a.context.newPage();
  watch('A2', a2);
  await a2.goto(relayed + '/');
  await a2.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  const tabs = { bannerIdle: await a2.locator('.elsewhere').innerText(),
    buttonDisabledIdle: await a2.getByRole('button', { name: 'Use it here' }).isDisabled() };
  await call(a1, b.page);
  const answeredAt = Date.now();
  await a2.getByText('In a call in another tab').waitFor({ timeout: STEP });
  tabs.toldMs = Date.now() - answeredAt;
  tabs.bannerInCall = await a2.locator('.elsewhere').innerText();
  tabs.buttonDisabledInCall = await a2.getByRole('button', { name: 'Use it here' }).isDisabled();
  await a2.getByRole('button', { name: 'Use it here' }).click({ force: true, timeout: 2000 }).catch(() => undefined);
  await screenshot(a2, 'other-tab-in-call.png');
  const before = (await stats(a1)).inbound.packetsReceived;
  await sleep(2000);
  tabs.a1InCallAfterClick = await a1.evaluate(inCall);
  tabs.a1PacketsIn2s = (await stats(a1)).inbound.packetsReceived - before;
  tabs.a2Badge = await registration(a2);
  tabs.bindingsDuringCall = await bindings(1);
  await a1.getByRole('button', { name: 'Hang up' }).click();
  const hungUp = Date.now();
  await until(a2, 'Use it here enabled after the call',
    () => document.querySelector('.elsewhere button')?.disabled === false);
  tabs.enabledAfterMs = Date.now() - hungUp;
  tabs.bannerAfter = await a2.locator('.elsewhere').innerText();
  result.twoTabs = tabs;
  step(`two tabs: ${JSON.stringify(tabs)}`);

  // 5. sign-out in one tab signs out both; a session ended behind the page's back too
  await a2.getByRole('button', { name: 'Sign out' }).click();
  const signedOutAt = Date.now();
  await a1.getByLabel('User name or email').waitFor({ timeout: STEP });
  const out = { otherTabMs: Date.now() - signedOutAt, otherTabMessage: await a1.locator('form [role="alert"]')
    .innerText().catch(() => null), bindings: await bindings(0) };
  await screenshot(a1, 'signed-out-in-other-tab.png');
  await a1.getByLabel('User name or email').fill(env.A_USER);
  await a1.getByLabel('Password').fill(env.A_PASSWORD);
  await a1.getByRole('button', { name: 'Sign in' }).click();
  await waitRegistered(a1, STEP);
  await a2.reload();
  await a2.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  out.endedStatus = await a2.evaluate(async () => {
    const me = await fetch('/api/me').then((r) => r.json());
    return (await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrfToken } })).status;
  });
  const endedAt = Date.now();
  await Promise.all([a1, a2].map((p) => p.getByLabel('User name or email').waitFor({ timeout: 30_000 })));
  out.sessionEndedMs = Date.now() - endedAt;
  out.sessionEndedMessages = await Promise.all([a1, a2].map((p) => p.locator('form [role="alert"]').innerText()
    .catch(() => null)));
  out.bindingsAfterSessionEnded = await bindings(0);
  await screenshot(a1, 'session-ended.png');
  result.signOut = out;
  step(`sign-out: ${JSON.stringify(out)}`);
});
