// Drives what the other browser-phone drivers leave untested (issue 7), as two users in Debian's Chromium on a
// phone-sized screen (360 x 640), each with a tone as microphone:
//  - keyboard only for alice: from the sign-in page, Tab/typing/Enter sign her in, she types bob's number but its last
//    digit, presses that digit on the dial pad with Tab + Enter, Tab + Enter on Call; bob answers with Enter (the
//    Answer button has the focus); audio flows; alice Tabs to Hang up and presses Enter. Every element that got the
//    focus is recorded with whether it shows it (:focus-visible and an outline);
//  - each main view's layout at 360 px: the page's scroll width against the window's, and the call buttons' heights;
//  - the microphone chosen in the settings (one of Chromium's fake audio inputs, not the default) is the one the next
//    call's sending track uses (getSettings().deviceId, label) and the constraint the page asked for;
//  - the speaker and the ring device chosen in the settings (Chromium's 'Fake Audio Output 1' and '... 2', not the
//    default), stored on the server (GET /api/me/settings), are used after a reload: the AudioContext that rings the
//    next incoming call plays on Output 2, the element playing the call's received audio on Output 1, audio flowing;
//  - contacts: add, edit (name and number), a reload, a call from the contact (bob's phone rings, answers, audio
//    both ways), delete; the Java test reads the server's list at each step (GET /api/me/contacts);
//  - the call log: bob calls back from his history entry, alice's phone rings.
// The Java test answers "CHECK contacts-*" with the server's contacts as one line of JSON, "CHECK settings-*" with
// alice's settings. Prints "RESULT <json>".
// Used by parley-server's WebphoneContactsIT.
//
// Usage: node webphone-contacts.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI; A_USER, A_PASSWORD, A_WAV, A_EXTENSION; B_USER, B_PASSWORD, B_WAV, B_EXTENSION
import {
  STEP, audioSinks, launchChromium, mediaRequests, parseArgs, registration, runDriver, screenshot, sendingTracks, signIn, sleep,
  stats, testChannel, waitForAudio, waitRegistered,
} from './webphone-page.mjs';

const { base, env } = parseArgs('webphone-contacts.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'A_EXTENSION', 'B_USER',
  'B_PASSWORD', 'B_WAV', 'B_EXTENSION']);
const { ask } = testChannel();
const PHONE = { width: 360, height: 640 };
/** the buttons that place, take or end a call, and the in-call actions: what a thumb must hit */
const CALL_BUTTONS = 'button.call, button.answer, button.hangup, button.key, .actions button';

/** The page's width against the window's (horizontal scrolling) and the visible call buttons' heights. */
async function layout(page, view) {
  return page.evaluate(([v, selector]) => ({
    view: v,
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    buttons: [...document.querySelectorAll(selector)].filter((b) => b.getClientRects().length > 0)
      .map((b) => ({ name: (b.getAttribute('aria-label') || b.textContent).trim(),
        height: Math.round(b.getBoundingClientRect().height * 10) / 10 })),
  }), [view, CALL_BUTTONS]);
}

/** What has the focus: its name, and whether it shows it (:focus-visible, a visible outline). */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { name: null };
    const style = getComputedStyle(el);
    return { tag: el.tagName.toLowerCase(), id: el.id || null,
      name: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim(),
      focusVisible: el.matches(':focus-visible'),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
  });
}

