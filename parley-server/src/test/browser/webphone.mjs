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
import {
  STEP, launchChromium, parseArgs, peaks, registration, runDriver, screenshot, signIn, sleep, stats, waitForAudio,
} from './webphone-page.mjs';

const { env } = parseArgs('webphone.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'B_USER', 'B_PASSWORD', 'B_WAV',
  'B_EXTENSION']);

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV });
  const b = await launchChromium('B', { wav: env.B_WAV });
  const aReady = await signIn(a.page, env.A_USER, env.A_PASSWORD, { shot: 'signin.png' });
  result.aReadyMillis = aReady.millis;
  step(`A registered ${aReady.millis} ms after sign-in: ${aReady.requests.join(', ')}`);
  const bReady = await signIn(b.page, env.B_USER, env.B_PASSWORD);
  result.bReadyMillis = bReady.millis;
  step(`B registered ${bReady.millis} ms after sign-in: ${bReady.requests.join(', ')}`);
  result.aHeader = await a.page.locator('header').innerText();
  await screenshot(a.page, 'idle.png');
  await a.page.getByRole('tab', { name: 'Contacts' }).click();
  await sleep(500);
  result.contactsText = await a.page.locator('[role=tabpanel]').innerText();
  await screenshot(a.page, 'contacts.png');
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
  await screenshot(b.page, 'incoming.png');
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  step('both in call');

  // talk: once audio arrives on both sides (ICE, DTLS handshakes after the answer), 4 s of it both ways
  const answeredAt = Date.now();
  await waitForAudio([a.page, b.page], 'arrived on both sides of the answer');
  result.audioAfterAnswerMillis = Date.now() - answeredAt;
  step(`audio both ways ${result.audioAfterAnswerMillis} ms after both showed the call`);
  const talkStart = Date.now();
  const a0 = await stats(a.page);
  const b0 = await stats(b.page);
  await sleep(4000);
  result.talk = { a: await stats(a.page), b: await stats(b.page), a0, b0,
    aPeaks: await peaks(a.page, talkStart + 1000), bPeaks: await peaks(b.page, talkStart + 1000) };
  await screenshot(a.page, 'in-call.png');

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
  await screenshot(a.page, 'on-hold.png');
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
    a: await registration(a.page),
    b: await registration(b.page),
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
  await screenshot(a.page, 'declined.png');
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
  await screenshot(b.page, 'recent.png');
  await b.page.getByRole('tab', { name: 'Settings' }).click();
  await sleep(300);
  await screenshot(b.page, 'settings.png');

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
    const c = await launchChromium('C', { wav: env.A_WAV, grantMicrophone: false });
    try {
      await signIn(c.page, env.C_USER, env.C_PASSWORD);
      await c.page.getByLabel('Number or extension').fill(env.B_EXTENSION);
      await c.page.getByRole('button', { name: 'Call', exact: true }).click();
      await c.page.locator('.banner').waitFor({ timeout: STEP });
      result.microphoneDeniedBanner = await c.page.locator('.banner').innerText();
      result.bRangForDenied = await b.page.getByText('Incoming call').isVisible();
      await screenshot(c.page, 'microphone-denied.png');
      step(`microphone refused: "${result.microphoneDeniedBanner}"`);
    } finally {
      await c.close();
    }
  }
});
