// Drives Parley's browser phone as three users in Debian's Chromium (one browser each, each a tone as its fake
// microphone) through a blind transfer (issue 7): A calls B, B answers, B types C's extension into "Transfer to" and
// presses Transfer (JsSIP sends REFER; Parley places the call to C with A's caller id), C's phone rings showing A,
// C answers, B's call ends, and A, who never left her call, now talks with C. Prints "RESULT <json>" with what it
// measured (getStats and FFT peaks of what A and C play). The page helpers are webphone-page.mjs's.
// Used by parley-server's WebphoneTransferIT.
//
// Usage: node webphone-transfer.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI     base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only)
//   A_USER, A_PASSWORD, A_WAV; B_USER, B_PASSWORD, B_WAV, B_EXTENSION; C_USER, C_PASSWORD, C_WAV, C_EXTENSION
// Exit code 0 when the flow ran to its end (the Java test judges the numbers), 2 when a step failed.
import {
  STEP, launchChromium, parseArgs, peaks, registration, runDriver, screenshot, signIn, sleep, stats,
  waitForAudio,
} from './webphone-page.mjs';

const { env } = parseArgs('webphone-transfer.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'B_USER', 'B_PASSWORD', 'B_WAV',
  'B_EXTENSION', 'C_USER', 'C_PASSWORD', 'C_WAV', 'C_EXTENSION']);

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV });
  const b = await launchChromium('B', { wav: env.B_WAV });
  const c = await launchChromium('C', { wav: env.C_WAV });
  await signIn(a.page, env.A_USER, env.A_PASSWORD);
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  await signIn(c.page, env.C_USER, env.C_PASSWORD);
  step('A, B and C registered');

  await a.page.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  await waitForAudio([a.page, b.page], 'between A and B after the answer');
  step('A and B talk');
  result.aPeersBefore = await a.page.evaluate(() => window.__pcs.length);

  // B transfers A to C: the call panel's Transfer field and button (JsSIP session.refer)
  await b.page.getByLabel('Transfer to').fill(env.C_EXTENSION);
  await screenshot(b.page, 'transfer.png');
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
  result.bRegistration = await registration(b.page);
  step(`B's call ended ${result.bEndedMillis} ms after the transfer`);

  // A never left her call: once C's audio reaches her, 4 s of talk between A and C
  await waitForAudio([c.page], 'reached C after its answer');
  await sleep(1000);
  const talkStart = Date.now();
  const a0 = await stats(a.page);
  const c0 = await stats(c.page);
  await sleep(4000);
  result.talk = { a0, c0, a: await stats(a.page), c: await stats(c.page),
    aPeaks: await peaks(a.page, talkStart), cPeaks: await peaks(c.page, talkStart) };
  result.aStillInCall = await a.page.getByText('In call').isVisible();
  result.aPeersAfter = await a.page.evaluate(() => window.__pcs.length);
  await screenshot(c.page, 'transferred-in-call.png');
  step('A and C talked 4 s');

  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await c.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step('A hung up, C idle');
}, { failurePrefix: 'transfer-' });