/** Presses Tab until `match(focused)` (at most 40 times), recording each stop in `trail`. */
async function tabTo(page, match, trail, what) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    trail.push(f);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The audio outputs the browser lists: deviceId and label. */
async function outputs(page) {
  return page.evaluate(() => navigator.mediaDevices.enumerateDevices()
    .then((ds) => ds.filter((d) => d.kind === 'audiooutput').map((d) => ({ deviceId: d.deviceId, label: d.label }))));
}

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV, viewport: PHONE });
  const b = await launchChromium('B', { wav: env.B_WAV, viewport: PHONE });
  const views = [];
  result.views = views;
  const trail = [];
  result.focusTrail = trail;

  // keyboard: sign in
  await a.page.goto(`${base}/`);
  await a.page.getByLabel('User name or email').waitFor({ timeout: STEP });
  views.push(await layout(a.page, 'sign-in'));
  await screenshot(a.page, 'phone360-signin.png');
  let f = await focused(a.page);
  result.signInFirstFocus = f.id;
  if (f.id !== 'username') f = await tabTo(a.page, (x) => x.id === 'username', trail, 'the user name');
  await a.page.keyboard.type(env.A_USER);
  await tabTo(a.page, (x) => x.id === 'password', trail, 'the password');
  await a.page.keyboard.type(env.A_PASSWORD);
  await a.page.keyboard.press('Enter');
  await waitRegistered(a.page);
  step('alice signed in with the keyboard alone');
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  views.push(await layout(a.page, 'keypad'));
  await screenshot(a.page, 'phone360-keypad.png');

  // keyboard: dial all but the last digit by typing, the last on the dial pad, then Call
  const number = env.B_EXTENSION;
  await tabTo(a.page, (x) => x.id === 'number', trail, 'the number field');
  await a.page.keyboard.type(number.slice(0, -1));
  const last = number.slice(-1);
  await tabTo(a.page, (x) => x.tag === 'button' && x.name === last, trail, `the dial pad's ${last}`);
  await a.page.keyboard.press('Enter');
  result.keyboardDialled = await a.page.locator('#number').inputValue();
  await tabTo(a.page, (x) => x.tag === 'button' && x.name === 'Call', trail, 'Call');
  await a.page.keyboard.press('Enter');
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  views.push(await layout(b.page, 'incoming'));
  await screenshot(b.page, 'phone360-incoming.png');
  const answerFocus = await focused(b.page);
  result.answerFocused = answerFocus.name;
  if (!/^Answer/.test(answerFocus.name ?? '')) {
    await tabTo(b.page, (x) => /^Answer/.test(x.name ?? ''), [], 'Answer');
  }
  await b.page.keyboard.press('Enter');
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await waitForAudio([a.page, b.page], 'both ways after a keyboard call');
  const k0 = await stats(a.page);
  await sleep(2000);
  const k1 = await stats(a.page);
  result.keyboardCall = { aReceived: k1.inbound.packetsReceived - k0.inbound.packetsReceived,
    aSent: k1.outbound.packetsSent - k0.outbound.packetsSent };
  views.push(await layout(a.page, 'in-call'));
  await screenshot(a.page, 'phone360-in-call.png');
  const hangUp = await tabTo(a.page, (x) => x.tag === 'button' && x.name === 'Hang up', trail, 'Hang up');
  result.hangUpFocus = hangUp;
  await screenshot(a.page, 'phone360-hang-up-focused.png');
  await a.page.keyboard.press('Enter');
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await b.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  result.afterKeyboardCall = { a: await registration(a.page), b: await registration(b.page) };
  step(`keyboard call: ${JSON.stringify(result.keyboardCall)}, focus stops ${trail.length}`);

  // the microphone: one of Chromium's fake audio inputs that is not the default, chosen in the settings
  await a.page.getByRole('tab', { name: 'Settings' }).click();
  // the settings list the devices once enumerateDevices() answers
  await a.page.waitForFunction(() => [...document.querySelectorAll('#device-microphone option')]
    .filter((o) => o.value).length >= 2, null, { timeout: 10_000 });
  const options = await a.page.locator('#device-microphone option').evaluateAll((os) => os
    .map((o) => ({ value: o.value, label: o.textContent })).filter((o) => o.value));
  result.microphones = options;
  const devices = await a.page.evaluate(() => navigator.mediaDevices.enumerateDevices()
    .then((ds) => ds.filter((d) => d.kind === 'audioinput').map((d) => ({ deviceId: d.deviceId, label: d.label }))));
  result.audioInputs = devices;
  const chosen = options[options.length - 1];
  const saved = a.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
    { timeout: STEP });
  await a.page.locator('#device-microphone').selectOption(chosen.value);
  result.microphoneSaveStatus = (await saved).status();
  result.chosenMicrophone = chosen;
  views.push(await layout(a.page, 'settings'));
  await screenshot(a.page, 'phone360-settings.png', { fullPage: true });
  step(`microphone chosen: ${JSON.stringify(chosen)} of ${options.length}`);

  // the speaker and the ring device: two fake outputs that are not the default, chosen through the selects
  result.audioOutputs = await outputs(a.page);
  for (const [key, label] of [['speaker', 'Fake Audio Output 1'], ['ringer', 'Fake Audio Output 2']]) {
    const select = a.page.locator(`#device-${key}`);
    await a.page.waitForFunction((id) => !document.getElementById(id).disabled, `device-${key}`, { timeout: STEP });
    const put = a.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
      { timeout: STEP });
    await select.selectOption({ label });
    result[`${key}SaveStatus`] = (await put).status();
    result[`${key}Chosen`] = { value: await select.inputValue(), label };
  }
  result.settingsAfterChoice = JSON.parse(await ask('settings-devices'));
  result.sinksAfterChoice = await audioSinks(a.page);
  step(`outputs chosen: ${JSON.stringify(result.settingsAfterChoice.devices)}; sinks ${JSON.stringify(
    result.sinksAfterChoice)}`);

  // contacts: add bob as a contact, then edit his name and number
  await a.page.getByRole('tab', { name: 'Contacts' }).click();
  await a.page.getByRole('button', { name: 'Add contact' }).click();
  views.push(await layout(a.page, 'contact-form'));
  await a.page.getByLabel('Name', { exact: true }).fill('Robert Stone');
  await a.page.getByLabel('Extension', { exact: true }).fill(env.B_EXTENSION);
  await a.page.getByLabel(/Phone numbers/).fill('+1 555 0100');
  await a.page.getByRole('button', { name: 'Save' }).click();
  await a.page.locator('li[data-contact="Robert Stone"]').waitFor({ timeout: STEP });
  result.serverAfterAdd = JSON.parse(await ask('contacts-added'));
  await a.page.getByRole('button', { name: 'Edit Robert Stone' }).click();
  await a.page.getByLabel('Name', { exact: true }).fill('Bobby Stone');
  await a.page.getByLabel(/Phone numbers/).fill('+1 555 0199, +1 555 0142');
  await a.page.getByRole('button', { name: 'Save' }).click();
  await a.page.locator('li[data-contact="Bobby Stone"]').waitFor({ timeout: STEP });
  result.serverAfterEdit = JSON.parse(await ask('contacts-edited'));
  await a.page.reload();
  await waitRegistered(a.page);
  result.audioOutputsAfterReload = await outputs(a.page);
  await a.page.getByRole('tab', { name: 'Contacts' }).click();
  const bobby = a.page.locator('li[data-contact="Bobby Stone"]');
  await bobby.waitFor({ timeout: STEP });
  result.afterReload = { text: await bobby.innerText(),
    oldName: await a.page.locator('li[data-contact="Robert Stone"]').count() };
  views.push(await layout(a.page, 'contacts'));
  await screenshot(a.page, 'phone360-contacts.png', { fullPage: true });
  step(`contact edited, after reload: ${JSON.stringify(result.afterReload)}`);

  // call from the contact: bob's phone rings with alice's name, he answers, audio both ways; the microphone used
  const calledAt = Date.now();
  await bobby.getByRole('button', { name: `Call Bobby Stone on ${env.B_EXTENSION}` }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  result.contactCall = { rangMillis: Date.now() - calledAt, name: await b.page.locator('#peer-name').innerText(),
    dialled: await a.page.locator('#peer-name').innerText() };
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await waitForAudio([a.page, b.page], 'both ways in the call from a contact');
  const c0 = { a: await stats(a.page), b: await stats(b.page) };
  await sleep(2000);
  const c1 = { a: await stats(a.page), b: await stats(b.page) };
  Object.assign(result.contactCall, {
    aReceived: c1.a.inbound.packetsReceived - c0.a.inbound.packetsReceived,
    bReceived: c1.b.inbound.packetsReceived - c0.b.inbound.packetsReceived,
    dtls: c1.a.transport?.dtlsState,
  });
  result.sending = await sendingTracks(a.page);
  result.contactCallSinks = await audioSinks(a.page);
  result.mediaRequests = await mediaRequests(a.page);
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await b.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step(`call from the contact: ${JSON.stringify(result.contactCall)}; sending ${JSON.stringify(result.sending)}`);

  // delete the contact
  await a.page.getByRole('tab', { name: 'Contacts' }).click();
  await a.page.getByRole('button', { name: 'Edit Bobby Stone' }).click();
  await a.page.getByRole('button', { name: 'Delete' }).click();
  // the edit form stands in for the list, so wait for the list back (the form gone) without the contact
  await a.page.waitForFunction(() => !document.querySelector('form.contact-form')
    && document.querySelector('ul, [role=tabpanel]') && !document.querySelector('li[data-contact="Bobby Stone"]'),
  null, { timeout: STEP });
  await a.page.getByRole('button', { name: 'Add contact' }).waitFor({ timeout: STEP });
  result.serverAfterDelete = JSON.parse(await ask('contacts-deleted'));
  result.afterDelete = await a.page.locator('[role=tabpanel]').innerText();
  step('contact deleted');

  // the call log: bob calls alice back from his history entry of her call
  await b.page.getByRole('tab', { name: 'Recent' }).click();
  const entry = b.page.locator('ul[aria-label="Recent calls"] > li').first();
  await entry.waitFor({ timeout: STEP });
  result.recentEntry = await entry.innerText();
  views.push(await layout(b.page, 'recent'));
  await screenshot(b.page, 'phone360-recent.png');
  const backAt = Date.now();
  await entry.getByRole('button', { name: /^Call back/ }).click();
  await a.page.getByText('Incoming call').waitFor({ timeout: STEP });
  result.callBack = { rangMillis: Date.now() - backAt, name: await a.page.locator('#peer-name').innerText() };
  result.ringingSinks = await audioSinks(a.page);
  await a.page.getByRole('button', { name: 'Answer' }).click();
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  // the answered call plays on the chosen speaker, and audio flows there (received and played out)
  await waitForAudio([a.page], 'to alice in the call back');
  const s0 = await stats(a.page);
  await sleep(2000);
  const s1 = await stats(a.page);
  result.callBackSinks = await audioSinks(a.page);
  result.callBackAudio = { packets: s1.inbound.packetsReceived - s0.inbound.packetsReceived,
    energy: s1.inbound.totalAudioEnergy - s0.inbound.totalAudioEnergy,
    playedSeconds: s1.inbound.totalSamplesDuration - s0.inbound.totalSamplesDuration };
  step(`ringing on ${JSON.stringify(result.ringingSinks.contexts)}; in the call ${JSON.stringify(
    result.callBackSinks.media)}, audio ${JSON.stringify(result.callBackAudio)}`);
  await b.page.getByRole('button', { name: 'Hang up' }).click();
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step(`call back from the call log: ${JSON.stringify(result.callBack)}`);
  for (const [page, tab] of [[a.page, 'Recent'], [b.page, 'Contacts']]) {
    await page.getByRole('tab', { name: tab }).click();
    await sleep(500);
    views.push(await layout(page, tab.toLowerCase()));
  }
});
